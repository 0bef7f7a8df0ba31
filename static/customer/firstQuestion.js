// @ts-check
// The pre-chat form's question: sent as the customer's first message as soon as the server has
// them (placed: to the agent; queued: to the bot, whose exchange the agent gets with the
// customer). Kept in the tab's session until its echo comes back, so a reload resends it.

/** @import { ServerFrame } from '../lib/frames.js' */
/** @import { Session } from './session.js' */

export class FirstQuestion {
  #sent = false;

  /**
   * @param {object} page
   * @param {() => Session} page.session
   * @param {(session: Session) => void} page.save
   * @param {(text: string) => void} page.send sends a text as the customer (through the outbox)
   */
  constructor(page) {
    this.page = page;
  }

  /** A new chat: its question has not been sent yet. */
  reset() {
    this.#sent = false;
  }

  /** @param {ServerFrame} f every frame the page receives */
  frame(f) {
    const session = this.page.session();
    const question = session.question;
    if (!question) return;
    if (f.type === 'message' && f.role === 'yonghu' && f.neiRong === question) {
      delete session.question;
      this.page.save(session);
      return;
    }
    if (!this.#sent && (f.event === 'agent_assigned' || f.event === 'queue_position')) {
      this.#sent = true;
      this.page.send(question);
    }
  }
}
