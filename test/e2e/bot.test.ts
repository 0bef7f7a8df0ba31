import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, notices, say, statusOf, useE2E } from '../helpers/browser.js';
import { TEST_KEY, tempDataDir } from '../helpers/server.js';

const e2e = useE2E();

const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

/** Text of the bot's answers, each with its badge, in order. */
const botAnswers = (page: Page) =>
  page.$$eval('#messages .msg.bot', (els) =>
    els.map((e) => ({ badge: e.querySelector('.badge')?.textContent, text: e.querySelector('.bubble')?.textContent })),
  );

/** Text of the offline messages in the agent's sidebar, in order. */
const inbox = (page: Page) =>
  page.$$eval('#offlineList .offline-item', (els) =>
    els.map((e) => [
      e.querySelector('.offline-meta')?.textContent?.split(' · ')[0],
      e.querySelector('.offline-contact')?.textContent,
      e.querySelector('.offline-text')?.textContent,
    ]),
  );

async function leaveMessage(page: Page, contact: string, text: string): Promise<void> {
  await page.click('#offlineOpen');
  await page.fill('#offlineContact', contact);
  await page.fill('#offlineText', text);
  await page.click('#offlineSend');
}

describe('FAQ bot and offline messages in the pages', () => {
  it("lets a customer with no agent online ask the bot, whose answer is labelled as the bot's", async () => {
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    expect(await customer.textContent('#queueHint')).toBe('现在没有客服在线');
    await say(customer, '你们几点上班?');
    await expect.poll(() => botAnswers(customer)).toEqual([{ badge: '机器人', text: expect.stringContaining('9:00-21:00') }]);
    // The customer's question is shown as their own, settled (not pending).
    expect(await customer.$$eval('#messages .msg.own .bubble', (els) => els.map((e) => e.textContent))).toEqual(['你们几点上班?']);
    expect(await customer.$$('#messages .msg.own.pending')).toHaveLength(0);
    expect(await customer.textContent('#messages .msg.bot .sender')).toBe('小助手');
  });

  it('lets a customer leave a message when no agent is online, which the next agent sees and marks handled', async () => {
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => customer.isVisible('#offlineOpen')).toBe(true);
    await leaveMessage(customer, 'zhangsan@example.com', '订单 123 还没发货,请联系我');
    await expect.poll(() => notices(customer)).toContain('留言已收到,客服会通过 zhangsan@example.com 联系您');
    expect(await customer.isHidden('#offlineForm')).toBe(true);
    // The customer leaves; an agent comes online later and finds the message.
    await customer.click('#leave');
    const agent = await e2e.agentOnline('客服小王');
    await expect.poll(() => inbox(agent)).toEqual([['张三', 'zhangsan@example.com', '订单 123 还没发货,请联系我']]);
    expect(await agent.textContent('#offlineCount')).toBe('1');
    await agent.click('#offlineList .offline-item button');
    await expect.poll(() => agent.isHidden('#offlineSection')).toBe(true);
    const open = await fetch(`${e2e.server.httpUrl}/api/offline-messages?status=open`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(((await open.json()) as { messages: unknown[] }).messages).toEqual([]);
  });

  it('offers only the message form when the queue is full and nobody is online', async () => {
    await e2e.restartServer({ QUEUE_MAX: '1' });
    const first = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(first)).toBe('排队中,第 1 位');
    const second = await e2e.customerIn('李四');
    await expect.poll(() => second.textContent('#startError')).toBe('排队人数已满,请稍后再试');
    await second.click('#startOffline');
    expect(await second.isVisible('#offlineForm')).toBe(true);
    expect(await second.isHidden('#composer')).toBe(true);
    await second.fill('#offlineContact', '13800138000');
    await second.fill('#offlineText', '排不上队,请回电');
    await second.click('#offlineSend');
    await expect.poll(() => second.textContent('#endedText')).toBe('留言已收到,客服会通过 13800138000 联系您');
    const agent = await e2e.agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => inbox(agent)).toEqual([['李四', '13800138000', '排不上队,请回电']]);
  });

  it('announces what is wrong with the message form and marks the field', async () => {
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => customer.isVisible('#offlineOpen')).toBe(true);
    await leaveMessage(customer, '', '你好');
    expect(await customer.textContent('#offlineError')).toBe('请填写邮箱或手机号');
    expect(await customer.getAttribute('#offlineContact', 'aria-invalid')).toBe('true');
    expect(await customer.getAttribute('#offlineError', 'role')).toBe('alert');
    // The server's verdict on a contact that is neither mail nor phone.
    await customer.fill('#offlineContact', 'call me maybe');
    await customer.click('#offlineSend');
    await expect.poll(() => customer.textContent('#offlineError')).toBe('请填写正确的邮箱或手机号');
    await customer.fill('#offlineContact', '13800138000');
    await customer.fill('#offlineText', '  ');
    await customer.click('#offlineSend');
    expect(await customer.textContent('#offlineError')).toBe('请填写留言内容');
    expect(await customer.getAttribute('#offlineText', 'aria-invalid')).toBe('true');
  });

  it('shows the agent who takes a queued customer what they asked the bot', async () => {
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await say(customer, '怎么退款?');
    await expect.poll(() => botAnswers(customer)).toHaveLength(1);
    const agent = await e2e.agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => notices(agent)).toContain('用户张三排队时问了小助手 1 个问题');
    expect(await bubbles(agent)).toEqual(['怎么退款?', expect.stringContaining('7 天内可以无理由退货')]);
    expect(await botAnswers(agent)).toEqual([{ badge: '机器人', text: expect.stringContaining('7 天内') }]);
    // The customer keeps their exchange on screen, now chatting with the agent.
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    expect(await botAnswers(customer)).toHaveLength(1);
  });

  it('does not offer the message form while agents are online but busy', async () => {
    const agent = await e2e.agentOnline('客服小王');
    const first = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(first)).toContain('为您服务');
    const second = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(second)).toBe('排队中,第 1 位');
    expect(await second.isHidden('#offlineOpen')).toBe(true);
    await say(second, '你好');
    await expect.poll(() => botAnswers(second)).toEqual([{ badge: '机器人', text: '请稍候,客服马上就来(您当前排在第 1 位)' }]);
    expect(await bubbles(agent)).toEqual([]);
  });

  it('renders a hostile question, name, contact and message as text and runs none of them', async () => {
    const name = '<img src=x onerror=__pwned=1>';
    const question = '<img src=x onerror=window.__pwned=1>营业时间';
    const text = '<script>window.__pwned=1</script><b>退款</b>';
    const customer = await e2e.customerIn(name);
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await say(customer, question);
    await expect.poll(() => botAnswers(customer)).toHaveLength(1);
    expect(await customer.$$eval('#messages .msg.own .bubble', (els) => els.map((e) => e.textContent))).toEqual([question]);
    await leaveMessage(customer, 'a+b@example.com', text);
    await expect.poll(() => notices(customer)).toContain('留言已收到,客服会通过 a+b@example.com 联系您');
    const agent = await e2e.agentOnline('客服小王', undefined, `正在服务 ${name}`);
    await expect.poll(() => inbox(agent)).toEqual([[name, 'a+b@example.com', text]]);
    await expect.poll(() => bubbles(agent)).toContain(question);
    for (const page of [agent, customer]) {
      expect(await pwned(page)).toBeUndefined();
      expect(await page.$$('#messages img, #messages script, #messages b, #offlineList img, #offlineList script, #offlineList b')).toHaveLength(0);
    }
  });

  it("renders markup in the operator's FAQ answers as text too", async () => {
    const file = path.join(tempDataDir(), 'faq.json');
    const answer = '<img src=x onerror=window.__pwned=1><a href="javascript:alert(1)">点这里</a>';
    fs.writeFileSync(file, JSON.stringify({ entries: [{ keywords: ['营业时间'], answer }] }));
    await e2e.restartServer({ FAQ_FILE: file });
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await say(customer, '营业时间');
    await expect.poll(() => botAnswers(customer)).toEqual([{ badge: '机器人', text: answer }]);
    expect(await pwned(customer)).toBeUndefined();
    expect(await customer.$$('#messages img, #messages a')).toHaveLength(0);
  });
});
