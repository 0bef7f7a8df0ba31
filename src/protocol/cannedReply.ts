import { HttpError } from './errorCodes.js';
import { hasNul } from './nulChar.js';

/** A validated canned reply, as the API hands it to the store. */
export interface CannedReplyInput {
  shortcut: string;
  title: string;
  body: string;
}

/** Longest shortcut, in characters. */
export const MAX_SHORTCUT_CHARS = 32;
/** Longest title, in characters. */
export const MAX_TITLE_CHARS = 60;

// Letters and digits of any script (agents type `/退款` as readily as `/refund`), `_` and `-`:
// nothing that could end the shortcut early in the composer, such as a space or another `/`.
const SHORTCUT = /^[\p{L}\p{N}_-]+$/u;
// Control and invisible formatting characters: a title must read as what it is.
const FORBIDDEN_IN_TITLE = /[\p{Cc}\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;

/** The error codes a canned reply's body can earn. */
export type CannedReplyFieldError = typeof HttpError.BAD_JSON | typeof HttpError.BAD_SHORTCUT | typeof HttpError.BAD_TITLE | typeof HttpError.BAD_BODY;

/** A validated canned reply, or the error code and message for the caller. */
export type CannedReplyCheck<T> = { ok: true; value: T } | { ok: false; error: CannedReplyFieldError; message: string };

const chars = (s: string): number => [...s].length;

/** A shortcut as stored: without a leading `/`, lower-case, so `/Refund` and `/refund` are one. */
function shortcutOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim().replace(/^\//, '').toLowerCase();
  return chars(s) >= 1 && chars(s) <= MAX_SHORTCUT_CHARS && SHORTCUT.test(s) ? s : null;
}

function titleOf(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const s = raw.trim();
  return chars(s) >= 1 && chars(s) <= MAX_TITLE_CHARS && !FORBIDDEN_IN_TITLE.test(s) ? s : null;
}

/** The body is sent as a chat message, so it must pass the message rules: not blank, not too long, no U+0000. */
function bodyOf(raw: unknown, maxChars: number): string | null {
  if (typeof raw !== 'string' || raw.trim().length === 0 || chars(raw) > maxChars || hasNul(raw)) return null;
  return raw;
}

/**
 * Validates an untrusted request body into a canned reply (`partial`: an update, where each field
 * is optional but at least one is given). Unknown fields are ignored.
 */
export function parseCannedReply(body: unknown, maxBodyChars: number, partial: false): CannedReplyCheck<CannedReplyInput>;
export function parseCannedReply(body: unknown, maxBodyChars: number, partial: true): CannedReplyCheck<Partial<CannedReplyInput>>;
export function parseCannedReply(body: unknown, maxBodyChars: number, partial: boolean): CannedReplyCheck<Partial<CannedReplyInput>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: HttpError.BAD_JSON, message: 'the body must be a JSON object' };
  }
  const { shortcut, title, body: text } = body as { shortcut?: unknown; title?: unknown; body?: unknown };
  if (partial && shortcut === undefined && title === undefined && text === undefined) {
    return { ok: false, error: HttpError.BAD_JSON, message: 'give at least one of shortcut, title, body' };
  }
  const out: Partial<CannedReplyInput> = {};
  if (!partial || shortcut !== undefined) {
    const s = shortcutOf(shortcut);
    if (s === null) return { ok: false, error: HttpError.BAD_SHORTCUT, message: `shortcut: 1-${MAX_SHORTCUT_CHARS} letters, digits, _ or -` };
    out.shortcut = s;
  }
  if (!partial || title !== undefined) {
    const t = titleOf(title);
    if (t === null) return { ok: false, error: HttpError.BAD_TITLE, message: `title: 1-${MAX_TITLE_CHARS} characters without control characters` };
    out.title = t;
  }
  if (!partial || text !== undefined) {
    const b = bodyOf(text, maxBodyChars);
    if (b === null) return { ok: false, error: HttpError.BAD_BODY, message: `body: not blank, at most ${maxBodyChars} characters, no U+0000` };
    out.body = b;
  }
  return { ok: true, value: out };
}
