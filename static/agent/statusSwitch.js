// @ts-check
// The status switch in the header: online (new chats come) or away (no new chats; the ones open
// go on). Offline is going offline (the disconnect button). The server says which status holds: the switch shows
// what it said, and a choice is only a request until then.
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** @typedef {'online' | 'away'} AgentStatus */

export class StatusSwitch {
  /** @type {AgentStatus} what the server said last */
  status = 'online';
  #ui = {
    box: byId('statusSwitch', HTMLElement),
    select: byId('agentStatus', HTMLSelectElement),
    me: byId('meStatus', HTMLElement),
  };

  /**
   * @param {(status: AgentStatus) => boolean} send asks the server; false when no socket is open
   * @param {() => void} changed the status the server holds changed
   */
  constructor(send, changed) {
    this.changed = changed;
    this.#ui.select.addEventListener('change', () => {
      const wanted = this.#ui.select.value === 'away' ? 'away' : 'online';
      // Until the server answers, the switch shows what holds.
      if (!send(wanted)) this.#ui.select.value = this.status;
    });
  }

  /**
   * The server says which status holds (room_opened, inbox, the status notice).
   * @param {string | undefined} status
   */
  set(status) {
    if (status !== 'online' && status !== 'away') return;
    this.status = status;
    this.#ui.select.value = status;
    this.#ui.me.textContent = t(status === 'away' ? 'statusAwayShort' : 'online');
    this.#ui.me.classList.toggle('online', status === 'online');
    this.#ui.me.classList.toggle('away', status === 'away');
    this.changed();
  }

  /** @param {boolean} online shown while the console is online */
  shown(online) {
    this.#ui.box.hidden = !online;
    if (!online) this.set('online');
  }
}
