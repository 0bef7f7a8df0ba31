import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAQ_FALLBACK, matchFaq, normalizeText, parseFaq, type Faq } from '../../src/domain/faq.js';

function faq(data: unknown): Faq {
  const parsed = parseFaq(data);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.faq;
}

const sample = faq({
  entries: [
    { keywords: ['营业时间', '几点', '上班'], answer: 'hours' },
    { keywords: ['退款', '退货'], answer: 'refund' },
    { keywords: ['客服', '人工'], answer: 'human' },
    { keywords: ['WiFi'], answer: 'wifi' },
  ],
});

describe('FAQ matching', () => {
  it('answers a question that mentions a keyword', () => {
    expect(matchFaq(sample, '请问你们的营业时间是?')?.answer).toBe('hours');
  });

  it('picks the entry with the most keywords mentioned', () => {
    expect(matchFaq(sample, '客服几点上班')?.answer).toBe('hours');
  });

  it('breaks a tie in favour of the entry listed first', () => {
    expect(matchFaq(sample, '退款找人工')?.answer).toBe('refund');
  });

  it('ignores case, full-width forms and spaces', () => {
    expect(matchFaq(sample, 'ｗｉｆｉ 密码')?.answer).toBe('wifi');
    expect(matchFaq(sample, 'W i F i')?.answer).toBe('wifi');
    expect(normalizeText('ＡＢＣ　１２３')).toBe('abc123');
  });

  it('finds nothing when no keyword is mentioned', () => {
    expect(matchFaq(sample, '你好')).toBeUndefined();
  });
});

describe('FAQ file contents', () => {
  it('uses the default fallback when the file has none', () => {
    expect(sample.fallback).toBe(DEFAULT_FAQ_FALLBACK);
    expect(faq({ fallback: '稍等', entries: [] }).fallback).toBe('稍等');
  });

  it.each([
    ['not an object', []],
    ['no entries', {}],
    ['an entry without keywords', { entries: [{ keywords: [], answer: 'a' }] }],
    ['a keyword that is not text', { entries: [{ keywords: [1], answer: 'a' }] }],
    ['a blank keyword', { entries: [{ keywords: ['  '], answer: 'a' }] }],
    ['an entry without an answer', { entries: [{ keywords: ['a'] }] }],
    ['an answer that is too long', { entries: [{ keywords: ['a'], answer: 'x'.repeat(2001) }] }],
    ['a fallback that is not text', { fallback: 3, entries: [] }],
  ])('refuses %s', (_label, data) => {
    expect(parseFaq(data).ok).toBe(false);
  });

  it('accepts the FAQ shipped in faq/faq.zh.json, which answers the common questions', () => {
    const shipped = faq(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../faq/faq.zh.json'), 'utf8')));
    for (const q of ['营业时间', '怎么退款', '什么时候发货', '能开发票吗', '转人工']) expect(matchFaq(shipped, q), q).toBeDefined();
  });
});
