// @ts-check
// What the history page asks the server: conversations by filter and text, one transcript, and
// (for owners and admins) the agents to filter by. Every answer is untrusted data: fields are
// checked before use and shown only as text.
import { requestJson } from '../lib/http.js';

/**
 * A message that holds the searched text, with the stretch of it around the hit.
 * @typedef {{ id: number, seq: number, sender: string, role: string, ts: number, snippet: string }} Match
 */
/**
 * A conversation as listed.
 * @typedef {object} Conversation
 * @property {string} id
 * @property {string} agent
 * @property {string} customer
 * @property {number} startedAt
 * @property {number | null} endedAt
 * @property {number} messageCount
 * @property {{ score: number } | null} rating
 * @property {string} [visitorId]
 * @property {Match[]} [matches]
 */
/**
 * A stored message of a transcript.
 * @typedef {{ id: number, seq: number, sender: string, role: string, content: string, ts: number, image: { url?: string } | null }} Message
 */

/**
 * @param {unknown} v
 * @returns {v is Record<string, unknown>}
 */
const isObject = (v) => typeof v === 'object' && v !== null;

/**
 * @param {unknown} raw
 * @returns {Conversation | null}
 */
function conversationFrom(raw) {
  if (!isObject(raw)) return null;
  const c = raw;
  if (typeof c.id !== 'string' || typeof c.agent !== 'string' || typeof c.customer !== 'string' || typeof c.startedAt !== 'number') return null;
  return /** @type {Conversation} */ (/** @type {unknown} */ (c));
}

/**
 * One page of conversations for these filters (the query string of GET /api/conversations).
 * @param {URLSearchParams} filters
 * @param {string | null} before the cursor of the page before, or null for the newest
 * @returns {Promise<{ ok: true, conversations: Conversation[], nextBefore: string | null } | { ok: false, status: number, error: string }>}
 */
export async function listConversations(filters, before) {
  const query = new URLSearchParams(filters);
  if (before !== null) query.set('before', before);
  const { status, body } = await requestJson(`/api/conversations?${query}`, { cache: 'no-store' });
  if (status !== 200 || !body || !Array.isArray(body.conversations)) {
    return { ok: false, status, error: typeof body?.error === 'string' ? body.error : '' };
  }
  const conversations = body.conversations.map(conversationFrom).filter((c) => c !== null);
  return { ok: true, conversations, nextBefore: typeof body.nextBefore === 'string' ? body.nextBefore : null };
}

/** As many messages as one transcript request may bring. */
const PAGE = 200;

/**
 * A conversation and all its messages, or null when there is no such conversation the
 * signed-in agent may read (the server answers 404 for both).
 * @param {string} id
 * @returns {Promise<{ conversation: Conversation, messages: Message[] } | null>}
 */
export async function readTranscript(id) {
  /** @type {Message[]} */
  const messages = [];
  /** @type {Conversation | null} */
  let conversation = null;
  for (let after = 0; ; ) {
    const { status, body } = await requestJson(`/api/conversations/${encodeURIComponent(id)}/messages?after=${after}&limit=${PAGE}`, { cache: 'no-store' });
    if (status !== 200 || !body || !Array.isArray(body.messages)) return null;
    conversation ??= conversationFrom(body.conversation);
    const page = body.messages.filter((m) => isObject(m) && typeof m.seq === 'number' && typeof m.content === 'string');
    messages.push(.../** @type {Message[]} */ (page));
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) break;
    after = /** @type {Message} */ (last).seq;
  }
  return conversation ? { conversation, messages } : null;
}

/**
 * The names of every agent account, for an owner's or admin's filter (an agent gets none).
 * @returns {Promise<string[]>}
 */
export async function agentNames() {
  const { status, body } = await requestJson('/api/accounts', { cache: 'no-store' });
  if (status !== 200 || !body || !Array.isArray(body.accounts)) return [];
  return body.accounts.flatMap((a) => (isObject(a) && typeof a.name === 'string' ? [a.name] : [])).sort();
}
