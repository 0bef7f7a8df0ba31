// @ts-check
// Looking texts up: the locale, placeholders, close reasons, and the page's static texts from its
// data-i18n attributes.
import { TABLES, zh } from './strings.js';

/**
 * The table a locale code names ('en', 'en-US', 'zh-Hans-CN': by its language), or null for a
 * language without a table.
 * @param {unknown} code
 * @returns {string | null}
 */
export function tableOf(code) {
  if (typeof code !== 'string') return null;
  const language = code.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return Object.hasOwn(TABLES, language) ? language : null;
}

/**
 * The locale a page shows: the one its address names (`?lang=`: the widget passes its locale
 * option down this way), else the first of the browser's languages that has a table, else
 * Chinese.
 * @param {string | null | undefined} asked
 * @param {readonly string[]} browser
 */
export function chooseLocale(asked, browser) {
  const named = tableOf(asked);
  if (named) return named;
  for (const code of browser) {
    const found = tableOf(code);
    if (found) return found;
  }
  return 'zh';
}

// Outside a browser (the unit tests import page modules) there is no location: Chinese.
const asked = tableOf(new URLSearchParams(globalThis.location?.search ?? '').get('lang'));
const nav = globalThis.navigator;
const browser = nav ? (nav.languages?.length ? nav.languages : [nav.language ?? '']) : [];

/** The locale the page shows. */
export const lang = chooseLocale(asked, globalThis.location ? browser : []);

/** The page's locale as a BCP 47 tag, for `<html lang>` and Intl. */
export const langTag = lang === 'zh' ? 'zh-CN' : lang;

const table = TABLES[lang] ?? zh;

/**
 * A link to another of kefu's pages that keeps the locale the address asked for (the console's
 * ?lang=en opens the history page in English too). A locale from the browser needs no carrying:
 * the next page finds it the same way.
 * @param {string} href a relative page address, with or without a #fragment
 */
export function pageHref(href) {
  if (!asked) return href;
  const hash = href.indexOf('#');
  const path = hash < 0 ? href : href.slice(0, hash);
  const fragment = hash < 0 ? '' : href.slice(hash);
  return `${path}${path.includes('?') ? '&' : '?'}lang=${asked}${fragment}`;
}

/**
 * The text for a key ('close.4401' walks into nested tables), with {0}, {1}… filled in. An
 * unknown key comes back as itself, so a missing text shows as its key rather than as nothing.
 * @param {string} key
 * @param {...(string | number)} args
 * @returns {string}
 */
export function t(key, ...args) {
  /** @type {unknown} */
  let v = table;
  for (const part of key.split('.')) {
    v = v !== null && typeof v === 'object' && Object.hasOwn(v, part) ? /** @type {Record<string, unknown>} */ (v)[part] : undefined;
  }
  const text = typeof v === 'string' ? v : key;
  return text.replace(/\{(\d)\}/g, (_m, n) => String(args[Number(n)]));
}

/** True when the table has a text for this key (t() would not echo the key back). */
export function hasText(/** @type {string} */ key) {
  return t(key) !== key;
}

/**
 * A readable reason for a WebSocket close code, as the agent ('kefu') or customer ('yonghu')
 * sees it: one code can mean different things to the two.
 * @param {number} code
 * @param {'kefu' | 'yonghu'} role
 * @returns {string}
 */
export function closeReason(code, role) {
  const key = String(code);
  /** @type {Record<string, string>} */
  const own = role === 'kefu' ? table.closeAgent : table.closeCustomer;
  /** @type {Record<string, string>} */
  const common = table.close;
  if (Object.hasOwn(own, key)) return /** @type {string} */ (own[key]);
  if (Object.hasOwn(common, key)) return /** @type {string} */ (common[key]);
  return t('close.other', code);
}

/**
 * Fills the page's static texts from data-i18n (text) and data-i18n-ATTR (that attribute), sets
 * `<html lang>`, and makes the links to the other pages keep the locale.
 * @param {Document} doc
 */
export function applyStrings(doc) {
  for (const node of doc.querySelectorAll('*')) {
    for (const a of Array.from(node.attributes)) {
      if (a.name === 'data-i18n') node.textContent = t(a.value);
      else if (a.name.startsWith('data-i18n-')) node.setAttribute(a.name.slice('data-i18n-'.length), t(a.value));
    }
  }
  for (const link of doc.querySelectorAll('a[href$=".html"]')) link.setAttribute('href', pageHref(link.getAttribute('href') ?? ''));
  doc.documentElement.lang = langTag;
}
