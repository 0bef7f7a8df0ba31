// @ts-check
// Getting the agent's attention: the tab title counts what is unread (conversations' unread
// messages, and team and offline messages that came while the tab was hidden), the header flashes
// while hidden, a short chime sounds, and, once the agent allowed it with the button (never asked
// on load), a desktop notification says what came.
import { chime } from '../lib/attention.js';
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** The title, the chime and the desktop notifications. */
export class Attention {
  /** Team and offline messages that came while hidden (cleared when the tab is shown). */
  #other = 0;
  #unread = 0;
  #ui = { button: byId('notifyButton', HTMLButtonElement) };

  /**
   * @param {string} base the page's title
   * @param {() => void} shown the tab is visible again
   */
  constructor(base, shown) {
    this.base = base;
    document.title = base;
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) return;
      this.#other = 0;
      shown();
      this.#paint();
    });
    this.#ui.button.addEventListener('click', () => void this.#ask());
    this.#showButton();
  }

  /** The Notification API, where the browser has one. */
  #api() {
    return typeof Notification === 'function' ? Notification : null;
  }

  #showButton() {
    const api = this.#api();
    const b = this.#ui.button;
    b.hidden = !api;
    if (!api) return;
    const permission = api.permission;
    b.disabled = permission !== 'default';
    b.textContent = t(permission === 'granted' ? 'notifyOn' : permission === 'denied' ? 'notifyDenied' : 'notifyEnable');
    b.setAttribute('aria-pressed', String(permission === 'granted'));
  }

  async #ask() {
    const api = this.#api();
    if (api?.permission !== 'default') return;
    try {
      await api.requestPermission();
    } catch {
      /* an old browser's callback form, or refused: the button says what holds */
    }
    this.#showButton();
  }

  /**
   * How many conversation messages are unread now.
   * @param {number} n
   */
  unread(n) {
    this.#unread = n;
    this.#paint();
  }

  /** A team or offline message: counted in the title while the tab is hidden (with a chime). */
  other() {
    if (!document.hidden) return;
    this.#other++;
    this.#paint();
    chime();
  }

  #paint() {
    const n = this.#unread + this.#other;
    document.title = n > 0 ? t('unread', n) + this.base : this.base;
    document.body.classList.toggle('attention', document.hidden && n > 0);
  }

  /**
   * A new chat, or a message in a conversation not in view: a chime, and a desktop notification
   * when allowed; clicking it brings the console and that conversation up.
   * @param {string} title
   * @param {string} body
   * @param {string} tag one notification per conversation replaces the last
   * @param {() => void} onClick
   */
  notify(title, body, tag, onClick) {
    chime();
    const api = this.#api();
    if (api?.permission !== 'granted') return;
    try {
      const n = new api(title, { body, tag });
      n.onclick = () => {
        window.focus();
        onClick();
        n.close();
      };
    } catch {
      /* some browsers allow notifications only from a service worker: the chime and title stay */
    }
  }
}
