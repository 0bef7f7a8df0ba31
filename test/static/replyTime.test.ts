import { describe, expect, it } from 'vitest';
import { replyTimeText } from '../../static/customer/replyTime.js';

describe('replyTimeText', () => {
  it('says under a minute below sixty seconds', () => {
    expect(replyTimeText(0)).toBe('通常 1 分钟内回复');
    expect(replyTimeText(59)).toBe('通常 1 分钟内回复');
  });

  it('rounds to whole minutes, then hours, then days, in the page language', () => {
    expect(replyTimeText(100)).toBe('通常约 2分钟内回复');
    expect(replyTimeText(3599)).toBe('通常约 1小时内回复');
    expect(replyTimeText(23.8 * 3600)).toBe('通常约 1天内回复');
    expect(replyTimeText(5400)).toBe('通常约 2小时内回复');
    expect(replyTimeText(3 * 86_400)).toBe('通常约 3天内回复');
  });
});
