import { describe, expect, it } from 'vitest';
import { chooseLocale, tableOf } from '../../static/lib/i18n.js';
import { readFrame } from '../../static/lib/frames.js';
import { botLine, errorLine, noticeLine } from '../../static/lib/notices.js';

describe('the locale a page shows', () => {
  it('takes the locale the address names first, whatever the browser says', () => {
    expect(chooseLocale('en', ['zh-CN'])).toBe('en');
    expect(chooseLocale('zh', ['en-US', 'en'])).toBe('zh');
  });

  it('reads a region or script tag by its language', () => {
    expect(tableOf('en-GB')).toBe('en');
    expect(tableOf('zh-Hans-CN')).toBe('zh');
    expect(tableOf('EN_us')).toBe('en');
    expect(chooseLocale('en-US', [])).toBe('en');
  });

  it("takes the first of the browser's languages that has a table when the address names none, or one without a table", () => {
    expect(chooseLocale(null, ['fr-FR', 'en-US', 'zh-CN'])).toBe('en');
    expect(chooseLocale('fr', ['de', 'zh-TW', 'en'])).toBe('zh');
    expect(chooseLocale(undefined, ['en'])).toBe('en');
  });

  it('falls back to Chinese when nothing names a language with a table', () => {
    expect(chooseLocale(null, ['fr', 'de-DE'])).toBe('zh');
    expect(chooseLocale('', [])).toBe('zh');
    expect(tableOf('x-en')).toBeNull();
    expect(tableOf(42)).toBeNull();
  });
});

describe('notices from fields, in Chinese (the default outside a browser)', () => {
  const line = (raw: Record<string, unknown>): string => {
    const f = readFrame(raw);
    if (!f) throw new Error('not a frame');
    return noticeLine(f);
  };

  it('names the agent from the field, without the protocol hyphens of the wire text', () => {
    expect(line({ type: 'system', event: 'agent_assigned', neiRong: '客服-小李-将为您服务', agent: '小李' })).toBe('客服小李将为您服务');
    expect(line({ type: 'system', event: 'peer_away', neiRong: '客服-小李-暂时离开,请稍候', peer: '小李', role: 'kefu' })).toBe('客服小李暂时离开,请稍候');
    expect(line({ type: 'system', event: 'agent_left', neiRong: '客服-小李-已退出房间', agent: '小李', resolved: true })).toBe('客服小李结束了会话');
  });

  it('writes the queue, transfer and requeue notices from their numbers and names', () => {
    expect(line({ type: 'system', event: 'queue_position', neiRong: 'x', position: 3 })).toBe('所有客服正忙,您当前排在第 3 位,请稍候');
    expect(line({ type: 'system', event: 'requeued', neiRong: 'x', agent: '小王', position: 2 })).toBe('客服小王已将您转回排队,您当前排在第 2 位,请稍候');
    expect(line({ type: 'system', event: 'customer_transferred', neiRong: 'x', customer: '张三', transferredTo: '小李' })).toBe('用户张三已转接给客服小李');
  });

  it('frames the bot fallback from its fields, and keeps a matched answer as the FAQ wrote it', () => {
    const bot = (raw: Record<string, unknown>) => {
      const f = readFrame({ type: 'bot', shuiFaDe: '小助手', ...raw });
      if (!f) throw new Error('not a frame');
      return botLine(f);
    };
    expect(bot({ neiRong: 'Open 9-21', matched: true })).toBe('Open 9-21');
    expect(bot({ neiRong: 'Hold on(您当前排在第 2 位)', matched: false, fallback: 'Hold on', position: 2, agentsOnline: 1 })).toBe(
      'Hold on(您当前排在第 2 位)',
    );
    expect(bot({ neiRong: 'x', matched: false, fallback: 'Hold on', agentsOnline: 0 })).toContain('现在没有客服在线');
    expect(bot({ neiRong: 'seed text', matched: false })).toBe('seed text');
  });

  it('words a refusal by its error code, and keeps the wire text for a code it does not know', () => {
    const known = readFrame({ type: 'error', error: 'not_in_room', neiRong: 'x' });
    const unknown = readFrame({ type: 'error', error: 'brand_new', neiRong: '新的错误' });
    expect(known && errorLine(known)).toBe('客服接入后才能发送消息');
    expect(unknown && errorLine(unknown)).toBe('新的错误');
  });
});
