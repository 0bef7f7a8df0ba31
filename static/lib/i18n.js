// @ts-check
// Looking texts up: the locale (?lang=CODE, else Chinese), placeholders, close reasons, and the
// page's static texts from its data-i18n attributes.
import { TABLES, zh } from './strings.js';

// Outside a browser (the unit tests import page modules) there is no location: Chinese.
const wanted = new URLSearchParams(globalThis.location?.search ?? '').get('lang');

/** The locale the page shows. */
export const lang = wanted !== null && Object.hasOwn(TABLES, wanted) ? wanted : 'zh';

const table = TABLES[lang] ?? zh;

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
 * Fills the page's static texts from data-i18n (text) and data-i18n-ATTR (that attribute).
 * @param {Document} doc
 */
export function applyStrings(doc) {
  for (const node of doc.querySelectorAll('*')) {
    for (const a of Array.from(node.attributes)) {
      if (a.name === 'data-i18n') node.textContent = t(a.value);
      else if (a.name.startsWith('data-i18n-')) node.setAttribute(a.name.slice('data-i18n-'.length), t(a.value));
    }
  }
  doc.documentElement.lang = lang === 'zh' ? 'zh-CN' : lang;
}
