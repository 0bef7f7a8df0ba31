// @ts-check
// Messages customers left while nobody was online, with their contact, newest first. Each has a
// button that marks it handled for everyone, through the API as this console's account.
import { button, byId, el } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { t } from '../lib/i18n.js';

/** @import { ServerFrame } from '../lib/frames.js' */

export class OfflineInbox {
  /** @type {Set<number>} on screen, by id: the open ones come again on every reconnect */
  #shown = new Set();
  #ui = {
    section: byId('offlineSection', HTMLElement),
    list: byId('offlineList', HTMLUListElement),
    count: byId('offlineCount', HTMLElement),
  };

  /**
   * @param {object} page
   * @param {(text: string) => void} page.notice
   */
  constructor(page) {
    this.page = page;
  }

  /**
   * Adds what an offline_messages frame brings that is not on screen yet (a live one on top);
   * returns how many were new.
   * @param {ServerFrame} f
   */
  add(f) {
    let added = 0;
    for (const m of f.offlineMessages ?? []) {
      if (this.#shown.has(m.id)) continue;
      this.#shown.add(m.id);
      added++;
      const li = el('li', 'offline-item');
      li.appendChild(el('span', 'offline-meta', t('offlineFrom', m.name, clockTime(m.createdAt))));
      li.appendChild(el('span', 'offline-contact', m.contact));
      li.appendChild(el('span', 'offline-text', m.content));
      const done = button('ghost', t('offlineHandled'));
      done.setAttribute('aria-label', t('offlineHandledLabel', m.name));
      done.addEventListener('click', () => this.#markHandled(m.id, li, done));
      li.appendChild(done);
      if (f.live) this.#ui.list.prepend(li);
      else this.#ui.list.appendChild(li);
    }
    this.#showCount();
    return added;
  }

  #showCount() {
    const n = this.#ui.list.children.length;
    this.#ui.section.hidden = n === 0;
    this.#ui.count.textContent = String(n);
  }

  /**
   * @param {number} id
   * @param {HTMLElement} item
   * @param {HTMLButtonElement} done
   */
  async #markHandled(id, item, done) {
    done.disabled = true;
    try {
      // The session cookie says who handled it.
      const r = await fetch(`/api/offline-messages/${encodeURIComponent(String(id))}/handled`, { method: 'POST' });
      if (!r.ok) throw new Error(String(r.status));
      item.remove();
      this.#showCount();
    } catch {
      done.disabled = false;
      this.page.notice(t('offlineHandleFailed'));
    }
  }
}
