import type { RoomRegistry } from '../cluster/roomRegistry.js';
import type { BotExchange } from '../protocol/botExchange.js';
import type { Locale } from '../protocol/locales.js';
import type { BotExchangeStore } from '../store/botExchangeStore.js';
import { openingState, type BusinessHours } from './businessHours.js';
import { matchFaq, type Faq } from './faq.js';
import type { Participant } from './participant.js';
import { refusal, type BotEvent, type Delivery, type MessageEvent } from './roomEvent.js';
import type { Roster } from './roster.js';

/** How many of a customer's latest questions to the bot the agent who takes them is shown. */
export const BOT_HISTORY = 20;

/**
 * The FAQ bot for customers waiting in the queue: it answers from the FAQ, or with the FAQ's
 * fallback and where the customer stands, and keeps each exchange for the agent who takes the
 * customer.
 */
export class Bot {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly roster: Roster,
    private readonly exchanges: BotExchangeStore,
    private readonly faq: (locale?: Locale) => Faq,
    private readonly now: () => number,
    /** Business hours, when the team keeps them: outside them the bot says the team is closed. */
    private readonly hours?: BusinessHours,
  ) {}

  /**
   * A customer waiting in the queue wrote: the question is echoed (so the page shows it as
   * sent) and the FAQ bot answers. Neither is part of the conversation, which does not exist
   * before an agent: the exchange is kept apart, for the agent who takes the customer.
   */
  async ask(from: Participant, content: string, cid?: string): Promise<Delivery[]> {
    const ts = this.now();
    const echo: MessageEvent = { kind: 'message', sender: from.name, role: 'yonghu', content, ts };
    if (cid !== undefined) echo.cid = cid;
    const faq = this.faq(from.locale);
    const entry = matchFaq(faq, content);
    let answer: BotEvent;
    if (entry) {
      answer = { kind: 'bot', content: entry.answer, matched: true, ts };
    } else {
      let waiting, agentsOnline;
      try {
        [waiting, agentsOnline] = await Promise.all([this.registry.waiting(), this.roster.agentsOnline()]);
      } catch {
        return refusal(from.session, 'unavailable', cid);
      }
      answer = { kind: 'bot', content: faq.fallback, matched: false, ts, agentsOnline };
      const position = waiting.find((w) => w.session === from.session)?.position;
      if (position !== undefined) answer.position = position;
    }
    const state = this.hours === undefined ? undefined : openingState(this.hours, ts);
    if (state !== undefined && !state.open) {
      answer.closed = true;
      if (state.opensAt !== null) answer.opensAt = state.opensAt;
    }
    if (from.conversationId !== undefined) {
      // Kept for the agent who takes this customer; losing it loses only that courtesy, so a
      // failing store does not hold back the answer.
      await this.exchanges
        .appendBotExchange(from.conversationId, { question: content, answer: answer.content, matched: answer.matched, ts })
        .catch(() => undefined);
    }
    return [
      { to: [from.session], event: echo },
      { to: [from.session], event: answer },
    ];
  }

  /** What a customer taken from the queue asked the bot meanwhile (none when the store fails: a courtesy). */
  history(conversationId: string): Promise<BotExchange[]> {
    return this.exchanges.botExchanges(conversationId, BOT_HISTORY).catch(() => []);
  }
}
