/** A message on the agents' team channel, or a private note to one agent. */
export interface TeamMessage {
  id: number;
  sender: string;
  /** The one agent a private note is for; null for the whole team. */
  to: string | null;
  content: string;
  ts: number;
  cid: string | null;
}

/** A team message to store; the store gives it its id. */
export interface NewTeamMessage {
  sender: string;
  to?: string;
  content: string;
  ts: number;
  cid?: string;
}

/** An append either stores a new team message or finds the one already stored under its cid. */
export interface TeamAppendResult {
  message: TeamMessage;
  duplicate: boolean;
}

/** Where the agents' team channel and private notes live. */
export interface TeamStore {
  /** Stores a team message, or returns the one this sender already stored under its cid (per addressee). */
  appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult>;
  /** The latest `limit` team messages an agent may read (to all, to them, or from them), oldest first. */
  teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]>;
}
