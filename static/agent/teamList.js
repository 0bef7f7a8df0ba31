// @ts-check
// The console's team list from presence frames: every online agent, their state, status and
// load (chats of capacity), a transfer button by each free colleague for the conversation in
// view, the addressees a private note can go to, and how many customers wait.
import { paintAvatar } from '../lib/avatars.js';
import { button, byId, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { redrawKeepingFocus } from './keepFocus.js';

/** @import { AgentPresence, ServerFrame } from '../lib/frames.js' */

/** @type {Record<AgentPresence['state'], string>} */
const STATE_TEXT = { free: 'agentFree', serving: 'agentServing', away: 'agentAway' };

/** The sidebar's team list and the note addressees, redrawn from each presence frame. */
export class TeamList {
  /** @type {AgentPresence[]} the last presence frame's agents */
  #agents = [];
  #ui = {
    agents: byId('agents', HTMLUListElement),
    onlineCount: byId('onlineCount', HTMLElement),
    queueInfo: byId('queueInfo', HTMLElement),
    teamTo: byId('teamTo', HTMLSelectElement),
  };

  /**
   * @param {object} page
   * @param {() => string} page.myName
   * @param {() => boolean} page.serving whether a conversation going on is in view (transfer buttons show)
   * @param {(to: string) => void} page.transfer hands that conversation's customer to this free colleague
   */
  constructor(page) {
    this.page = page;
  }

  /**
   * How many customers wait, when the server says.
   * @param {number} n
   */
  showQueue(n) {
    this.#ui.queueInfo.hidden = n <= 0;
    this.#ui.queueInfo.textContent = t('queueLength', n);
  }

  /** @param {ServerFrame} f a presence frame */
  update(f) {
    this.#agents = f.agents ?? [];
    this.showQueue(f.waiting ?? 0);
    this.#ui.onlineCount.textContent = t('onlineCount', f.online ?? 0);
    this.render();
    this.#fillAddressees();
  }

  /**
   * Draws the list again (when the console starts or stops serving, or a transfer failed); a
   * transfer button that had the focus keeps it, or the conversation takes it when it is gone.
   */
  render() {
    redrawKeepingFocus(
      this.#ui.agents,
      () => this.#draw(),
      () => document.getElementById('messages'),
    );
  }

  #draw() {
    const me = this.page.myName();
    const serving = this.page.serving();
    this.#ui.agents.textContent = '';
    for (const a of this.#agents) {
      const li = el('li', a.state);
      const face = el('span', 'avatar tiny');
      face.setAttribute('aria-hidden', 'true');
      paintAvatar(face, a.name, a.avatar);
      li.append(face, el('span', 'dot'), el('span', 'agent-name', a.name + (a.name === me ? ` ${t('you')}` : '')));
      // Dropped (state away) says more than a status; an agent away by choice takes no new chats.
      const away = a.state !== 'away' && a.status === 'away';
      li.classList.toggle('status-away', away);
      li.appendChild(el('span', 'agent-state', t(away ? 'statusAwayShort' : STATE_TEXT[a.state])));
      if (typeof a.chats === 'number' && typeof a.capacity === 'number') {
        li.appendChild(el('span', 'agent-load', t('agentLoad', a.chats, a.capacity)));
      }
      if (serving && a.state === 'free' && a.name !== me) {
        const b = button('ghost', t('transfer'));
        b.setAttribute('aria-label', t('transferTo', a.name));
        b.dataset.focusKey = `transfer:${a.name}`;
        b.addEventListener('click', () => {
          b.disabled = true;
          this.page.transfer(a.name);
        });
        li.appendChild(b);
      }
      this.#ui.agents.appendChild(li);
    }
  }

  /** Private notes go to agents who are online now; the choice stays if they still are. */
  #fillAddressees() {
    const select = this.#ui.teamTo;
    const chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    for (const a of this.#agents) {
      if (a.name === this.page.myName() || a.state === 'away') continue;
      const o = el('option', '', a.name);
      o.value = a.name;
      select.appendChild(o);
    }
    select.value = chosen;
    if (select.value !== chosen) select.value = '';
  }
}
