import { describe, expect, it } from 'vitest';
import { parseClientFrame } from '../../src/protocol/frames.js';
import { checkName } from '../../src/protocol/names.js';

describe('parseClientFrame', () => {
  it.each([
    ['not json', 'bad_frame'],
    ['[1,2]', 'bad_frame'],
    ['null', 'bad_frame'],
    ['"text"', 'bad_frame'],
    ['{}', 'bad_frame'],
    ['{"neiRong": 5}', 'bad_frame'],
    ['{"neiRong": ""}', 'empty'],
    ['{"neiRong": "  \\n "}', 'empty'],
  ])('rejects %s as %s', (text, error) => {
    expect(parseClientFrame(text, 2000)).toEqual({ ok: false, error });
  });

  it('accepts a message and ignores a client-sent shuiFaDe', () => {
    expect(parseClientFrame('{"neiRong":"你好","shuiFaDe":"系统"}', 2000)).toEqual({ ok: true, value: { content: '你好' } });
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(parseClientFrame(JSON.stringify({ neiRong: '😀'.repeat(10) }), 10).ok).toBe(true);
    expect(parseClientFrame(JSON.stringify({ neiRong: '😀'.repeat(11) }), 10)).toEqual({ ok: false, error: 'too_long' });
    expect(parseClientFrame(JSON.stringify({ neiRong: 'x'.repeat(2001) }), 2000)).toEqual({ ok: false, error: 'too_long' });
  });
});

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
