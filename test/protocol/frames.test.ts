import { describe, expect, it } from 'vitest';
import { parseClientFrame } from '../../src/protocol/frames.js';

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

  it('calls a text empty exactly when trim() would leave nothing of it (every UTF-16 unit, full-width space included)', () => {
    const blankByParser: number[] = [];
    const blankByTrim: number[] = [];
    // Each unit inside the text, and first in it (where the ASCII fast path decides).
    for (const around of [(ch: string) => ` ${ch}\u3000`, (ch: string) => `${ch}\u3000 `]) {
      for (let c = 0; c <= 0xffff; c++) {
        const text = around(String.fromCharCode(c));
        const parsed = parseClientFrame(JSON.stringify({ neiRong: text }), 2000);
        if (!parsed.ok && parsed.error === 'empty') blankByParser.push(c);
        if (text.trim() === '') blankByTrim.push(c);
      }
    }
    expect(blankByParser).toEqual(blankByTrim);
    expect(blankByTrim).toContain(0x3000);
    expect(blankByTrim).toContain(0xfeff);
  });

  it('accepts a message and ignores a client-sent shuiFaDe', () => {
    expect(parseClientFrame('{"neiRong":"你好","shuiFaDe":"系统"}', 2000)).toEqual({ ok: true, value: { kind: 'message', content: '你好' } });
  });

  it('rejects a message holding U+0000 as bad_char, with its cid', () => {
    expect(parseClientFrame('{"neiRong":"a\\u0000b","cid":"c1"}', 2000)).toEqual({ ok: false, error: 'bad_char', cid: 'c1' });
    expect(parseClientFrame('{"neiRong":"\\u0000"}', 2000)).toEqual({ ok: false, error: 'bad_char' });
  });

  it('rejects a cid holding U+0000 as bad_cid', () => {
    expect(parseClientFrame('{"neiRong":"hi","cid":"c\\u0000"}', 2000)).toEqual({ ok: false, error: 'bad_cid' });
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(parseClientFrame(JSON.stringify({ neiRong: '😀'.repeat(10) }), 10).ok).toBe(true);
    expect(parseClientFrame(JSON.stringify({ neiRong: '😀'.repeat(11) }), 10)).toEqual({ ok: false, error: 'too_long' });
    expect(parseClientFrame(JSON.stringify({ neiRong: 'x'.repeat(2001) }), 2000)).toEqual({ ok: false, error: 'too_long' });
  });
});

describe('parseClientFrame, protocol 2 frames', () => {
  it('reads a typing frame, ignoring any content', () => {
    expect(parseClientFrame('{"type":"typing","neiRong":"x"}', 10)).toEqual({ ok: true, value: { kind: 'typing' } });
  });

  it('reads a team message and a private note with their cid', () => {
    expect(parseClientFrame('{"type":"team","neiRong":"hi all","cid":"c1"}', 100)).toEqual({ ok: true, value: { kind: 'team', content: 'hi all', cid: 'c1' } });
    expect(parseClientFrame('{"type":"team","neiRong":"hi","to":" dave "}', 100)).toEqual({ ok: true, value: { kind: 'team', content: 'hi', to: 'dave' } });
  });

  it('reads a transfer to a named agent', () => {
    expect(parseClientFrame('{"type":"transfer","to":"dave"}', 100)).toEqual({ ok: true, value: { kind: 'transfer', to: 'dave' } });
    expect(parseClientFrame('{"type":"transfer"}', 100)).toEqual({ ok: true, value: { kind: 'transfer' } });
  });

  it.each([
    ['{"type":"shout","neiRong":"x"}', 'unknown_type'],
    ['{"type":5,"neiRong":"x"}', 'unknown_type'],
    ['{"type":"transfer","to":""}', 'bad_target'],
    ['{"type":"transfer","to":5}', 'bad_target'],
    ['{"type":"transfer","to":"系统"}', 'bad_target'],
    ['{"type":"team","neiRong":"x","to":"a\\u202eb"}', 'bad_target'],
    ['{"type":"team","neiRong":""}', 'empty'],
    ['{"type":"team"}', 'bad_frame'],
    ['{"type":"team","neiRong":"x","cid":""}', 'bad_cid'],
  ])('rejects %s as %s', (text, error) => {
    expect(parseClientFrame(text, 100)).toMatchObject({ ok: false, error });
  });

  it('rejects a team message holding U+0000 as bad_char, with its cid', () => {
    expect(parseClientFrame('{"type":"team","neiRong":"x\\u0000","cid":"k","to":"dave"}', 100)).toEqual({ ok: false, error: 'bad_char', cid: 'k' });
  });

  it('holds team messages to the same length limit as chat messages', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'team', neiRong: 'x'.repeat(11), cid: 'k' }), 10)).toEqual({ ok: false, error: 'too_long', cid: 'k' });
  });
});

describe('parseClientFrame, image frames', () => {
  const id = 'AbCdEfGhIjKlMnOpQrSt_-';

  it('reads an image frame with its cid, ignoring any neiRong', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'image', image: id, cid: 'c1', neiRong: '<b>x</b>' }), 10)).toEqual({
      ok: true,
      value: { kind: 'image', imageId: id, cid: 'c1' },
    });
  });

  it.each([
    ['no image', { type: 'image', cid: 'c1' }],
    ['a number', { type: 'image', image: 5, cid: 'c1' }],
    ['a path', { type: 'image', image: '../../etc/passwd', cid: 'c1' }],
    ['a URL', { type: 'image', image: 'http://evil.example/x.png', cid: 'c1' }],
    ['a short id', { type: 'image', image: 'abc', cid: 'c1' }],
  ])('rejects %s as bad_image, with the cid', (_l, frame) => {
    expect(parseClientFrame(JSON.stringify(frame), 10)).toEqual({ ok: false, error: 'bad_image', cid: 'c1' });
  });

  it('rejects an image frame with a bad cid as bad_cid', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'image', image: id, cid: '' }), 10)).toEqual({ ok: false, error: 'bad_cid' });
  });
});

describe('parseClientFrame: the inbox frames', () => {
  const parse = (frame: unknown) => parseClientFrame(JSON.stringify(frame), 100);

  it('reads the conversation an agent names on message, image, typing, transfer and resolve frames', () => {
    const image = 'a'.repeat(22);
    expect(parse({ neiRong: 'hi', cid: 'c1', conversationId: 'C' })).toEqual({
      ok: true,
      value: { kind: 'message', content: 'hi', cid: 'c1', conversationId: 'C' },
    });
    expect(parse({ type: 'typing', conversationId: 'C' })).toEqual({ ok: true, value: { kind: 'typing', conversationId: 'C' } });
    expect(parse({ type: 'transfer', to: 'dave', conversationId: 'C' })).toEqual({ ok: true, value: { kind: 'transfer', to: 'dave', conversationId: 'C' } });
    expect(parse({ type: 'resolve', conversationId: 'C' })).toEqual({ ok: true, value: { kind: 'resolve', conversationId: 'C' } });
    expect(parse({ type: 'resolve' })).toEqual({ ok: true, value: { kind: 'resolve' } });
    const parsedImage = parse({ type: 'image', image, conversationId: 'C' });
    expect(parsedImage.ok && parsedImage.value).toMatchObject({ kind: 'image', conversationId: 'C' });
  });

  it.each([[5], [''], ['x'.repeat(65)], ['a\u0000b']])(
    'refuses the conversationId %j as unknown_conversation, with the cid and without echoing it',
    (conversationId) => {
      expect(parse({ neiRong: 'hi', cid: 'c1', conversationId })).toEqual({ ok: false, error: 'unknown_conversation', cid: 'c1' });
    },
  );

  it('names the conversation on an error about a frame that named one', () => {
    expect(parse({ neiRong: ' ', cid: 'c1', conversationId: 'C' })).toEqual({ ok: false, error: 'empty', cid: 'c1', conversationId: 'C' });
  });

  it('reads a status of online or away, and refuses anything else as bad_status', () => {
    expect(parse({ type: 'status', status: 'away' })).toEqual({ ok: true, value: { kind: 'status', status: 'away' } });
    expect(parse({ type: 'status', status: 'online' })).toEqual({ ok: true, value: { kind: 'status', status: 'online' } });
    for (const status of ['offline', 'busy', 1, null, undefined]) expect(parse({ type: 'status', status })).toEqual({ ok: false, error: 'bad_status' });
  });
});
