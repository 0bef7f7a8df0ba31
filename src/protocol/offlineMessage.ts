import { HttpError, type HttpErrorCode } from './errorCodes.js';
import { checkName, MAX_NAME_CHARS } from './names.js';
import { hasNul } from './nulChar.js';

/** Longest message a customer may leave, in characters. */
export const MAX_OFFLINE_MESSAGE_CHARS = 1000;
/** Longest contact (e-mail address or phone number), in characters. */
export const MAX_CONTACT_CHARS = 100;

/**
 * A message a customer left while no agent was online, for the next agent to follow up: as
 * stored, listed by the API and carried by the offline_messages frame.
 */
export interface OfflineMessage {
  id: number;
  /** The customer's name, as they gave it on the page. */
  name: string;
  /** How to reach them: an e-mail address or a phone number. */
  contact: string;
  content: string;
  createdAt: number;
  /** When an agent marked it handled, and who; null while open. */
  handledAt: number | null;
  handledBy: string | null;
}

/** A message to leave, after validation. */
export interface OfflineMessageInput {
  name: string;
  contact: string;
  content: string;
}

/** A validated message to leave, or the error code and message for the caller. */
export type OfflineMessageCheck = { ok: true; value: OfflineMessageInput } | { ok: false; error: HttpErrorCode; message: string };

// An address an agent can write to: no spaces, quotes, angle brackets or control characters
// (U+0000 among them), a dot in the domain.
const EMAIL = /^[^\s\p{Cc}@<>"'()[\],;:\\]+@[^\s\p{Cc}@<>"'()[\],;:\\]+\.[^\s\p{Cc}@<>"'()[\],;:\\]{2,}$/u;
// A phone number as people type it: digits with spaces or dashes, an optional leading +.
const PHONE = /^\+?[0-9][0-9 -]{5,22}[0-9]$/;

/**
 * Turns the untrusted body of POST /api/offline-messages into a message to store: the
 * customer's name (same rules as everywhere), a contact that is an e-mail address or a phone
 * number, and 1 to MAX_OFFLINE_MESSAGE_CHARS characters of text without U+0000.
 */
export function parseOfflineMessage(body: unknown): OfflineMessageCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: HttpError.BAD_JSON, message: 'the body must be a JSON object {name, contact, content}' };
  }
  const { name, contact, content } = body as { name?: unknown; contact?: unknown; content?: unknown };
  const who = checkName(name);
  if (!who.ok) return { ok: false, error: HttpError.BAD_NAME, message: `name: 1-${MAX_NAME_CHARS} visible characters, not reserved` };
  const reach = typeof contact === 'string' ? contact.trim() : '';
  if (reach.length === 0 || reach.length > MAX_CONTACT_CHARS || !(EMAIL.test(reach) || PHONE.test(reach))) {
    return { ok: false, error: HttpError.BAD_CONTACT, message: 'contact: an e-mail address or a phone number' };
  }
  if (typeof content !== 'string' || content.trim().length === 0) return { ok: false, error: HttpError.EMPTY, message: 'content must not be empty' };
  if ([...content].length > MAX_OFFLINE_MESSAGE_CHARS) {
    return { ok: false, error: HttpError.TOO_LONG, message: `content: at most ${MAX_OFFLINE_MESSAGE_CHARS} characters` };
  }
  if (hasNul(content)) return { ok: false, error: HttpError.BAD_CHAR, message: 'content must not hold U+0000' };
  return { ok: true, value: { name: who.name, contact: reach, content: content.trim() } };
}
