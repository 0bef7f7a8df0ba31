import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, say, statusOf, useE2E } from '../helpers/browser.js';
import { inboxOnline, openChat, threadBubbles } from '../helpers/console.js';

const e2e = useE2E();

/** What the page's polite live region has said, oldest first (it keeps the last few). */
const announced = (page: Page): Promise<string[]> => page.$$eval('#announcer > *', (lines) => lines.map((l) => l.textContent ?? ''));

describe('what a screen reader is told', () => {
  it('says each new message once through a polite live region, and not again when the agent switches conversations or reloads', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2);
    expect(await agent.getAttribute('#messages', 'aria-live')).toBe('off');
    expect(await agent.getAttribute('#announcer', 'aria-live')).toBe('polite');
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    await expect.poll(() => announced(agent)).toEqual(['新会话:张三', '新会话:李四']);
    await say(li, '我的快递到哪了');
    await expect.poll(() => announced(agent)).toEqual(['新会话:张三', '新会话:李四', '李四:我的快递到哪了']);
    await openChat(agent, '李四');
    await openChat(agent, '张三');
    await openChat(agent, '李四');
    expect(await threadBubbles(agent)).toEqual(['我的快递到哪了']);
    expect(await announced(agent)).toEqual(['新会话:张三', '新会话:李四', '李四:我的快递到哪了']);
    // A reload is given each conversation again: history, not news.
    await agent.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => statusOf(agent)).toContain('正在服务');
    await openChat(agent, '李四');
    await expect.poll(() => threadBubbles(agent)).toEqual(['我的快递到哪了']);
    expect(await announced(agent)).toEqual([]);
    await say(zhang, '在吗');
    await expect.poll(() => announced(agent)).toEqual(['张三:在吗']);
  });

  it('tells the customer each new message of the agent once, and not the history after a reload', async () => {
    const agent = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    expect(await customer.getAttribute('#messages', 'aria-live')).toBe('off');
    await say(customer, '你好');
    await say(agent, '您好,请讲');
    await expect.poll(() => announced(customer)).toEqual(['客服小王:您好,请讲']);
    await customer.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => bubbles(customer)).toEqual(['你好', '您好,请讲']);
    expect(await announced(customer)).toEqual([]);
  });

  it('says a colleague’s team message once, and not the team channel’s history after a reload', async () => {
    const wang = await e2e.agentOnline('客服小王');
    const li = await e2e.agentOnline('客服小李');
    expect(await wang.getAttribute('#teamMessages', 'aria-live')).toBe('off');
    await li.fill('#teamInput', '午饭后我来接班');
    await li.press('#teamInput', 'Enter');
    await expect.poll(() => announced(wang)).toEqual(['客服小李:午饭后我来接班']);
    expect(await announced(li)).toEqual([]);
    await wang.reload({ waitUntil: 'domcontentloaded' });
    await expect.poll(() => wang.$$eval('#teamMessages .team-msg', (ms) => ms.map((m) => m.lastChild?.textContent))).toEqual(['午饭后我来接班']);
    expect(await announced(wang)).toEqual([]);
  });
});
