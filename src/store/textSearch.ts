import type { MessageMatch, StoredMessage } from './conversationStore.js';

// What every store's text search shares, so memory, SQLite and PostgreSQL answer alike: the
// text is plain text (never query syntax), ASCII letters match either case (Chinese has none),
// and a match carries the same snippet from every store.

/** A listed conversation shows at most this many of its messages that hold the text. */
export const MAX_MATCHES = 3;

/**
 * Text shorter than this (in characters) has no trigram, so no trigram index can find it
 * (FTS5's trigram tokenizer, pg_trgm): the stores scan for it instead, SHORT_TEXT_SCAN
 * conversations per page at most.
 */
export const TRIGRAM_CHARS = 3;

/** How many conversations (those the other filters let through) one page of a short-text search looks through. */
export const SHORT_TEXT_SCAN = 500;

/** Characters of a snippet before the hit, and in all. */
const SNIPPET_LEAD = 20;
const SNIPPET_CHARS = 80;

/** True when the text is too short for a trigram index (1 or 2 characters, such as 退款). */
export function isShortText(text: string): boolean {
  return [...text].length < TRIGRAM_CHARS;
}

/** Lower-cases ASCII letters only, keeping every string's length, as SQLite's lower() does. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Whether `content` holds `text`, ASCII letter case aside. */
export function holdsText(content: string, text: string): boolean {
  return asciiLower(content).includes(asciiLower(text));
}

/** A LIKE pattern for "contains `text`", its wildcards escaped with `\` (write ESCAPE '\'). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An FTS5 query for the rows that hold every trigram of `text` (3 or more characters): each
 * trigram a string in double quotes (its quotes doubled), so nothing in the text is query
 * syntax. It finds a superset of the rows holding the text (the trigrams may sit apart), so the
 * store checks each candidate's content: the index is kept without positions (detail=none),
 * less than half the size of one that could match the phrase itself.
 */
export function ftsTrigrams(text: string): string {
  const chars = [...asciiLower(text)];
  const trigrams = new Set<string>();
  for (let i = 0; i + TRIGRAM_CHARS <= chars.length; i++) trigrams.add(chars.slice(i, i + TRIGRAM_CHARS).join(''));
  return [...trigrams].map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}

/** A stretch of `content` around the first place it holds `text` (its start when not found), whitespace folded. */
export function snippetOf(content: string, text: string): string {
  const at = asciiLower(content).indexOf(asciiLower(text));
  const chars = [...content];
  // Characters, not UTF-16 units, so a cut never splits an emoji.
  const hit = at < 0 ? 0 : [...content.slice(0, at)].length;
  const start = Math.max(0, Math.min(hit - SNIPPET_LEAD, chars.length - SNIPPET_CHARS));
  const end = Math.min(chars.length, start + SNIPPET_CHARS);
  const body = chars.slice(start, end).join('').replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${body}${end < chars.length ? '…' : ''}`;
}

/** A stored message that holds the text, as a listing shows it. */
export function toMatch(m: StoredMessage, text: string): MessageMatch {
  return { id: m.id, seq: m.seq, sender: m.sender, role: m.role, ts: m.ts, snippet: snippetOf(m.content, text) };
}

/**
 * A page out of a window of candidate conversations (newest first) of which some hold the
 * text: the first `limit` that do, and where the next page starts. `windowNext` is the cursor
 * after the window (null when nothing older is left).
 */
export function pageOfWindow<T>(
  window: readonly T[],
  holds: (t: T) => boolean,
  cursorOf: (t: T) => string,
  limit: number,
  windowNext: string | null,
): { found: T[]; nextBefore: string | null } {
  const found: T[] = [];
  for (let i = 0; i < window.length; i++) {
    const t = window[i] as T;
    if (!holds(t)) continue;
    found.push(t);
    if (found.length < limit) continue;
    const more = windowNext !== null || window.slice(i + 1).some(holds);
    return { found, nextBefore: more ? cursorOf(t) : null };
  }
  return { found, nextBefore: windowNext };
}
