import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { notices, say, statusOf, useE2E } from '../helpers/browser.js';
import { TEST_KEY } from '../helpers/server.js';

const e2e = useE2E();

const HOSTILE = '<img src=x onerror=window.__pwned=1>';

interface Listed {
  customer: string;
  rating: { score: number; comment: string | null; ratedAt: number } | null;
}

async function conversations(): Promise<Listed[]> {
  const res = await fetch(`${e2e.server.httpUrl}/api/conversations`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
  return ((await res.json()) as { conversations: Listed[] }).conversations;
}

async function serving(): Promise<{ agent: Page; customer: Page }> {
  const agent = await e2e.agentOnline();
  const customer = await e2e.customerIn();
  await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
  await expect.poll(() => statusOf(customer)).toContain('为您服务');
  return { agent, customer };
}

/** Clicks the nth star (1-5), as a person would: on its label. */
const star = (page: Page, n: number) => page.click(`label[for="star${n}"]`);

describe('rating a conversation in the customer page', () => {
  it('lets the customer end the chat, rate it 4 with a comment, and the API and the agent see it', async () => {
    const { agent, customer } = await serving();
    await say(customer, '问题解决了');
    expect(await customer.isHidden('#rating')).toBe(true);
    await customer.click('#leave');
    await expect.poll(() => customer.isVisible('#rating')).toBe(true);
    expect(await customer.textContent('#rating legend')).toBe('请为本次服务评分');
    await star(customer, 4);
    expect(await customer.$$eval('#rating label.on', (els) => els.length)).toBe(4);
    await customer.fill('#ratingComment', '回复很快,谢谢');
    await customer.click('#ratingSubmit');
    await expect.poll(() => customer.textContent('#ratingDone')).toBe('感谢您的评价!');
    expect(await customer.isHidden('#rating')).toBe(true);
    expect(await conversations()).toMatchObject([{ customer: '张三', rating: { score: 4, comment: '回复很快,谢谢' } }]);
    await expect.poll(() => notices(agent)).toContain('用户张三评价了本次服务:4 星 · “回复很快,谢谢”');
    // A new chat starts without the old rating on screen.
    await customer.click('#again');
    expect(await customer.isHidden('#ratingDone')).toBe(true);
  });

  it('still works after the agent left and the socket closed, and asks for a star first', async () => {
    const { agent, customer } = await serving();
    await agent.click('#disconnect');
    await expect.poll(() => customer.isVisible('#rating')).toBe(true);
    expect(await statusOf(customer)).toBe('会话已结束');
    await customer.click('#ratingSubmit');
    expect(await customer.textContent('#ratingError')).toBe('请先选择星级');
    await star(customer, 2);
    await customer.click('#ratingSubmit');
    await expect.poll(() => customer.textContent('#ratingDone')).toBe('感谢您的评价!');
    expect(await conversations()).toMatchObject([{ rating: { score: 2, comment: null } }]);
  });

  it('offers no rating to a customer who only waited in the queue', async () => {
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await customer.click('#leave');
    await expect.poll(() => customer.isVisible('#ended')).toBe(true);
    expect(await customer.isHidden('#rating')).toBe(true);
  });

  it('shows a hostile comment to the agent as text and runs nothing', async () => {
    const { agent, customer } = await serving();
    await customer.click('#leave');
    await star(customer, 5);
    await customer.fill('#ratingComment', HOSTILE);
    await customer.click('#ratingSubmit');
    await expect.poll(() => notices(agent)).toContain(`用户张三评价了本次服务:5 星 · “${HOSTILE}”`);
    expect(await conversations()).toMatchObject([{ rating: { score: 5, comment: HOSTILE } }]);
    for (const page of [agent, customer]) {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.$$('img, script:not([src])')).toHaveLength(0);
    }
  });
});
