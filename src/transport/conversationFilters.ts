import type { Request } from 'express';
import { checkName } from '../protocol/names.js';
import { hasNul } from '../protocol/nulChar.js';
import { isVisitorId } from '../protocol/visitorId.js';
import type { ConversationFilter } from '../store/conversationStore.js';

/** Search text longer than this is refused: nobody types it, and every character costs the index a lookup. */
export const MAX_SEARCH_CHARS = 100;

/** A listing's filters from its query string, or what is wrong with them. */
export type FilterCheck = { ok: true; filter: ConversationFilter } | { ok: false; error: 'bad_filter' | 'bad_visitor'; message: string };

const bad = (message: string): FilterCheck => ({ ok: false, error: 'bad_filter', message });

/**
 * Reads `agent`, `from`, `to`, `rating`, `status`, `visitor` and `q` of GET /api/conversations.
 * Each is optional and given at most once; `q` is plain text (trimmed), never query syntax.
 */
export function parseConversationFilter(query: Request['query']): FilterCheck {
  const filter: ConversationFilter = {};
  const one = (name: string): string | undefined | null => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    return typeof raw === 'string' ? raw : null;
  };
  const agent = one('agent');
  if (agent !== undefined) {
    const name = checkName(agent);
    if (agent === null || !name.ok) return bad('agent is an agent name, given once');
    filter.agent = name.name;
  }
  for (const key of ['from', 'to'] as const) {
    const raw = one(key);
    if (raw === undefined) continue;
    if (raw === null || !/^\d{1,15}$/.test(raw)) return bad(`${key} is a time in ms since the epoch, given once`);
    filter[key] = Number(raw);
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from >= filter.to) return bad('from must be before to');
  const rating = one('rating');
  if (rating !== undefined) {
    if (rating === null || !/^[1-5]$/.test(rating)) return bad('rating is a score from 1 to 5');
    filter.rating = Number(rating);
  }
  const status = one('status');
  if (status !== undefined) {
    if (status !== 'open' && status !== 'ended') return bad('status is open or ended');
    filter.status = status;
  }
  const visitor = one('visitor');
  if (visitor !== undefined) {
    if (!isVisitorId(visitor)) return { ok: false, error: 'bad_visitor', message: 'visitor is 16-64 of A-Z, a-z, 0-9, _ and -' };
    filter.visitor = visitor;
  }
  const q = one('q');
  if (q !== undefined) {
    const text = q?.trim() ?? '';
    if (text === '' || [...text].length > MAX_SEARCH_CHARS || hasNul(text)) return bad(`q is text of 1-${MAX_SEARCH_CHARS} characters`);
    filter.text = text;
  }
  return { ok: true, filter };
}
