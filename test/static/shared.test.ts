import { describe, expect, it } from 'vitest';
import { AVATAR_IDS } from '../../src/protocol/avatars.js';
import { checkName, MAX_NAME_CHARS } from '../../src/protocol/names.js';
import { AVATAR_IDS as PAGE_AVATAR_IDS } from '../../static/lib/avatars.js';
import { normalName, validName } from '../../static/lib/names.js';
import { codePoints, INVISIBLE_CHARS } from '../helpers/names.js';

// The pages are plain browser modules and cannot import src/protocol: these tests hold the values
// they share with the server to it, so the two cannot drift apart.

/** Names around every edge of the rule: invisible and blank characters, NFKC, length, reserved. */
const NAMES: string[] = [
  'Agent7',
  '张三',
  '客服小王',
  '<img src=x onerror=__pwned=1>',
  '  padded  ',
  'a b',
  '😀',
  '😀'.repeat(MAX_NAME_CHARS),
  '😀'.repeat(MAX_NAME_CHARS + 1),
  'x'.repeat(MAX_NAME_CHARS),
  'x'.repeat(MAX_NAME_CHARS + 1),
  // NFKC makes these longer than they look: the length counts after normalising.
  '㍿'.repeat(8),
  '㍿'.repeat(9),
  '\ufdfa',
  'ｃｏｄｅ',
  'соdе',
  '系统',
  '小助手',
  '',
  ' ',
  '\u3000',
  '\u2800',
  '\u0301',
  'a\u0301',
  '\u0000',
  'a\nb',
  'a\tb',
  'a\u0085',
  '\u202eevil',
  '\u2066a\u2069',
  '\ud800',
  'a\u2028b',
  'a\u2029b',
  '\u{1d159}',
  ...INVISIBLE_CHARS.flatMap((c) => [c, `Agent7${c}`, `${c}Agent7`, `Age${c}nt7`, `系统${c}`, c.repeat(3)]),
];

describe('values the pages share with the server', () => {
  it('offers exactly the avatar ids the server accepts, in its order', () => {
    expect(PAGE_AVATAR_IDS).toEqual([...AVATAR_IDS]);
  });

  for (const name of NAMES) {
    const server = checkName(name);
    // The page leaves look-alikes of reserved names to the server (they need its confusables table).
    const serverTakesItsCharacters = server.ok || server.reason === 'reserved_name';
    it(`${serverTakesItsCharacters ? 'accepts' : 'refuses'} ${JSON.stringify(name.slice(0, 12))} (${codePoints(name.slice(0, 6)) || 'empty'}) as the server does`, () => {
      expect(validName(name)).toBe(serverTakesItsCharacters);
      if (server.ok) expect(normalName(name)).toBe(server.name);
    });
  }
});
