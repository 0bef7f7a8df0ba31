// @ts-check
// kefu's embed script: <script src="https://KEFU_HOST/widget.js" async></script> on any page puts a
// launcher button in a corner that opens the chat panel, an iframe of kefu's own customer page (so
// the visitor's session and storage stay on kefu's origin). A plain script with no build step;
// its only global is window.kefu, the host page's API. See docs/operations.md, "Embedding the widget".
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: loaded as a classic script, not a module: only this makes it strict
  'use strict';
  /** The page's window, with the two names this script reads: kefu (the API or its stub) and kefuSettings. */
  const page = /** @type {Window & { kefu?: any, kefuSettings?: unknown }} */ (window);
  if (typeof page.kefu === 'function' && page.kefu.loaded) return;

  const script =
    document.currentScript || [...document.querySelectorAll('script[src]')].find((s) => s instanceof HTMLScriptElement && /\/widget\.js(?:[?#]|$)/.test(s.src));
  if (!(script instanceof HTMLScriptElement)) return;
  /** kefu's origin, from where this script came: the iframe and every message to it go there and nowhere else. */
  const KEFU = new URL(script.src, location.href).origin;
  const EVENTS = ['message', 'unread', 'open', 'close'];

  /**
   * The launcher's texts. They come from the customer page (its strings.js, in its language) when
   * it says it is ready: until then the launcher is not shown, so a page that cannot be framed
   * (a site not in WIDGET_ORIGINS) never gets a launcher that opens nothing.
   * @typedef {{ open: string, close: string, unread: string, title: string }} Texts
   */
  /** @type {Texts | null} */
  let texts = null;

  /** Settings: window.kefuSettings over the script tag's data- attributes over the defaults. */
  function readSettings() {
    const given = /** @type {Record<string, unknown>} */ (typeof page.kefuSettings === 'object' && page.kefuSettings !== null ? page.kefuSettings : {});
    const data = /** @type {HTMLScriptElement} */ (script).dataset;
    /** @param {string} key */
    const pick = (key) => (given[key] !== undefined ? given[key] : data[key]);
    const color = String(pick('color') || '');
    const locale = String(pick('locale') || '');
    const open = pick('open');
    return {
      position: pick('position') === 'bottom-left' ? 'bottom-left' : 'bottom-right',
      // Only a plain hex colour: anything else could write CSS of its own.
      color: /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : '#2563eb',
      locale: /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/.test(locale) ? locale : '',
      open: open === true || open === 'true' || open === '1' || open === '',
    };
  }

  /**
   * The text colour (white or near black) that reads best on this background.
   * @param {string} hex
   */
  function inkOn(hex) {
    const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (d) => d + d) : hex;
    /** @param {number} i */
    const lin = (i) => {
      const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const l = 0.2126 * lin(1) + 0.7152 * lin(3) + 0.0722 * lin(5);
    return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? '#ffffff' : '#111827';
  }

  const CSS = `
:host { all: initial; }
.launcher {
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%; border: 0; padding: 0; margin: 0; cursor: pointer;
  display: grid; place-items: center; background: var(--kefu-color); color: var(--kefu-ink);
  box-shadow: 0 6px 20px rgba(15, 23, 42, .28);
}
.left .launcher { right: auto; left: 20px; }
.launcher:focus-visible { outline: 3px solid var(--kefu-color); outline-offset: 3px; }
.launcher svg { width: 28px; height: 28px; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px; box-sizing: border-box;
  border-radius: 11px; background: #b91c1c; color: #ffffff; border: 2px solid #ffffff;
  font: 700 12px/18px -apple-system, BlinkMacSystemFont, "Segoe UI", sans-serif; text-align: center;
}
.badge[hidden], .panel[hidden], .launcher[hidden] { display: none; }
.panel {
  position: fixed; bottom: 92px; right: 20px; z-index: 2147483000;
  width: 400px; height: min(640px, calc(100% - 112px)); border-radius: 16px; overflow: hidden;
  background: #ffffff; box-shadow: 0 12px 40px rgba(15, 23, 42, .22);
}
.left .panel { right: auto; left: 20px; }
.panel iframe { display: block; width: 100%; height: 100%; border: 0; }
@media (max-width: 639.98px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .open .launcher { display: none; }
}`;

  const SVG = 'http://www.w3.org/2000/svg';
  /**
   * A 24x24 line icon from path data; built node by node, so a host page's Trusted Types never object.
   * @param {string} d
   */
  function icon(d) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }
  const CHAT_ICON = 'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A1.5 1.5 0 0 1 4 14.5z';
  const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';

  const settings = readSettings();
  /** @type {Record<string, Array<(value: unknown) => void>>} */
  const listeners = { message: [], unread: [], open: [], close: [] };
  /** @type {{ open: boolean, focus: boolean, unread: number, identity: Record<string, string> | null, frameReady: boolean }} */
  const state = { open: false, focus: false, unread: 0, identity: null, frameReady: false };
  /** @type {unknown[][]} calls that came before the widget was on the page (the stub's queue first) */
  const pending = page.kefu && Array.isArray(page.kefu.q) ? page.kefu.q.map((/** @type {ArrayLike<unknown>} */ a) => [...Array.from(a)]) : [];
  /** @type {{ host: HTMLElement, root: HTMLElement, panel: HTMLElement, frame: HTMLIFrameElement, launcher: HTMLButtonElement, badge: HTMLElement } | null} */
  let ui = null;

  /** @returns {Texts} */
  /**
   * @param {string} event
   * @param {unknown} [value]
   */
  function emit(event, value) {
    for (const fn of listeners[event] ?? []) {
      try {
        fn(value);
      } catch (err) {
        console.error('kefu: a listener for', event, 'threw', err);
      }
    }
  }

  /**
   * Posts to the iframe, to kefu's exact origin.
   * @param {Record<string, unknown>} message
   */
  function post(message) {
    ui?.frame.contentWindow?.postMessage({ kefu: 'host', ...message }, KEFU);
  }

  function label() {
    if (!ui || !texts) return;
    const base = state.open ? texts.close : texts.open;
    const unread = texts.unread.replace('{0}', String(state.unread));
    ui.launcher.setAttribute('aria-label', state.unread > 0 && !state.open ? `${base}, ${unread}` : base);
    ui.launcher.setAttribute('aria-expanded', String(state.open));
    ui.frame.title = texts.title;
  }

  /**
   * The texts the page sent, if they are plain strings of a sensible length (else the last ones stay).
   * @param {unknown} raw
   */
  function takeTexts(raw) {
    if (typeof raw !== 'object' || raw === null) return;
    const r = /** @type {Record<string, unknown>} */ (raw);
    const keys = ['open', 'close', 'unread', 'title'];
    if (!keys.every((k) => typeof r[k] === 'string' && r[k].length > 0 && r[k].length <= 100)) return;
    texts = /** @type {Texts} */ ({ open: r.open, close: r.close, unread: r.unread, title: r.title });
  }

  /** @param {number} n */
  function setUnread(n) {
    if (!ui || n === state.unread) return;
    state.unread = n;
    ui.badge.textContent = String(n > 99 ? '99+' : n);
    ui.badge.hidden = n === 0;
    label();
    emit('unread', n);
  }

  /**
   * @param {boolean} open
   * @param {{ focus?: boolean, toLauncher?: boolean }} [how] focus: move focus into the panel on open;
   *   toLauncher: give it back to the launcher on close (the visitor closed it from inside)
   */
  function setOpen(open, how = {}) {
    if (!ui || open === state.open) return;
    // Focus inside the widget (the iframe, or the launcher) goes back to the launcher on close.
    const hadFocus = document.activeElement === ui.host;
    state.open = open;
    ui.panel.hidden = !open;
    ui.root.classList.toggle('open', open);
    ui.launcher.replaceChildren(icon(open ? CLOSE_ICON : CHAT_ICON), ui.badge);
    if (open) setUnread(0);
    label();
    if (open) {
      // Opened by the visitor or the page's own code: the keys go to the chat. Opened at load: they stay on the page.
      state.focus = how.focus !== false;
      if (state.focus) ui.frame.focus();
      post({ type: 'open', focus: state.focus });
    } else {
      post({ type: 'close' });
      if (hadFocus || how.toLauncher) ui.launcher.focus();
    }
    emit(open ? 'open' : 'close');
  }

  /**
   * What the iframe says, once it is known to be our iframe speaking from kefu's origin.
   * @param {Record<string, unknown>} data
   */
  function fromFrame(data) {
    switch (data.type) {
      case 'ready':
        state.frameReady = true;
        takeTexts(data.texts);
        if (ui) ui.launcher.hidden = texts === null;
        label();
        if (state.identity) post({ type: 'identify', identity: state.identity });
        if (settings.locale && data.locale !== settings.locale) post({ type: 'setLocale', locale: settings.locale });
        if (state.open) post({ type: 'open', focus: state.focus });
        return;
      case 'message': {
        const m = /** @type {Record<string, unknown>} */ (data.message);
        if (typeof m !== 'object' || m === null) return;
        if (!state.open) setUnread(state.unread + 1);
        emit('message', { text: String(m.text ?? ''), sender: String(m.sender ?? ''), ts: Number(m.ts) || Date.now(), image: m.image === true });
        return;
      }
      case 'close':
        setOpen(false, { toLauncher: true });
        return;
    }
  }

  window.addEventListener('message', (e) => {
    // Only our own iframe, from kefu's origin: a message from any other window or origin (another
    // frame on the page, a popup, the page itself) is not the widget, whatever it claims.
    if (!ui || e.source !== ui.frame.contentWindow || e.origin !== KEFU) return;
    const data = e.data;
    if (typeof data === 'object' && data !== null && data.kefu === 'widget' && typeof data.type === 'string') fromFrame(data);
  });

  /**
   * One call of the API: kefu('open'), kefu('on', 'message', fn), …
   * @param {unknown} command
   * @param {any} [arg]
   * @param {unknown} [fn]
   */
  function call(command, arg, fn) {
    switch (command) {
      case 'open':
        setOpen(true);
        return;
      case 'close':
        setOpen(false);
        return;
      case 'toggle':
        setOpen(!state.open);
        return;
      case 'on':
        if (EVENTS.includes(arg) && typeof fn === 'function') listeners[arg]?.push(/** @type {(value: unknown) => void} */ (fn));
        else console.warn('kefu: on needs one of', EVENTS.join(', '), 'and a function');
        return;
      case 'identify': {
        if (typeof arg !== 'object' || arg === null) {
          console.warn('kefu: identify needs an object {id, name, email, expiry, signature}');
          return;
        }
        /** @type {Record<string, string>} */
        const identity = {};
        for (const k of ['id', 'name', 'email', 'signature']) if (arg[k] !== undefined && arg[k] !== null) identity[k] = String(arg[k]);
        if (arg.expiry !== undefined && arg.expiry !== null) identity.expiry = String(arg.expiry);
        state.identity = identity;
        if (state.frameReady) post({ type: 'identify', identity });
        return;
      }
      case 'setLocale':
        if (typeof arg !== 'string' || !/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$/.test(arg)) return;
        settings.locale = arg;
        if (state.frameReady) post({ type: 'setLocale', locale: arg });
        return;
      default:
        console.warn('kefu: unknown command', command);
    }
  }

  function mount() {
    const host = document.createElement('kefu-widget');
    host.style.setProperty('all', 'initial');
    const shadow = host.attachShadow({ mode: 'open' });
    const root = document.createElement('div');
    root.className = settings.position === 'bottom-left' ? 'left' : 'right';
    root.style.setProperty('--kefu-color', settings.color);
    root.style.setProperty('--kefu-ink', inkOn(settings.color));
    // A constructed sheet is not an inline <style>, so a host page's style-src needs nothing for it.
    if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = CSS;
      shadow.appendChild(style);
    }
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.id = 'kefu-panel';
    panel.hidden = true;
    const frame = document.createElement('iframe');
    const src = new URL('/yonghu.html', KEFU);
    src.searchParams.set('embed', '1');
    src.searchParams.set('host', location.origin);
    if (settings.locale) src.searchParams.set('lang', settings.locale);
    frame.src = src.href;
    frame.setAttribute('allow', 'clipboard-write');
    // An accessible name until the page sends its own, in its language.
    frame.title = 'kefu';
    panel.appendChild(frame);
    const launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.className = 'launcher';
    launcher.hidden = true;
    launcher.setAttribute('aria-controls', 'kefu-panel');
    const badge = document.createElement('span');
    badge.className = 'badge';
    badge.setAttribute('aria-hidden', 'true');
    badge.hidden = true;
    launcher.append(icon(CHAT_ICON), badge);
    launcher.addEventListener('click', () => setOpen(!state.open));
    root.append(panel, launcher);
    shadow.appendChild(root);
    document.body.appendChild(host);
    ui = { host, root, panel, frame, launcher, badge };
    label();
    // Open from the start, but the page keeps its focus: nobody asked for the chat yet.
    if (settings.open) setOpen(true, { focus: false });
    for (const args of pending.splice(0)) call(args[0], args[1], args[2]);
  }

  /** @param {...unknown} args */
  const api = (...args) => {
    if (ui) call(args[0], args[1], args[2]);
    else pending.push(args);
  };
  api.loaded = true;
  page.kefu = api;
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount, { once: true });
})();
