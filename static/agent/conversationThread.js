// @ts-check
// One conversation of the console: its thread on screen (a message list of its own, with its own
// pending messages and their outbox), and what the console keeps for it while another is in view:
// the composer's draft, where the reader had scrolled to, how many messages are unread.
import { el } from '../lib/dom.js';
import { MessageList } from '../lib/messageList.js';
import { Outbox } from '../lib/outbox.js';

/** @import { Customer } from './customerPanel.js' */

/** One conversation (or, with a null id, the lobby: notices that belong to no conversation). */
export class ConversationThread {
  /** What the composer held when the agent switched away. */
  draft = '';
  /** @type {number | null} where the thread was scrolled to when left; null: at the bottom */
  scrollTop = null;
  /** Messages (and a new chat) the agent has not seen yet. */
  unread = 0;
  /** The customer dropped and may come back. */
  away = false;
  /** Ended (left, resolved, transferred, handed back): read-only, gone from the list once left. */
  ended = false;
  /** The newest line of the conversation, for its row in the list. */
  preview = '';
  /** @type {number} when something last happened, for the list's order */
  lastTs = 0;
  /** @type {string} the visitor the customer page says this is ('' when it sent none) */
  visitorId = '';

  /**
   * @param {string | null} id the conversationId
   * @param {Customer} customer
   * @param {object} box
   * @param {HTMLElement} box.scroller the scrolling box every thread takes turns in
   * @param {HTMLElement} box.jump its "new messages" button
   * @param {(thread: ConversationThread) => boolean} box.inView whether this thread is the one shown
   * @param {(frame: object) => boolean} box.transmit sends a frame on the current socket
   */
  constructor(id, customer, box) {
    this.id = id;
    this.customer = customer;
    this.element = el('div', 'thread');
    this.element.hidden = true;
    if (id) this.element.dataset.conversation = id;
    box.scroller.appendChild(this.element);
    this.list = new MessageList(this.element, 'kefu', box.jump, { scroller: box.scroller, inView: () => box.inView(this) });
    // Every message, image, resend and retry of this thread names its conversation.
    this.outbox = new Outbox(this.list, (frame) => box.transmit({ ...frame, conversationId: id }));
  }

  /**
   * Notes the newest line for the list.
   * @param {string} text
   * @param {number} [ts]
   */
  touch(text, ts) {
    this.preview = text;
    this.lastTs = typeof ts === 'number' ? ts : Date.now();
  }

  remove() {
    this.element.remove();
  }
}
