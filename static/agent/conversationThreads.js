// @ts-check
// The console's conversations, one thread each, taking turns in the one scrolling box (#messages):
// which is in view, switching between them (each keeps its draft, its scroll position and its
// messages waiting for an ack), which one a frame is about, and the unread counts.
import { ConversationThread } from './conversationThread.js';

/** @import { Customer } from './customerPanel.js' */
/** @import { ServerFrame } from '../lib/frames.js' */

/** Every conversation thread, the lobby, and the one in view. */
export class ConversationThreads {
  /** @type {Map<string, ConversationThread>} by conversationId, in arrival order */
  #threads = new Map();
  /** @type {ConversationThread} */
  #active;

  /**
   * @param {object} page
   * @param {HTMLElement} page.scroller #messages
   * @param {HTMLElement} page.jump the "new messages" button
   * @param {HTMLTextAreaElement} page.input the composer's field: its text is the draft of the thread in view
   * @param {(frame: object) => boolean} page.transmit sends a frame on the current socket
   * @param {() => void} page.changed a thread came, went, switched or its unread count changed
   */
  constructor(page) {
    this.page = page;
    this.box = { scroller: page.scroller, jump: page.jump, inView: (/** @type {ConversationThread} */ t) => t === this.#active, transmit: page.transmit };
    /** Notices about no conversation (the room opened, offline messages came): shown when none is in view. */
    this.lobby = new ConversationThread(null, { name: '', avatar: '', waitedMs: null, since: '', email: '', verified: false }, this.box);
    this.#active = this.lobby;
    this.lobby.element.hidden = false;
    page.scroller.addEventListener('scroll', () => {
      if (this.#active.list.nearBottom()) page.jump.hidden = true;
    });
    page.jump.addEventListener('click', () => {
      this.#active.list.toBottom();
      page.scroller.focus();
    });
  }

  /** The thread in view: a conversation, or the lobby. */
  get active() {
    return this.#active;
  }

  /** The conversation in view, open or ended; null when the lobby is. */
  get current() {
    return this.#active === this.lobby ? null : this.#active;
  }

  /** @param {string | undefined} id */
  get(id) {
    return id ? this.#threads.get(id) : undefined;
  }

  /** Every conversation thread, in arrival order. */
  all() {
    return Array.from(this.#threads.values());
  }

  /** The conversations still going on. */
  open() {
    return this.all().filter((t) => !t.ended);
  }

  /**
   * A new conversation's thread (shown only once switched to).
   * @param {string} id
   * @param {Customer} customer
   */
  add(id, customer) {
    const thread = new ConversationThread(id, customer, this.box);
    this.#threads.set(id, thread);
    this.page.changed();
    return thread;
  }

  /**
   * The thread a frame is about: the one it names, else (a server that names none, as with one
   * customer at a time) the one conversation going on, else the one in view.
   * @param {ServerFrame} f
   */
  of(f) {
    if (f.conversationId) return this.#threads.get(f.conversationId) ?? null;
    const open = this.open();
    return open.length === 1 ? /** @type {ConversationThread} */ (open[0]) : this.current;
  }

  /**
   * Brings a thread into view: the one left keeps its draft and scroll position, an ended one
   * that is left goes away, the one shown gets its own back and counts as read.
   * @param {ConversationThread | null} next null for the lobby
   */
  show(next) {
    const to = next ?? this.lobby;
    const from = this.#active;
    if (to === from) {
      this.markRead();
      return;
    }
    const box = this.page.scroller;
    from.draft = this.page.input.value;
    from.scrollTop = from.list.nearBottom() ? null : box.scrollTop;
    from.element.hidden = true;
    if (from.ended && from !== this.lobby) this.drop(from);
    this.#active = to;
    to.element.hidden = false;
    // Set, not typed: no typing frame goes to the conversation switched to.
    this.page.input.value = to.draft;
    this.page.jump.hidden = true;
    if (to.scrollTop === null) box.scrollTop = box.scrollHeight;
    else box.scrollTop = to.scrollTop;
    this.markRead();
    this.page.changed();
  }

  /** The thread in view has been seen (when the page is). */
  markRead() {
    if (document.hidden || this.#active.unread === 0) return;
    this.#active.unread = 0;
    this.page.changed();
  }

  /**
   * Counts something new in a thread the agent is not looking at; true when it did.
   * @param {ConversationThread} thread
   */
  bump(thread) {
    if (thread === this.#active && !document.hidden) return false;
    thread.unread++;
    this.page.changed();
    return true;
  }

  /**
   * A conversation ended: it stays in view until the agent moves on, else it goes at once.
   * @param {ConversationThread} thread
   */
  end(thread) {
    thread.ended = true;
    thread.away = false;
    if (thread !== this.#active) this.drop(thread);
    this.page.changed();
  }

  /** @param {ConversationThread} thread */
  drop(thread) {
    if (thread.id) this.#threads.delete(thread.id);
    thread.remove();
    this.page.changed();
  }

  /** Everything goes: the room is new, or the console went offline. */
  clear() {
    this.show(null);
    for (const t of this.all()) this.drop(t);
    this.lobby.list.clear();
    this.lobby.draft = '';
    this.page.input.value = '';
  }

  /** Unread messages over every conversation (the title and the list's tab count them). */
  unreadTotal() {
    let n = 0;
    for (const t of this.#threads.values()) n += t.unread;
    return n;
  }

  /** After a reconnect: each thread's unacked messages go again. */
  resendAll() {
    for (const t of this.#threads.values()) t.outbox.resendAll();
  }
}
