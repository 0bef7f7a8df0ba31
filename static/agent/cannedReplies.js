// @ts-check
// The team's shared canned replies in the console's sidebar: the list, and a form to create and
// edit them (owners and admins), all through /api/canned-replies as the signed-in account.
import { button, byId, el } from '../lib/dom.js';
import { requestJson } from '../lib/http.js';
import { t } from '../lib/i18n.js';

/** @typedef {{ id: number, shortcut: string, title: string, body: string }} CannedReply */

/** The API's error codes, as the text the form shows. */
/** @type {Record<string, string>} */
const ERRORS = {
  bad_shortcut: 'cannedBadShortcut',
  bad_title: 'cannedBadTitle',
  bad_body: 'cannedBadBody',
  shortcut_taken: 'cannedTaken',
};

/**
 * @param {unknown} r
 * @returns {r is CannedReply}
 */
function isCannedReply(r) {
  if (typeof r !== 'object' || r === null) return false;
  const c = /** @type {Record<string, unknown>} */ (r);
  return typeof c.id === 'number' && typeof c.shortcut === 'string' && typeof c.title === 'string' && typeof c.body === 'string';
}

/** The replies as the API last gave them, and the sidebar that shows and edits them. */
export class CannedReplies {
  /** @type {CannedReply[]} */
  replies = [];
  /** @type {number | null} the reply the form edits, or null for a new one */
  #editing = null;
  /** Called after each load, when `replies` may have changed. */
  onLoaded = () => {};
  #ui = {
    list: byId('cannedList', HTMLUListElement),
    empty: byId('cannedEmpty', HTMLElement),
    form: byId('cannedForm', HTMLFormElement),
    shortcut: byId('cannedShortcut', HTMLInputElement),
    title: byId('cannedTitleInput', HTMLInputElement),
    body: byId('cannedBody', HTMLTextAreaElement),
    error: byId('cannedError', HTMLElement),
    add: byId('cannedNew', HTMLButtonElement),
    cancel: byId('cannedCancel', HTMLButtonElement),
  };

  /**
   * @param {() => boolean} signedIn whether the console is signed in (nothing is asked before)
   * @param {() => boolean} mayChange whether this account's role may edit and delete replies (owners and admins)
   */
  constructor(signedIn, mayChange) {
    this.signedIn = signedIn;
    this.mayChange = mayChange;
    this.#ui.add.addEventListener('click', () => this.#openForm(null));
    this.#ui.cancel.addEventListener('click', () => this.#closeForm());
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#save();
    });
    // Replies other agents made show when this tab comes back into focus.
    window.addEventListener('focus', () => void this.load());
  }

  /**
   * @param {'GET' | 'POST' | 'PUT' | 'DELETE'} method
   * @param {string} path
   * @param {object} [body]
   */
  #api(method, path, body) {
    // The console's session cookie goes along by itself.
    /** @type {RequestInit} */
    const init = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    return requestJson(`/api/canned-replies${path}`, init);
  }

  /** Fetches the list again: on connect, when the tab comes back into focus, after each change. */
  async load() {
    if (!this.signedIn()) return;
    try {
      const { status, body } = await this.#api('GET', '');
      const list = body?.cannedReplies;
      if (status !== 200 || !Array.isArray(list)) return;
      this.replies = list.filter(isCannedReply);
      this.#render();
      this.onLoaded();
    } catch {
      /* the list on screen stays; the next focus tries again */
    }
  }

  #render() {
    this.#ui.list.textContent = '';
    this.#ui.empty.hidden = this.replies.length > 0;
    for (const r of this.replies) {
      const li = el('li', 'canned-item');
      li.title = r.body;
      const text = el('span', 'canned-text');
      text.append(el('span', 'canned-shortcut', `/${r.shortcut}`), el('span', 'canned-title', r.title));
      const edit = button('ghost', t('cannedEdit'));
      edit.setAttribute('aria-label', t('cannedEditLabel', r.title));
      edit.addEventListener('click', () => this.#openForm(r));
      const del = button('ghost', t('cannedDelete'));
      del.setAttribute('aria-label', t('cannedDeleteLabel', r.title));
      del.addEventListener('click', () => {
        del.disabled = true;
        this.#api('DELETE', `/${r.id}`).then(
          () => this.load(),
          () => this.load(),
        );
      });
      // Everyone adds replies; changing one is for owners and admins (the server says so too).
      if (this.mayChange()) li.append(text, edit, del);
      else li.append(text);
      this.#ui.list.appendChild(li);
    }
  }

  /** @param {CannedReply | null} reply */
  #openForm(reply) {
    this.#editing = reply ? reply.id : null;
    this.#ui.shortcut.value = reply ? reply.shortcut : '';
    this.#ui.title.value = reply ? reply.title : '';
    this.#ui.body.value = reply ? reply.body : '';
    this.#ui.error.textContent = '';
    this.#ui.form.hidden = false;
    this.#ui.shortcut.focus();
  }

  #closeForm() {
    this.#ui.form.hidden = true;
    this.#editing = null;
    this.#ui.add.focus();
  }

  async #save() {
    const ui = this.#ui;
    const fields = { shortcut: ui.shortcut.value, title: ui.title.value, body: ui.body.value };
    ui.error.textContent = '';
    try {
      const { status, body } = this.#editing === null ? await this.#api('POST', '', fields) : await this.#api('PUT', `/${this.#editing}`, fields);
      if (status === 200 || status === 201) {
        this.#closeForm();
        await this.load();
        return;
      }
      const code = body?.error;
      const which = typeof code === 'string' && Object.hasOwn(ERRORS, code) ? ERRORS[code] : undefined;
      ui.error.textContent = t(which || 'cannedFailed');
      if (which === 'cannedBadTitle') ui.title.focus();
      else if (which === 'cannedBadBody') ui.body.focus();
      else if (which) ui.shortcut.focus();
    } catch {
      ui.error.textContent = t('cannedFailed');
    }
  }
}
