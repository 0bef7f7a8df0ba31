// @ts-check
// The agents' team channel: messages to the whole team and private notes to one agent. History
// comes again on every reconnect (shown once, by id); a note the server refuses goes back into
// the field.
import { byId, el } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { announce } from '../lib/announce.js';
import { t } from '../lib/i18n.js';
import { newCid } from '../lib/outbox.js';

/** @import { ServerFrame } from '../lib/frames.js' */

/** How close to the bottom counts as reading the newest: the channel follows new messages. */
const NEAR_BOTTOM_PX = 40;

/** The team channel in the sidebar: shows team frames, sends the form's message or note. */
export class TeamChannel {
  /** @type {Set<number>} team messages on screen, by id */
  #shown = new Set();
  /** @type {Map<string, string>} sent and not acked yet: cid to text */
  #pending = new Map();
  #ui = {
    messages: byId('teamMessages', HTMLElement),
    empty: byId('teamEmpty', HTMLElement),
    form: byId('teamForm', HTMLFormElement),
    to: byId('teamTo', HTMLSelectElement),
    input: byId('teamInput', HTMLInputElement),
  };

  /**
   * @param {object} page
   * @param {() => string} page.myName
   * @param {(frame: object) => boolean} page.send false when no socket is open
   * @param {() => void} page.attention a colleague wrote
   */
  constructor(page) {
    this.page = page;
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#send();
    });
  }

  #send() {
    const text = this.#ui.input.value;
    if (!text.trim()) return;
    /** @type {{ type: 'team', neiRong: string, cid: string, to?: string }} */
    const frame = { type: 'team', neiRong: text, cid: newCid() };
    if (this.#ui.to.value) frame.to = this.#ui.to.value;
    if (!this.page.send(frame)) return;
    this.#pending.set(frame.cid, text);
    this.#ui.input.value = '';
  }

  /** @param {ServerFrame} f a team frame: live, an ack of our own, or history */
  show(f) {
    if (f.cid) this.#pending.delete(f.cid);
    if (typeof f.id !== 'number' || this.#shown.has(f.id)) return;
    this.#shown.add(f.id);
    this.#ui.empty.hidden = true;
    const box = el('p', f.to ? 'team-msg note' : 'team-msg');
    const meta = `${f.shuiFaDe}${f.to ? ` · ${t('privateNote', f.to)}` : ''} · ${clockTime(f.ts)}`;
    box.appendChild(el('span', 'team-meta', meta));
    box.appendChild(document.createTextNode(f.neiRong));
    const list = this.#ui.messages;
    const near = list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
    const mine = f.shuiFaDe === this.page.myName();
    list.appendChild(box);
    if (near || mine) list.scrollTop = list.scrollHeight;
    if (!f.replay && !mine) {
      this.page.attention();
      announce(t('announceMessage', f.shuiFaDe, f.neiRong));
    }
  }

  /**
   * An error frame about one of our notes: its text goes back into the field (unless the
   * agent already typed something new). False when the error is about something else.
   * @param {string | undefined} cid
   */
  refused(cid) {
    const text = cid ? this.#pending.get(cid) : undefined;
    if (!cid || text === undefined) return false;
    if (!this.#ui.input.value) this.#ui.input.value = text;
    this.#pending.delete(cid);
    return true;
  }
}
