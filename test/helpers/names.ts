/**
 * Characters that draw nothing or change their neighbours' drawing, each let through by the
 * first name rule (controls and bidi only) and used to pass for someone else.
 */
export const INVISIBLE_CHARS = [
  '\u2060', // WORD JOINER
  '\u00ad', // SOFT HYPHEN
  '\u034f', // COMBINING GRAPHEME JOINER
  '\u180e', // MONGOLIAN VOWEL SEPARATOR
  '\u061c', // ARABIC LETTER MARK
  '\u2062', // INVISIBLE TIMES
  '\ufe0f', // VARIATION SELECTOR-16
  '\u{e0020}', // TAG SPACE
  '\u3164', // HANGUL FILLER
  '\u115f', // HANGUL CHOSEONG FILLER
  '\u1160', // HANGUL JUNGSEONG FILLER
  '\uffa0', // HALFWIDTH HANGUL FILLER
];

/** Code points as U+XXXX, for test names. */
export function codePoints(s: string): string {
  return [...s].map((c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}
