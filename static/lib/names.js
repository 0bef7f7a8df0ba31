// @ts-check
// The server's name rule (src/protocol/names.ts), closely enough that a page never sends a name
// the server refuses for its characters: nothing invisible (controls, format characters, default
// ignorables) and something visible. The server stays the authority: it also refuses look-alikes
// of the reserved names. test/static/shared.test.ts runs both rules over the same names.

const MAX_NAME_CHARS = 32;
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;
const DRAWS_NOTHING = /[\s\p{Z}\p{M}\u2800\u115f\u1160\u3164\uffa0\u{1d159}]/gu;

/**
 * A name as the server will know it: NFKC (full-width letters as plain ones), trimmed.
 * @param {string} name
 */
export function normalName(name) {
  return name.normalize('NFKC').trim();
}

/**
 * True when the server would take this name for its characters and length.
 * @param {string} name
 */
export function validName(name) {
  const n = normalName(name);
  const chars = Array.from(n).length;
  return chars >= 1 && chars <= MAX_NAME_CHARS && !FORBIDDEN.test(n) && n.replace(DRAWS_NOTHING, '') !== '';
}
