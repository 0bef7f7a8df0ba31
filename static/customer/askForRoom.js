// @ts-check
// Asking for a room: GET /getroom, its answer as one typed value, and how long a 429 asks the
// page to wait before asking again.

/**
 * What /getroom answered.
 * @typedef {{ kind: 'ticket', ticket: string, agentsOnline: number | null }
 *   | { kind: 'no_room', full: boolean, agentsOnline: number | null }
 *   | { kind: 'bad_name' }
 *   | { kind: 'rate_limited', retryAfterS: number }
 *   | { kind: 'failed' }
 *   | { kind: 'unreachable' }} RoomAnswer
 * `failed`: the server answered with an error (503 while its registry is down); `unreachable`:
 * no answer, or not one from our server (not JSON).
 */

/** Marks a body that did not parse as JSON. */
const NOT_JSON = Symbol('not JSON');

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

/**
 * @param {string} name the normalised name
 * @returns {Promise<RoomAnswer>}
 */
export async function askForRoom(name) {
  /** @type {Response} */
  let r;
  /** @type {unknown} */
  let body;
  try {
    r = await fetch(`/getroom?userName=${encodeURIComponent(name)}`, { cache: 'no-store' });
    // Read before the status: a 429 without a JSON body is still a 429.
    body = await r.json().catch(() => NOT_JSON);
  } catch {
    return { kind: 'unreachable' };
  }
  if (r.status === 429) return { kind: 'rate_limited', retryAfterS: retryAfterSeconds(r.headers.get('Retry-After'), Date.now()) };
  if (body === NOT_JSON) return { kind: 'unreachable' };
  if (r.status === 400) return { kind: 'bad_name' };
  if (r.status !== 200) return { kind: 'failed' };
  const b = typeof body === 'object' && body !== null ? /** @type {Record<string, unknown>} */ (body) : {};
  const agentsOnline = typeof b.agentsOnline === 'number' ? b.agentsOnline : null;
  if (typeof b.ticket === 'string') return { kind: 'ticket', ticket: b.ticket, agentsOnline };
  return { kind: 'no_room', full: b.full === true, agentsOnline };
}
