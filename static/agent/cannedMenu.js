// @ts-check
// The canned-reply menu in the composer: type `/` and part of a shortcut or title, pick with the
// arrows, insert with Enter or Tab, close with Escape. Bind it before the composer's own Enter
// handler, so Enter in an open menu inserts instead of sending.
import { byId, el } from '../lib/dom.js';

/** @import { CannedReply } from './cannedReplies.js' */

const MENU_MAX = 8;

// A `/` begins a shortcut unless it sits in a Latin word, number or address (`and/or`, `1/2`,
// `http://`); Chinese has no spaces, so a slash right after a Chinese character must still open
// the menu.
const SLASH_QUERY = /(?:^|[^A-Za-z0-9/:.])\/([^\s/]*)$/;

const MOVE_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'Home', 'End']);

/** The `/` menu on the composer, over the replies CannedReplies loaded. */
export class CannedMenu {
  open = false;
  /** @type {CannedReply[]} */
  #matches = [];
  #active = 0;
  /** Where the `/query` being replaced starts in the field. */
  #start = 0;
  /** @type {string | null} the text before the caret when Escape closed the menu: it stays closed for it */
  #suppressed = null;
  #menu = byId('cannedMenu', HTMLUListElement);

  /**
   * @param {HTMLTextAreaElement} input
   * @param {() => CannedReply[]} replies
   */
  constructor(input, replies) {
    this.input = input;
    this.replies = replies;
    input.addEventListener('keydown', (e) => this.#onKey(e));
    input.addEventListener('input', () => this.update());
    input.addEventListener('click', () => this.update());
    input.addEventListener('keyup', (e) => {
      if (MOVE_KEYS.has(e.key)) this.update();
    });
    input.addEventListener('blur', () => this.#close());
  }

  /** The replies changed: an open menu filters again. */
  refresh() {
    if (this.open) this.update();
  }

  #close() {
    this.open = false;
    this.#menu.hidden = true;
    this.#menu.textContent = '';
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Opens, filters or closes the menu from the text just before the caret. */
  update() {
    const caret = this.input.selectionStart;
    const replies = this.replies();
    if (this.input.disabled || replies.length === 0 || caret !== this.input.selectionEnd) return this.#close();
    const before = this.input.value.slice(0, caret);
    const m = SLASH_QUERY.exec(before);
    if (!m || before === this.#suppressed) return this.#close();
    this.#suppressed = null;
    const q = (m[1] ?? '').toLowerCase();
    const matches = replies.filter((r) => r.shortcut.startsWith(q) || r.title.toLowerCase().includes(q));
    if (matches.length === 0) return this.#close();
    this.#matches = matches.slice(0, MENU_MAX);
    this.#start = caret - q.length - 1;
    if (!this.open || this.#active >= this.#matches.length) this.#active = 0;
    this.open = true;
    this.#render();
  }

  #render() {
    this.#menu.textContent = '';
    this.#matches.forEach((r, i) => {
      const li = el('li', 'canned-option');
      li.id = `cannedOption${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.#active));
      li.append(el('span', 'canned-shortcut', `/${r.shortcut}`), el('span', 'canned-title', r.title), el('span', 'canned-preview', r.body));
      // mousedown would take focus from the composer before the click lands.
      li.addEventListener('mousedown', (e) => e.preventDefault());
      li.addEventListener('click', () => this.#insert(i));
      this.#menu.appendChild(li);
    });
    this.#menu.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.input.setAttribute('aria-activedescendant', `cannedOption${this.#active}`);
    this.#menu.children[this.#active]?.scrollIntoView({ block: 'nearest' });
  }

  /**
   * Replaces `/query` before the caret with the reply's text, for the agent to edit or send.
   * @param {number} i
   */
  #insert(i) {
    const r = this.#matches[i];
    if (!r) return;
    const caret = this.input.selectionStart;
    const value = this.input.value;
    this.input.value = value.slice(0, this.#start) + r.body + value.slice(caret);
    const at = this.#start + r.body.length;
    this.input.setSelectionRange(at, at);
    this.#close();
    this.input.focus();
  }

  /** @param {KeyboardEvent} e */
  #onKey(e) {
    if (!this.open || e.isComposing || e.keyCode === 229) return;
    const n = this.#matches.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      this.#active = (this.#active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.#render();
    } else if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
      this.#insert(this.#active);
    } else if (e.key === 'Escape') {
      // Stays closed for this text; typing on opens it again.
      this.#suppressed = this.input.value.slice(0, this.input.selectionStart);
      this.#close();
    } else {
      return;
    }
    e.preventDefault();
    // The composer's Enter-sends handler is bound after this one.
    e.stopImmediatePropagation();
  }
}
