// @ts-check
// The customer page inside widget.js's iframe, talking with the page that embeds it. It speaks only
// when it is framed, by a host whose origin the `host` parameter names AND the server lists in
// WIDGET_ORIGINS (GET /api/widget); every message goes to that exact origin, and a message is
// heard only from the parent window at that origin. It tells the host of new agent messages (for
// the launcher's unread badge and kefu('on', 'message')) and of the visitor closing the panel, and
// takes open, close, identify and setLocale from it.
import { button } from '../lib/dom.js';
import { lang, t, tableOf } from '../lib/i18n.js';

/** @import { ServerFrame } from '../lib/frames.js' */

/** The query parameters a signed identity travels in (src/transport/widgetIdentity.ts). */
const PARAMS = { id: 'identityId', name: 'identityName', email: 'identityEmail', expiry: 'identityExpiry', signature: 'identitySignature' };

const query = new URLSearchParams(globalThis.location?.search ?? '');
/** The host page's origin as the iframe's URL gives it; trusted only once the server lists it. */
const claimedHost = query.get('host');

/** @type {string | null} the host's origin, once checked: the one origin messages go to and come from */
let host = null;
/** @type {'off' | 'optional' | 'required'} whether the server checks signed identities */
let identityMode = 'off';
/** @type {Record<string, string> | null} */
let signed = null;

/** @param {Record<string, unknown>} message */
function post(message) {
  if (host !== null) window.parent.postMessage({ kefu: 'widget', ...message }, host);
}

/** @param {string} id */
function field(id) {
  const node = document.getElementById(id);
  return node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement ? node : null;
}

/** Whether an element is shown (not inside anything hidden). */
const shown = (/** @type {HTMLElement | null} */ node) => node !== null && node.offsetParent !== null;

/** The panel opened: the visitor's keys go to the composer, or to the name field before a chat. */
function focusPage() {
  const input = field('input');
  if (input && shown(input) && !input.disabled) input.focus();
  else if (shown(field('name'))) field('name')?.focus();
}

/**
 * The host's kefu('identify', …). Signed (the server checks signatures, and id, expiry and signature
 * came): sent with the next /getroom and socket, and its name fills the name field, fixed. Otherwise
 * the name is only a suggestion the visitor may change, and nothing else is sent.
 * @param {unknown} raw
 */
function identify(raw) {
  if (typeof raw !== 'object' || raw === null) return;
  const given = /** @type {Record<string, unknown>} */ (raw);
  /** @type {Record<string, string>} */
  const identity = {};
  for (const key of Object.keys(PARAMS)) if (typeof given[key] === 'string') identity[key] = /** @type {string} */ (given[key]);
  const isSigned = identityMode !== 'off' && !!identity.id && !!identity.expiry && !!identity.signature;
  signed = null;
  if (isSigned) {
    signed = {};
    for (const [key, param] of Object.entries(PARAMS)) signed[param] = identity[key] ?? '';
  }
  const name = field('name');
  if (!name) return;
  if (identity.name) name.value = identity.name;
  name.readOnly = isSigned && !!identity.name;
}

/** @param {unknown} locale */
function setLocale(locale) {
  // 'en-US' names the English table: a locale already shown needs no reload.
  const wanted = tableOf(locale);
  if (wanted === null || wanted === lang) return;
  // The page's texts are chosen once, at load: a reload in the other language (the conversation
  // comes back with the resume token, as after any reload).
  const url = new URL(location.href);
  url.searchParams.set('lang', wanted);
  location.replace(url.href);
}

/** @param {MessageEvent} e */
function onMessage(e) {
  if (e.source !== window.parent || e.origin !== host) return;
  const data = e.data;
  if (typeof data !== 'object' || data === null || data.kefu !== 'host') return;
  switch (data.type) {
    case 'open':
      if (data.focus === true) focusPage();
      return;
    case 'identify':
      identify(data.identity);
      return;
    case 'setLocale':
      setLocale(data.locale);
  }
}

/** A button in the header that folds the panel away (full screen on a phone, the launcher is behind it). */
function addCloseButton() {
  const bar = document.querySelector('.topbar');
  if (!bar) return;
  const close = button('ghost widget-close', t('widgetClose'));
  close.setAttribute('aria-label', t('widgetCloseLabel'));
  close.addEventListener('click', () => post({ type: 'close' }));
  bar.appendChild(close);
}

async function start() {
  if (query.get('embed') !== '1' || window.parent === window || !claimedHost) return;
  /** @type {unknown} */
  let settings;
  try {
    settings = await (await fetch('/api/widget', { cache: 'no-store' })).json();
  } catch {
    return;
  }
  const s = typeof settings === 'object' && settings !== null ? /** @type {Record<string, unknown>} */ (settings) : {};
  if (!Array.isArray(s.origins) || !s.origins.includes(claimedHost)) return;
  host = claimedHost;
  if (s.identity === 'optional' || s.identity === 'required') identityMode = s.identity;
  document.documentElement.classList.add('embedded');
  addCloseButton();
  window.addEventListener('message', onMessage);
  document.addEventListener('keydown', (e) => {
    // Escape in the emoji palette closes the palette, not the panel.
    if (e.key === 'Escape' && !(e.target instanceof Element && e.target.closest('#emojiPanel'))) post({ type: 'close' });
  });
  // The launcher on the host page speaks the page's language: its texts come from here (the
  // unread count's with its placeholder kept, for the host to fill in).
  const texts = { open: t('widgetOpen'), close: t('widgetCollapse'), unread: t('widgetUnread', '{0}'), title: t('customerTitle') };
  post({ type: 'ready', locale: lang, texts });
}

/** The page's side of the bridge: what main.js asks of it. */
export const embed = {
  /** In widget.js's panel: the page must not take the focus from the host page by itself. */
  framed: query.get('embed') === '1' && globalThis.window !== undefined && window.parent !== window,

  /** The signed identity's parameters for /getroom and a socket with a ticket; empty when there is none. */
  identityParams() {
    return signed === null ? {} : { ...signed };
  },

  /**
   * A frame the page received: a new agent message (not one replayed on a reconnect or reload,
   * which the visitor has seen or the page shows as history) is told to the host.
   * @param {ServerFrame} f
   */
  frame(f) {
    if (host === null || f.type !== 'message' || f.role !== 'kefu' || f.replay) return;
    post({ type: 'message', message: { text: f.neiRong, sender: f.shuiFaDe, ts: f.ts ?? Date.now(), image: f.image !== undefined } });
  },
};

void start();
