// @ts-check
// System frames as the pages read them: the line a notice shows in the conversation, and who a
// notice is about. Names come from the frame's fields, never out of the notice's text: the text
// is the server's wording for people (and seed clients), the fields are for programs.
import { t } from './i18n.js';

/** @import { ServerFrame } from './frames.js' */

/**
 * The agent a notice is about (`agent`; `peer` on peer_away/peer_back). A frame that names
 * nobody (from a server older than these fields) gets `fallback`, or a neutral "agent".
 * @param {ServerFrame} f
 * @param {string | null} [fallback]
 */
export function agentOf(f, fallback) {
  return f.agent ?? f.peer ?? (fallback || t('someAgent'));
}

/**
 * The customer a notice is about (`customer`; `peer` on peer_away/peer_back), or a neutral
 * "customer" for a frame that names nobody.
 * @param {ServerFrame} f
 * @param {string | null} [fallback]
 */
export function customerOf(f, fallback) {
  return f.customer ?? f.peer ?? (fallback || t('someCustomer'));
}

/**
 * The line a system notice shows: the server's text, with what its fields add that the text does
 * not say (who handed a customer over, the customer's comment with a rating).
 * @param {ServerFrame} f
 */
export function noticeLine(f) {
  if (f.event === 'customer_entered' && f.transferredFrom) return `${f.neiRong} · ${t('transferredFrom', f.transferredFrom)}`;
  if (f.event === 'rated' && typeof f.comment === 'string') return t('ratedNotice', f.neiRong, f.comment);
  return f.neiRong;
}
