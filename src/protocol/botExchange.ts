/**
 * One question a waiting customer asked the FAQ bot, and what the bot said: kept for the agent
 * who takes the customer, and carried to them by the bot_history frame.
 */
export interface BotExchange {
  question: string;
  /** The FAQ entry's answer, or the fallback when nothing matched. */
  answer: string;
  matched: boolean;
  ts: number;
}
