import { nameSkeleton } from './confusables.js';
import { BOT_SENDER, CLOSE_COMMAND_SENDER, SYSTEM_SENDER } from './notices.js';

export { nameSkeleton } from './confusables.js';

/** Longest name, in characters (code points) of the normalised name. */
export const MAX_NAME_CHARS = 32;

/**
 * Names that would let a person forge a system notice, the seed's close command
 * (`{neiRong: "close", shuiFaDe: "code"}`) or a bot answer, since seed receivers only see shuiFaDe.
 * Held as skeletons: a look-alike (`соdе` in Cyrillic, full-width `ｃｏｄｅ`) prints the same in
 * a seed console.
 */
const RESERVED_SKELETONS = new Set([SYSTEM_SENDER, CLOSE_COMMAND_SENDER, BOT_SENDER].map(nameSkeleton));

// A name must read as what it is. Controls (Cc), format characters (Cf: bidi overrides, soft
// hyphen, word joiner, tags), lone surrogates, line and paragraph separators, and every
// default-ignorable code point (fillers, variation selectors, the combining grapheme joiner):
// each either draws nothing or changes how its neighbours draw, so "Agent7" + U+2060 would be a
// second agent who looks exactly like the first.
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

// What draws nothing even where fonts have it: white space, combining marks with no base, and
// the blank letters and symbols (Braille blank, the Hangul fillers, musical null notehead).
// A name of only these is a blank name however many characters it has.
const DRAWS_NOTHING = /[\s\p{Z}\p{M}\u2800\u115f\u1160\u3164\uffa0\u{1d159}]/gu;

export type NameCheck = { ok: true; name: string } | { ok: false; reason: 'bad_name' | 'reserved_name' };

/**
 * Validates a display name from a query string or body: NFKC-normalised (full-width ｃｏｄｅ is
 * code), trimmed, 1-MAX_NAME_CHARS characters, nothing invisible, something visible, and not a
 * look-alike of a reserved name. `name` is the normalised form, the one to use from then on.
 */
export function checkName(raw: unknown): NameCheck {
  if (typeof raw !== 'string') return { ok: false, reason: 'bad_name' };
  const name = raw.normalize('NFKC').trim();
  const chars = [...name].length;
  if (chars < 1 || chars > MAX_NAME_CHARS || FORBIDDEN.test(name) || name.replace(DRAWS_NOTHING, '') === '') {
    return { ok: false, reason: 'bad_name' };
  }
  if (RESERVED_SKELETONS.has(nameSkeleton(name)) || RESERVED_SKELETONS.has(nameSkeleton(name.toLowerCase()))) {
    return { ok: false, reason: 'reserved_name' };
  }
  return { ok: true, name };
}
