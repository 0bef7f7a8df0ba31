import { BOT_SENDER, CLOSE_COMMAND_SENDER, SYSTEM_SENDER } from './notices.js';

export const MAX_NAME_CHARS = 32;

/**
 * Names that would let a person forge a system notice, the seed's close command
 * (`{neiRong: "close", shuiFaDe: "code"}`) or a bot answer, since seed receivers only see shuiFaDe.
 */
const RESERVED_NAMES = new Set([SYSTEM_SENDER, CLOSE_COMMAND_SENDER, BOT_SENDER]);

// C0, DEL, C1, plus the invisible format characters that reorder or hide text (bidi overrides,
// zero-width joiners, line/paragraph separators): a name must read as what it is.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/u;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: 'bad_name' | 'reserved_name' };

/** Trims and validates a display name from a query string. */
export function checkName(raw: unknown): NameCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'bad_name' };
  const name = raw.trim();
  const chars = [...name].length;
  if (chars < 1 || chars > MAX_NAME_CHARS || FORBIDDEN.test(name)) return { ok: false, reason: 'bad_name' };
  if (RESERVED_NAMES.has(name)) return { ok: false, reason: 'reserved_name' };
  return { ok: true, name };
}
