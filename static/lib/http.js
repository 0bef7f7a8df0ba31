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
 * The Authorization header for a bearer token (the agent key or a customer's resume token).
 * @param {string} token
 * @returns {Record<string, string>}
 */
export function bearer(token) {
  return { Authorization: `Bearer ${token}` };
}
