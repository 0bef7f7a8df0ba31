// @ts-check
// JSON over HTTP to our own server, with the answer's body as untrusted data.

/**
 * @typedef {object} JsonAnswer
 * @property {number} status
 * @property {Record<string, unknown> | null} body the JSON object answered, or null (no body, not JSON, not an object)
 * @property {Headers} headers
 */

/**
 * Makes a request and reads the answer as JSON. Rejects only when the server could not be
 * reached; every answer, error statuses included, resolves.
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<JsonAnswer>}
 */
export async function requestJson(url, init) {
  const r = await fetch(url, init);
  /** @type {unknown} */
  let body = null;
  try {
    body = await r.json();
  } catch {
    /* an empty or non-JSON answer: the status says what happened */
  }
  const object = typeof body === 'object' && body !== null && !Array.isArray(body) ? /** @type {Record<string, unknown>} */ (body) : null;
  return { status: r.status, body: object, headers: r.headers };
}

/**
 * The Authorization header for a bearer token (a customer's resume token); none for '' (the
 * agent console's requests carry its session cookie instead).
 * @param {string} token
 * @returns {Record<string, string>}
 */
export function bearer(token) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The wait after a 429 whose Retry-After is missing or unreadable. */
export const DEFAULT_RETRY_AFTER_S = 5;
/** Longest wait a Retry-After is taken for (a bigger one is a server mistake, not a plan). */
const MAX_RETRY_AFTER_S = 3600;

/**
 * Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (RFC 9110 §10.2.3),
 * at least 1; the default when it is missing or unreadable.
 * @param {string | null} header
 * @param {number} now ms since the epoch
 */
export function retryAfterSeconds(header, now) {
  const value = header?.trim() ?? '';
  let seconds = NaN;
  if (/^\d+$/.test(value)) seconds = Number(value);
  // An HTTP date starts with the day's name; Date.parse alone would read '-3' as a year.
  else if (/^[A-Za-z]{3}/.test(value)) seconds = Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return DEFAULT_RETRY_AFTER_S;
  return Math.min(MAX_RETRY_AFTER_S, Math.max(1, seconds));
}
