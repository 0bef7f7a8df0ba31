// @ts-check
// Asking for a room: GET /getroom and its answer as one typed value.
import { retryAfterSeconds } from '../lib/http.js';
import { embed } from './embedBridge.js';
import { visitorId } from './session.js';

/**
 * What /getroom answered.
 * @typedef {{ kind: 'ticket', ticket: string, agentsOnline: number | null }
 *   | { kind: 'no_room', full: boolean, agentsOnline: number | null }
 *   | { kind: 'closed', opensAt: number | null }
 *   | { kind: 'bad_name' }
 *   | { kind: 'bad_email' }
 *   | { kind: 'rate_limited', retryAfterS: number }
 *   | { kind: 'identity' }
 *   | { kind: 'failed' }
 *   | { kind: 'unreachable' }} RoomAnswer
 * `failed`: the server answered with an error (503 while its registry is down); `unreachable`:
 * no answer, or not one from our server (not JSON); `identity`: the site's signed visitor identity
 * was missing (IDENTITY_REQUIRED) or not valid; `closed`: outside business hours, back at `opensAt`.
 */

/** @param {unknown} v @returns {v is Record<string, unknown>} */
const isObject = (v) => typeof v === 'object' && v !== null;

/** Marks a body that did not parse as JSON. */
const NOT_JSON = Symbol('not JSON');

/**
 * @param {string} name the normalised name
 * @param {string} [email] the pre-chat form's e-mail
 * @returns {Promise<RoomAnswer>}
 */
export async function askForRoom(name, email) {
  /** @type {Response} */
  let r;
  /** @type {unknown} */
  let body;
  try {
    const query = new URLSearchParams({ userName: name, visitor: visitorId(), ...(email ? { email } : {}), ...embed.identityParams() });
    r = await fetch(`/getroom?${query}`, { cache: 'no-store' });
    // Read before the status: a 429 without a JSON body is still a 429.
    body = await r.json().catch(() => NOT_JSON);
  } catch {
    return { kind: 'unreachable' };
  }
  if (r.status === 429) return { kind: 'rate_limited', retryAfterS: retryAfterSeconds(r.headers.get('Retry-After'), Date.now()) };
  if (body === NOT_JSON) return { kind: 'unreachable' };
  if (r.status === 400) return isObject(body) && body.error === 'bad_email' ? { kind: 'bad_email' } : { kind: 'bad_name' };
  if (r.status === 401 || r.status === 403) return { kind: 'identity' };
  if (r.status !== 200) return { kind: 'failed' };
  const b = typeof body === 'object' && body !== null ? /** @type {Record<string, unknown>} */ (body) : {};
  const agentsOnline = typeof b.agentsOnline === 'number' ? b.agentsOnline : null;
  if (typeof b.ticket === 'string') return { kind: 'ticket', ticket: b.ticket, agentsOnline };
  if (b.closed === true) return { kind: 'closed', opensAt: typeof b.opensAt === 'number' ? b.opensAt : null };
  return { kind: 'no_room', full: b.full === true, agentsOnline };
}
