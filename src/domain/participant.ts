import type { Locale } from '../protocol/locales.js';

/** The two kinds of people in a room, with the seed's wire names. */
export type Role = 'kefu' | 'yonghu';

/** An authenticated connection as the domain sees it: no socket, just who and where. */
export interface Participant {
  /** Unique per connection; deliveries are addressed to it. */
  session: string;
  role: Role;
  name: string;
  /** The room (agent name) this participant is in; unset while a customer waits in the queue. */
  room?: string;
  /**
   * A customer waiting in the queue: the id their conversation will have once seated, under
   * which their questions to the FAQ bot are kept for the agent who takes them.
   */
  conversationId?: string;
  /** The language the customer's page asked for (`lang=`): the FAQ bot answers in it. */
  locale?: Locale;
}
