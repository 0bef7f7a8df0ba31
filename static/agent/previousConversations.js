// @ts-check
// The customer panel's "previous conversations": the other conversations of the same visitor (the
// customer page's visitor id, a grouping key only), each opening its transcript read-only in the
// history page. Asked once per visitor while the console runs; a visitor with no id has none.
import { byId, el } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { requestJson } from '../lib/http.js';
import { t } from '../lib/i18n.js';
import { listedOf, transcriptHref } from './conversationList.js';

/** @import { Listed } from './conversationList.js' */

const LIMIT = 20;

export class PreviousConversations {
  /** @type {Map<string, Promise<Listed[] | null>>} by visitor id */
  #cache = new Map();
  /** Counts the calls to show: only the latest one's answer is drawn (others are stale or the same). */
  #showing = 0;
  #ui = {
    section: byId('previousSection', HTMLElement),
    list: byId('previousList', HTMLUListElement),
    none: byId('previousNone', HTMLElement),
  };

  /**
   * @param {string} visitorId '' when the customer page sent none
   * @param {string | null} current the conversation in view (not listed as a previous one)
   */
  async show(visitorId, current) {
    const call = ++this.#showing;
    this.#ui.section.hidden = !visitorId;
    this.#ui.list.textContent = '';
    this.#ui.none.hidden = true;
    if (!visitorId) return;
    let answer = this.#cache.get(visitorId);
    if (!answer) {
      answer = this.#load(visitorId);
      this.#cache.set(visitorId, answer);
    }
    const listed = await answer;
    if (this.#showing !== call) return;
    const previous = (listed ?? []).filter((c) => c.id !== current);
    for (const c of previous) {
      const li = el('li', 'previous');
      const a = el('a', '', t('previousItem', clockTime(c.startedAt), c.agent, c.messageCount));
      a.href = transcriptHref(c.id);
      a.target = '_blank';
      a.rel = 'noopener';
      li.appendChild(a);
      this.#ui.list.appendChild(li);
    }
    this.#ui.none.textContent = t(listed ? 'previousNone' : 'listFailed');
    this.#ui.none.hidden = previous.length > 0;
  }

  /** A conversation of this visitor ended: the next look asks again. @param {string} visitorId */
  forget(visitorId) {
    this.#cache.delete(visitorId);
  }

  /** @param {string} visitorId */
  async #load(visitorId) {
    try {
      const { status, body } = await requestJson(`/api/conversations?visitor=${encodeURIComponent(visitorId)}&limit=${LIMIT}`);
      // A server that does not filter by visitor yet answers with every conversation: keep this visitor's.
      if (status === 200) return listedOf(body, (c) => c.visitorId === visitorId);
    } catch {
      /* shown as not loaded; the next customer of this visitor asks again */
    }
    this.#cache.delete(visitorId);
    return null;
  }
}
