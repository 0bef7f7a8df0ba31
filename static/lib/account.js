// @ts-check
// The signed-in account, as every page of the agents sees it: who it is, and the JSON requests
// they make with it. The session itself is an HttpOnly cookie no script can read; requests to our
// own origin carry it by themselves.
import { requestJson } from './http.js';
import { pageHref, t } from './i18n.js';

/** @import { JsonAnswer } from './http.js' */

/**
 * An account as the API shows it.
 * @typedef {object} AccountView
 * @property {number} id
 * @property {string} name
 * @property {string} login
 * @property {string | null} email
 * @property {'owner' | 'admin' | 'agent'} role
 * @property {boolean} disabled
 * @property {string | null} avatar
 * @property {number} maxChats
 * @property {boolean} totp
 * @property {boolean} passwordSet
 */

/**
 * The body's account, if it holds one that looks like ours.
 * @param {unknown} raw
 * @returns {AccountView | null}
 */
export function accountFrom(raw) {
  if (typeof raw !== 'object' || raw === null) return null;
  const a = /** @type {Record<string, unknown>} */ (raw);
  if (typeof a.id !== 'number' || typeof a.name !== 'string' || typeof a.login !== 'string') return null;
  if (a.role !== 'owner' && a.role !== 'admin' && a.role !== 'agent') return null;
  return /** @type {AccountView} */ (/** @type {unknown} */ (a));
}

/**
 * Who is signed in: the account, or null (no session, or it ended). Rejects when the server
 * cannot be reached.
 * @returns {Promise<AccountView | null>}
 */
export async function currentAccount() {
  const { status, body } = await requestJson('/api/auth/session', { cache: 'no-store' });
  return status === 200 ? accountFrom(body?.account) : null;
}

/**
 * A JSON request of an agents' page to its own server (the session cookie goes along).
 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
 * @param {string} path
 * @param {object} [body]
 * @returns {Promise<JsonAnswer>}
 */
export function sendJson(method, path, body) {
  /** @type {RequestInit} */
  const init = { method, cache: 'no-store' };
  if (body !== undefined) {
    init.headers = { 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return requestJson(path, init);
}

/**
 * A readable text for a refused request: the API's error code when we have a text for it.
 * @param {JsonAnswer} answer
 * @returns {string}
 */
export function refusalText(answer) {
  const code = answer.body?.error;
  if (typeof code === 'string') {
    const text = t(`accountErrors.${code}`);
    if (text !== `accountErrors.${code}`) return text;
    if (code === 'wrong_password') return t('wrongPassword');
    if (code === 'bad_code') return t('badCode');
  }
  return t('requestFailed');
}

/** Ends this browser's session; the console's socket is closed by the server (4403). */
export async function signOut() {
  try {
    await sendJson('POST', '/api/auth/sign-out');
  } finally {
    location.assign(pageHref('kefu.html'));
  }
}
