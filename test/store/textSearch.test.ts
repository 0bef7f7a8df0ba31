import { describe, expect, it } from 'vitest';
import { containsPattern, ftsTrigrams, holdsText, isShortText, pageOfWindow, snippetOf } from '../../src/store/textSearch.js';

describe('text search helpers', () => {
  it('counts characters, not UTF-16 units, for the trigram limit', () => {
    expect(isShortText('退款')).toBe(true);
    expect(isShortText('申请退款')).toBe(false);
    expect(isShortText('😀😀')).toBe(true);
    expect(isShortText('ab')).toBe(true);
    expect(isShortText('abc')).toBe(false);
  });

  it('escapes LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });

  it('asks FTS5 for each trigram once, quoted, with quotes doubled and ASCII lower-cased', () => {
    expect(ftsTrigrams('A"bA"b')).toBe('"a""b" AND """ba" AND "ba"""');
    expect(ftsTrigrams('退款 OR x')).toBe('"退款 " AND "款 o" AND " or" AND "or " AND "r x"');
  });

  it('matches ASCII letters in either case and everything else exactly', () => {
    expect(holdsText('My REFUND', 'refund')).toBe(true);
    expect(holdsText('申请退款', '退款')).toBe(true);
    expect(holdsText('申请退 款', '退款')).toBe(false);
  });

  it('cuts a snippet around the hit by characters, marking the cuts, and never splits an emoji', () => {
    const content = `${'😀'.repeat(40)}退款${'x'.repeat(100)}`;
    const snippet = snippetOf(content, '退款');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect([...snippet.slice(1, -1)]).toHaveLength(80);
    expect(snippet).toContain(`${'😀'.repeat(20)}退款`);
    expect(snippet).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(snippetOf('short\n\ntext', 'text')).toBe('short text');
    expect(snippetOf('no hit here', 'zzz')).toBe('no hit here');
  });

  it('pages a window of candidates: the first `limit` with hits, and where the next page starts', () => {
    const window = [9, 8, 7, 6, 5, 4];
    const holds = (n: number) => n % 2 === 0;
    expect(pageOfWindow(window, holds, String, 2, null)).toEqual({ found: [8, 6], nextBefore: '6' });
    expect(pageOfWindow(window, holds, String, 3, null)).toEqual({ found: [8, 6, 4], nextBefore: null });
    // Older conversations lie beyond the window: the next page starts after the 3rd hit, or after the window.
    expect(pageOfWindow(window, holds, String, 3, '4')).toEqual({ found: [8, 6, 4], nextBefore: '4' });
    expect(pageOfWindow(window, holds, String, 5, '4')).toEqual({ found: [8, 6, 4], nextBefore: '4' });
    expect(pageOfWindow([9, 7], holds, String, 5, '7')).toEqual({ found: [], nextBefore: '7' });
  });
});
