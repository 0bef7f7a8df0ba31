// @ts-check
// The conversation on screen. Messages are keyed by seq (a replay never shows one twice) and, own
// messages, by cid while they wait for their ack: pending, then settled by the ack or marked
// failed with a button to send them again.
import { paintAvatar } from './avatars.js';
import { button, el } from './dom.js';
import { clockTime, timeElement } from './format.js';
import { t } from './i18n.js';
import { thumbnail } from './images.js';
import { findLinks } from './links.js';

/** @import { ImageField, ServerFrame } from './frames.js' */

/**
 * An own message not acked yet: its row, and the frame to send again after a reconnect or on
 * a retry.
 * @typedef {{ row: HTMLElement, frame: object }} Pending
 */

/** Messages from one person within this window are grouped under one name line. */
const GROUP_MS = 3 * 60 * 1000;
/** How close to the bottom counts as "reading the newest": the list follows new messages. */
const NEAR_BOTTOM_PX = 60;

/** One conversation on screen: bubbles, notices, and own messages until their ack. */
export class MessageList {
  /** @type {Set<number>} */
  #seqs = new Set();
  /** @type {Map<string, Pending>} in sending order */
  #pending = new Map();
  /** @type {{ own: boolean, sender: string, ts: number } | null} the last bubble, for grouping */
  #last = null;
  /** The highest seq shown: a reconnect asks for what came after it. */
  lastSeq = 0;
  /** @type {Map<string, string>} picked avatars of the people in this conversation, by name */
  avatars = new Map();
  /**
   * Whether the reader is following the newest messages. Kept apart from nearBottom(): an image
   * that loads after its message grows the list without any scrolling, which leaves the bottom
   * out of reach though the reader never moved away from it.
   */
  #pinned = true;
  /** Where the box was scrolled to at the last scroll event: scrolling up is what unpins. */
  #lastTop = 0;

  /**
   * @param {HTMLElement} container
   * @param {'kefu' | 'yonghu'} myRole
   * @param {HTMLElement} jump the button shown when something new arrives while the reader is scrolled up
   * @param {{ scroller?: HTMLElement, inView?: () => boolean }} [shared] for one of several lists
   *   that take turns in one scrolling box (the console's conversations): the box, and whether this
   *   list is the one shown (a list out of view neither scrolls the box nor shows the jump button)
   */
  constructor(container, myRole, jump, shared = {}) {
    this.container = container;
    this.scroller = shared.scroller ?? container;
    this.inView = shared.inView ?? (() => true);
    this.myRole = myRole;
    this.jump = jump;
    this.scroller.addEventListener('scroll', () => {
      if (!this.inView()) return;
      const top = this.scroller.scrollTop;
      if (this.nearBottom()) this.#pinned = true;
      else if (top < this.#lastTop) this.#pinned = false;
      this.#lastTop = top;
    });
    // `load` does not bubble, so a capturing listener hears every image in the conversation.
    container.addEventListener(
      'load',
      (e) => {
        if (e.target instanceof HTMLImageElement && this.inView() && this.#following()) this.toBottom();
      },
      true,
    );
    // A shared box and button are bound once, by their owner.
    if (shared.scroller) return;
    container.addEventListener('scroll', () => {
      if (this.nearBottom()) jump.hidden = true;
    });
    jump.addEventListener('click', () => {
      this.toBottom();
      container.focus();
    });
  }

  nearBottom() {
    const c = this.scroller;
    return c.scrollHeight - c.scrollTop - c.clientHeight < NEAR_BOTTOM_PX;
  }

  /** Pinned, and not scrolled up since the last scroll event said so (that event comes a frame late). */
  #following() {
    return this.#pinned && this.scroller.scrollTop >= this.#lastTop;
  }

  toBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.#pinned = true;
    this.#lastTop = this.scroller.scrollTop;
    this.jump.hidden = true;
  }

  /**
   * @param {HTMLElement} node
   * @param {boolean} [force] scroll to it even when the reader is scrolled up (their own message)
   */
  #append(node, force = false) {
    if (!this.inView()) {
      this.container.appendChild(node);
      return;
    }
    const stick = force || this.nearBottom();
    this.container.appendChild(node);
    // Follow new messages only when the reader is at the bottom: never yank someone reading back.
    if (stick) this.toBottom();
    else this.jump.hidden = false;
  }

  /** Empties the conversation (a new one starts, or the history is loaded again). */
  clear() {
    this.container.textContent = '';
    this.#seqs.clear();
    this.#pending.clear();
    this.lastSeq = 0;
    this.#last = null;
    this.#pinned = true;
    this.#lastTop = 0;
    this.jump.hidden = true;
  }

  /**
   * A notice line in the middle of the conversation.
   * @param {string} text
   * @param {string} [kind] an extra class ('away')
   */
  system(text, kind) {
    const row = el('div', kind ? `msg system ${kind}` : 'msg system');
    row.appendChild(el('span', 'bubble', text));
    this.#last = null;
    this.#append(row);
    return row;
  }

  /**
   * @param {string} sender
   * @param {string} text
   * @param {number | undefined} ts
   * @param {boolean} own
   * @param {ImageField} [image]
   */
  #bubble(sender, text, ts, own, image) {
    const when = typeof ts === 'number' ? ts : Date.now();
    const row = el('div', own ? 'msg own' : 'msg peer');
    const prev = this.#last;
    if (prev && prev.own === own && prev.sender === sender && when - prev.ts < GROUP_MS) row.classList.add('cont');
    if (!own) {
      const avatar = el('span', 'avatar small');
      avatar.setAttribute('aria-hidden', 'true');
      paintAvatar(avatar, sender, this.avatars.get(sender));
      row.appendChild(avatar);
    }
    const body = el('div', 'body');
    const meta = el('div', 'meta');
    // Own messages need no name: they are on the right and the name is in the header.
    meta.append(el('span', own ? 'sender visually-hidden' : 'sender', sender), timeElement(when));
    const thumb = image ? thumbnail(image, sender) : null;
    const bubble = el('div', thumb ? 'bubble image' : 'bubble');
    if (thumb) bubble.appendChild(thumb);
    else appendLinked(bubble, text);
    body.append(meta, bubble, el('div', 'state'));
    row.appendChild(body);
    this.#last = { own, sender, ts: when };
    return row;
  }

  /**
   * Shows an own message at once, marked pending until its ack arrives.
   * @param {string} cid
   * @param {string} sender
   * @param {string} text what the bubble shows meanwhile
   * @param {object} frame what to send again on a retry or after a reconnect
   */
  pendingMessage(cid, sender, text, frame) {
    const row = this.#bubble(sender, text, Date.now(), true);
    row.classList.add('pending');
    stateOf(row).textContent = t('pending');
    this.#pending.set(cid, { row, frame });
    this.#append(row, true);
  }

  /**
   * Marks a pending message failed, with a button that sends it again through `onRetry`.
   * @param {string | null | undefined} cid
   * @param {(cid: string, frame: object) => void} onRetry
   */
  failed(cid, onRetry) {
    const p = cid ? this.#pending.get(cid) : undefined;
    if (!cid || !p || p.row.classList.contains('failed')) return;
    p.row.classList.remove('pending');
    p.row.classList.add('failed');
    const state = stateOf(p.row);
    state.textContent = '';
    const retry = button('link', t('failed'));
    retry.addEventListener('click', () => {
      p.row.classList.remove('failed');
      p.row.classList.add('pending');
      state.textContent = t('pending');
      onRetry(cid, p.frame);
    });
    state.appendChild(retry);
  }

  /**
   * A message frame from the server (echo = ack, relay or replay). Returns true when it is new
   * and from the other side (worth the reader's attention).
   * @param {ServerFrame} f
   */
  message(f) {
    const own = f.role === this.myRole;
    if (typeof f.seq === 'number') {
      if (this.#seqs.has(f.seq)) {
        this.#settle(f);
        return false;
      }
      this.#seqs.add(f.seq);
      if (f.seq > this.lastSeq) this.lastSeq = f.seq;
    }
    if (own && f.cid && this.#pending.has(f.cid)) {
      this.#settle(f);
      return false;
    }
    this.#append(this.#bubble(f.shuiFaDe, f.neiRong, f.ts, own, f.image));
    return !own;
  }

  /**
   * An answer from the FAQ bot: a peer bubble marked as the bot's in words (a badge) and in
   * style, so nobody takes it for a person. Never stored, so it has no seq.
   * @param {{ neiRong: string, shuiFaDe: string, ts?: number }} f
   */
  bot(f) {
    const row = this.#bubble(f.shuiFaDe, f.neiRong, f.ts, false);
    row.classList.add('bot');
    row.querySelector('.meta .sender')?.after(el('span', 'badge', t('botBadge')));
    // Grouping would hide the badge on a second answer: each answer carries its own.
    this.#last = null;
    this.#append(row);
    return row;
  }

  /** @param {ServerFrame} f the ack of a pending message */
  #settle(f) {
    const p = f.cid ? this.#pending.get(f.cid) : undefined;
    if (!f.cid || !p) return;
    p.row.classList.remove('pending', 'failed');
    stateOf(p.row).textContent = '';
    // An image shows as text while it is on its way; the ack brings its URL.
    const thumb = f.image ? thumbnail(f.image, f.shuiFaDe) : null;
    const bubble = p.row.querySelector('.bubble');
    if (thumb && bubble && !bubble.querySelector('img')) {
      bubble.textContent = '';
      bubble.classList.add('image');
      bubble.appendChild(thumb);
    }
    const time = p.row.querySelector('.time');
    if (time && typeof f.ts === 'number') time.textContent = clockTime(f.ts);
    this.#pending.delete(f.cid);
  }

  /**
   * The last message still waiting for its ack. An error that names no cid (the server rejects
   * an over-rate frame before reading it) most likely refers to it; if that guess is wrong, the
   * real ack still arrives and clears the mark.
   */
  newestPending() {
    let newest = null;
    for (const cid of this.#pending.keys()) newest = cid;
    return newest;
  }

  /** The frames of every message not acked yet, oldest first: sent again after a reconnect. */
  unackedFrames() {
    return Array.from(this.#pending.values(), (p) => p.frame);
  }
}

/**
 * A message's text into a bubble: http(s) addresses as links that open in a new tab without
 * handing it this page (noopener) or its address (noreferrer), everything else as text nodes.
 * @param {HTMLElement} bubble
 * @param {string} text
 */
function appendLinked(bubble, text) {
  for (const piece of findLinks(text)) {
    if (!piece.href) {
      bubble.append(document.createTextNode(piece.text));
      continue;
    }
    const link = el('a', undefined, piece.text);
    link.href = piece.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    bubble.appendChild(link);
  }
}

/**
 * The line under a bubble that says "sending" or offers a retry.
 * @param {HTMLElement} row
 */
function stateOf(row) {
  const state = row.querySelector('.state');
  if (!(state instanceof HTMLElement)) throw new Error('a message row without its state line');
  return state;
}
