import { describe, expect, it } from 'vitest';
import { findLinks } from '../../static/lib/links.js';

describe('addresses in a message', () => {
  it('makes an https address a link and keeps the text around it', () => {
    expect(findLinks('see https://example.com/a?b=1 now')).toEqual([
      { text: 'see ' },
      { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { text: ' now' },
    ]);
  });

  it('makes an http address a link, whatever the scheme\u2019s case', () => {
    expect(findLinks('HTTP://Example.com/x')).toEqual([{ text: 'HTTP://Example.com/x', href: 'HTTP://Example.com/x' }]);
  });

  it('leaves sentence punctuation after an address out of the link', () => {
    for (const end of ['.', ',', ';', ':', '!', '?', ')', '。', '，', '！', '？', '）', '...', '!)']) {
      expect(findLinks(`see https://example.com/a?b=1${end}`)).toEqual([
        { text: 'see ' },
        { text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
        { text: end },
      ]);
    }
  });

  it('ends an address where Chinese text begins', () => {
    expect(findLinks('请看https://example.com/faq谢谢')).toEqual([
      { text: '请看' },
      { text: 'https://example.com/faq', href: 'https://example.com/faq' },
      { text: '谢谢' },
    ]);
  });

  it('leaves every other scheme as text', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/f',
      'file:///etc/passwd',
      'mailto:a@example.com',
      'vbscript:msgbox',
    ]) {
      expect(findLinks(text)).toEqual([{ text }]);
    }
  });

  it('leaves an address with no host as text', () => {
    for (const text of ['http://', 'https://.', 'see http:// now']) {
      expect(findLinks(text).some((p) => p.href)).toBe(false);
      expect(
        findLinks(text)
          .map((p) => p.text)
          .join(''),
      ).toBe(text);
    }
  });

  it('links only the http part of a javascript: text that contains an address', () => {
    expect(findLinks('javascript:https://example.com')).toEqual([{ text: 'javascript:' }, { text: 'https://example.com', href: 'https://example.com' }]);
  });

  it('stops an address at quotes and angle brackets', () => {
    expect(findLinks('"https://example.com/a"<b>')).toEqual([
      { text: '"' },
      { text: 'https://example.com/a', href: 'https://example.com/a' },
      { text: '"<b>' },
    ]);
  });

  it('finds several addresses and gives the message back exactly', () => {
    const text = 'a http://a.example/1, b https://b.example/2?x=1&y=2#z c';
    const pieces = findLinks(text);
    expect(pieces.filter((p) => p.href).map((p) => p.href)).toEqual(['http://a.example/1', 'https://b.example/2?x=1&y=2#z']);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
  });

  it('gives text without addresses back as one piece, and nothing for empty text', () => {
    expect(findLinks('你好')).toEqual([{ text: '你好' }]);
    expect(findLinks('')).toEqual([]);
  });
});
