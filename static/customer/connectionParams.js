// @ts-check
// What the customer's socket says when it connects, and when a closed one may come back.
import { lang } from '../lib/i18n.js';
import { embed } from './embedBridge.js';
import { visitorId } from './session.js';

/** @import { Session } from './session.js' */

/** Close codes after which coming back cannot help. */
const FINAL_CLOSES = new Set([1000, 4002, 4400, 4401, 4409, 4429]);

/**
 * The query of the customer's socket: the fresh ticket, or the resume token to come back (with
 * `since` when the page already shows part of the conversation).
 * @param {Session} s
 * @param {{ ticket: string | null, seated: boolean, lastSeq: number }} at
 * @returns {Record<string, string>}
 */
export function connectionParams(s, at) {
  /** @type {Record<string, string>} */
  const p = { type: 'yonghu', name: s.name, v: '2', visitor: visitorId(), lang };
  if (s.avatar) p.avatar = s.avatar;
  if (s.email) p.email = s.email;
  if (s.resume && (at.seated || !at.ticket)) {
    p.resume = s.resume;
    // An empty page (after a reload) gets the whole conversation; otherwise what it missed.
    if (at.lastSeq > 0) p.since = String(at.lastSeq);
  } else if (at.ticket) p.ticket = at.ticket;
  // On a resume too: the agent keeps seeing the site's signature (a stale one is dropped, never refused).
  Object.assign(p, embed.identityParams());
  return p;
}

/**
 * Whether a closed socket comes back by itself: a seat and a place in the queue are both kept for
 * grace, and the resume token takes either back; a final close or a socket that never opened (but
 * for a network failure) does not.
 * @param {number} code
 * @param {boolean} opened
 * @param {boolean} held the page holds a seat or a place in the queue
 */
export function comesBack(code, opened, held) {
  return !FINAL_CLOSES.has(code) && held && (opened || code === 1006);
}
