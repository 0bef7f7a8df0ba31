// @ts-check
// The console's conversation list and its tabs: mine (the threads, with unread badges), waiting
// (the queue presence lists), all open (admins, from the API, again on each presence change) and
// recently resolved (mine, from the API). A conversation that is not the agent's opens read-only
// in the history page.
import { paintAvatar } from '../lib/avatars.js';
import { byId, el } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { requestJson } from '../lib/http.js';
import { pageHref, t } from '../lib/i18n.js';
import { redrawKeepingFocus } from './keepFocus.js';

/** @import { ConversationThread } from './conversationThread.js' */
/** @import { ConversationThreads } from './conversationThreads.js' */
/** @import { QueuedCustomer } from '../lib/frames.js' */

/** @typedef {'mine' | 'waiting' | 'all' | 'resolved'} Tab */

/**
 * A conversation as GET /api/conversations lists it (the fields the list shows).
 * @typedef {{ id: string, agent: string, customer: string, startedAt: number, endedAt: number | null, messageCount: number }} Listed
 */

/** How often at most the all-open tab asks the server again while presence changes. */
const ALL_REFRESH_MS = 2000;
const RESOLVED_LIMIT = 20;

/** The read-only transcript of a conversation, in the history page. */
export const transcriptHref = (/** @type {string} */ id) => pageHref(`history.html#c=${encodeURIComponent(id)}`);

/**
 * The conversations of an API answer, keeping only well-formed ones that pass `keep` (a server
 * that does not know a filter yet answers unfiltered).
 * @param {Record<string, unknown> | null} body
 * @param {(c: Record<string, unknown>) => boolean} keep
 * @returns {Listed[]}
 */
export function listedOf(body, keep) {
  const raw = Array.isArray(body?.conversations) ? body.conversations : [];
  /** @type {Listed[]} */
  const out = [];
  for (const c of raw) {
    if (typeof c !== 'object' || c === null || typeof c.id !== 'string' || typeof c.customer !== 'string' || !keep(c)) continue;
    out.push({
      id: c.id,
      agent: typeof c.agent === 'string' ? c.agent : '',
      customer: c.customer,
      startedAt: typeof c.startedAt === 'number' ? c.startedAt : 0,
      endedAt: typeof c.endedAt === 'number' ? c.endedAt : null,
      messageCount: typeof c.messageCount === 'number' ? c.messageCount : 0,
    });
  }
  return out;
}

/** The tabs and the list under them. */
export class ConversationList {
  /** @type {Tab} */
  tab = 'mine';
  /** @type {QueuedCustomer[]} */
  #queue = [];
  #waiting = 0;
  /** @type {Listed[] | null} null: not loaded (or failed) */
  #all = null;
  /** @type {Listed[] | null} */
  #resolved = null;
  #allAskedAt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} a refresh held back by the limit, to come at its end */
  #allLater;
  /** A request for the chosen tab is under way (an empty list says "loading", not "failed"). */
  #loading = false;
  #ui = {
    tabs: byId('listTabs', HTMLElement),
    list: byId('conversationList', HTMLUListElement),
    panel: byId('listPanel', HTMLElement),
    empty: byId('listEmpty', HTMLElement),
    allTab: byId('tab-all', HTMLButtonElement),
  };

  /**
   * @param {object} page
   * @param {ConversationThreads} page.threads
   * @param {(thread: ConversationThread) => void} page.open brings one of the agent's conversations into view
   * @param {() => string} page.myName
   * @param {() => boolean} page.admin whether the all-open tab is offered
   */
  constructor(page) {
    this.page = page;
    // Every tab, the hidden all-open one too (shown once the account is known).
    for (const b of this.#ui.tabs.querySelectorAll('button[role="tab"]')) {
      if (!(b instanceof HTMLButtonElement)) continue;
      b.addEventListener('click', () => this.select(/** @type {Tab} */ (b.dataset.tab)));
      b.addEventListener('keydown', (e) => this.#arrows(e));
    }
  }

  /** @returns {HTMLButtonElement[]} the tabs offered */
  #tabButtons() {
    /** @type {HTMLButtonElement[]} */
    const out = [];
    for (const b of this.#ui.tabs.querySelectorAll('button[role="tab"]')) if (b instanceof HTMLButtonElement && !b.hidden) out.push(b);
    return out;
  }

  /** Left and right move between the tabs, Home and End to the first and last, as a tab list does. @param {KeyboardEvent} e */
  #arrows(e) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    const tabs = this.#tabButtons();
    const at = tabs.findIndex((b) => b.dataset.tab === this.tab);
    const step = { ArrowRight: at + 1, ArrowLeft: at + tabs.length - 1, Home: 0, End: tabs.length - 1 }[e.key] ?? at;
    const next = tabs[step % tabs.length];
    if (!next) return;
    e.preventDefault();
    this.select(/** @type {Tab} */ (next.dataset.tab));
    next.focus();
  }

  /** The account is known: admins get the all-open tab. */
  signedIn() {
    this.#ui.allTab.hidden = !this.page.admin();
    if (this.#ui.allTab.hidden && this.tab === 'all') this.select('mine');
  }

  /** @param {Tab} tab */
  select(tab) {
    this.tab = tab;
    for (const b of this.#tabButtons()) {
      const on = b.dataset.tab === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    this.#ui.panel.setAttribute('aria-labelledby', `tab-${tab}`);
    if (tab === 'all') void this.#loadAll(true);
    if (tab === 'resolved') void this.#loadResolved();
    this.render();
  }

  /**
   * A presence frame: the queue, and the all-open tab asks again.
   * @param {QueuedCustomer[] | undefined} queue
   * @param {number} waiting
   */
  presence(queue, waiting) {
    this.#queue = queue ?? [];
    this.#waiting = queue ? queue.length : waiting;
    if (this.tab === 'all') void this.#loadAll(false);
    this.render();
  }

  /** One of the agent's conversations ended: the resolved tab is stale. */
  ended() {
    this.#resolved = null;
    if (this.tab === 'resolved') void this.#loadResolved();
  }

  /** @param {boolean} now ask even if asked a moment ago (the tab was just chosen) */
  async #loadAll(now) {
    const at = Date.now();
    const wait = this.#allAskedAt + ALL_REFRESH_MS - at;
    if (!now && wait > 0) {
      // The last change within the limit still shows, once the limit allows.
      this.#allLater ??= setTimeout(() => {
        this.#allLater = undefined;
        if (this.tab === 'all') void this.#loadAll(true);
      }, wait);
      return;
    }
    clearTimeout(this.#allLater);
    this.#allLater = undefined;
    this.#allAskedAt = at;
    this.#all = await this.#fetch('/api/conversations?status=open', (c) => c.endedAt == null);
    this.render();
  }

  async #loadResolved() {
    const me = this.page.myName();
    const query = `/api/conversations?status=ended&agent=${encodeURIComponent(me)}&limit=${RESOLVED_LIMIT}`;
    this.#resolved = (await this.#fetch(query, (c) => c.endedAt != null && c.agent === me))?.slice(0, RESOLVED_LIMIT) ?? null;
    this.render();
  }

  /**
   * @param {string} url
   * @param {(c: Record<string, unknown>) => boolean} keep
   */
  async #fetch(url, keep) {
    this.#loading = true;
    try {
      const { status, body } = await requestJson(url);
      return status === 200 ? listedOf(body, keep) : null;
    } catch {
      return null;
    } finally {
      this.#loading = false;
    }
  }

  /** Draws the tab counts and the chosen tab's list again; a row's button that had the focus keeps it. */
  render() {
    redrawKeepingFocus(
      this.#ui.list,
      () => this.#draw(),
      () => byId(`tab-${this.tab}`, HTMLElement),
    );
  }

  #draw() {
    const threads = this.page.threads;
    const mine = threads.all().filter((th) => !th.ended || th === threads.current);
    this.#count('mine', threads.unreadTotal(), t('unreadCount', threads.unreadTotal()));
    this.#count('waiting', this.#waiting, t('queueLength', this.#waiting));
    const list = this.#ui.list;
    list.textContent = '';
    /** @type {HTMLElement[]} */
    let rows = [];
    if (this.tab === 'mine') rows = mine.sort((a, b) => b.lastTs - a.lastTs).map((th) => this.#mineRow(th));
    else if (this.tab === 'waiting') rows = this.#queue.map((q) => this.#row(q.customer, t('queuePlace', q.position)));
    else {
      const listed = this.tab === 'all' ? this.#all : this.#resolved;
      rows = (listed ?? []).map((c) => this.#listedRow(c));
      if (listed === null) this.#ui.empty.textContent = t(this.#loading ? 'listLoading' : 'listFailed');
      else if (rows.length === 0) this.#ui.empty.textContent = t(EMPTY[this.tab]);
    }
    list.append(...rows);
    this.#ui.empty.hidden = rows.length > 0;
    if (this.tab === 'mine' || this.tab === 'waiting') this.#ui.empty.textContent = t(EMPTY[this.tab]);
  }

  /**
   * @param {Tab} tab
   * @param {number} n
   * @param {string} label
   */
  #count(tab, n, label) {
    const badge = byId(`count-${tab}`, HTMLElement);
    badge.textContent = n > 0 ? String(n) : '';
    badge.hidden = n === 0;
    badge.setAttribute('aria-label', label);
  }

  /** @param {ConversationThread} th */
  #mineRow(th) {
    const sub = th.ended ? t('conversationEnded') : th.away ? t('statePeerAway') : th.preview;
    const li = this.#row(th.customer.name, sub, th.customer.avatar, th.customer.verified);
    li.classList.toggle('ended', th.ended);
    const b = el('button', 'conv-open');
    b.type = 'button';
    b.setAttribute('aria-label', t('openConversation', th.customer.name));
    b.dataset.focusKey = `thread:${th.id}`;
    if (th === this.page.threads.current) b.setAttribute('aria-current', 'true');
    b.addEventListener('click', () => this.page.open(th));
    li.appendChild(b);
    if (th.unread > 0) {
      const badge = el('span', 'unread', String(th.unread));
      badge.setAttribute('aria-label', t('unreadCount', th.unread));
      li.appendChild(badge);
    }
    if (th.lastTs) li.appendChild(el('span', 'conv-time', clockTime(th.lastTs)));
    describeBy(b, li);
    return li;
  }

  /** @param {Listed} c */
  #listedRow(c) {
    const mine = this.page.threads.get(c.id);
    const sub = this.tab === 'all' ? t('servedBy', c.agent) : t('messageCount', c.messageCount);
    const li = this.#row(c.customer, sub);
    if (mine && !mine.ended) {
      const b = el('button', 'conv-open');
      b.type = 'button';
      b.setAttribute('aria-label', t('openConversation', c.customer));
      b.dataset.focusKey = `listed:${c.id}`;
      b.addEventListener('click', () => this.page.open(mine));
      li.appendChild(b);
    } else {
      const a = el('a', 'conv-open');
      a.href = transcriptHref(c.id);
      a.target = '_blank';
      a.rel = 'noopener';
      a.setAttribute('aria-label', t('readOnlyTranscript', c.customer));
      a.dataset.focusKey = `listed:${c.id}`;
      li.appendChild(a);
    }
    li.appendChild(el('span', 'conv-time', clockTime(c.endedAt ?? c.startedAt)));
    return li;
  }

  /**
   * @param {string} name
   * @param {string} sub
   * @param {string} [avatar]
   * @param {boolean} [verified] the site signed this customer's identity
   */
  #row(name, sub, avatar, verified = false) {
    const li = el('li', 'conv');
    const face = el('span', 'avatar small');
    face.setAttribute('aria-hidden', 'true');
    paintAvatar(face, name, avatar);
    const who = el('span', 'who');
    const line = el('span', 'who-name', name);
    if (verified) line.append(' ', verifiedMark());
    who.append(line, el('span', 'who-sub', sub));
    li.append(face, who);
    return li;
  }
}

let described = 0;

/**
 * The row's button is what a screen reader lands on: its name says whose conversation it opens,
 * and the row's other lines (verified, last message or state, unread, time) describe it.
 * @param {HTMLElement} button
 * @param {HTMLElement} row
 */
function describeBy(button, row) {
  const ids = [];
  for (const part of row.querySelectorAll('.verified, .who-sub, .unread, .conv-time')) {
    if (!(part instanceof HTMLElement)) continue;
    part.id ||= `conv-part-${++described}`;
    ids.push(part.id);
  }
  button.setAttribute('aria-describedby', ids.join(' '));
}

/** The mark of a customer whose identity the site signed: a badge with its word, its reason in the title. */
export function verifiedMark() {
  const mark = el('span', 'verified', t('verified'));
  mark.title = t('verifiedTitle');
  return mark;
}

/** @type {Record<Tab, string>} */
const EMPTY = { mine: 'listEmptyMine', waiting: 'listEmptyWaiting', all: 'listEmptyAll', resolved: 'listEmptyResolved' };
