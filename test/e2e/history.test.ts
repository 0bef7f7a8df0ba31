import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, PHONE, say, screenshot, statusOf, useE2E } from '../helpers/browser.js';
import { TEST_KEY } from '../helpers/server.js';

const e2e = useE2E();

/** The results shown: each one's customer, and the marked text of its snippets. */
const results = (page: Page) =>
  page.$$eval('#results .result', (items) =>
    items.map((a) => ({ customer: a.querySelector('.who')?.textContent ?? '', marks: [...a.querySelectorAll('.snippet mark')].map((m) => m.textContent) })),
  );

/** Types into the search box and searches, as a person would. */
async function search(page: Page, text: string): Promise<void> {
  await page.fill('#q', text);
  await page.click('#filters button[type="submit"]');
}

/** A customer chats with the agent on `agent` (lines alternate customer, agent), then leaves; gives their visitor id. */
async function chat(agent: Page, customerName: string, lines: string[]): Promise<string> {
  const customer = await e2e.customerIn(customerName);
  await expect.poll(() => statusOf(customer)).toContain('为您服务');
  for (const [i, text] of lines.entries()) {
    await say(i % 2 === 0 ? customer : agent, text);
    await expect.poll(() => bubbles(agent)).toHaveLength(i + 1);
  }
  const visitor = await customer.evaluate(() => localStorage.getItem('kefu.visitor'));
  await customer.click('#leave');
  await expect.poll(() => customer.isVisible('#ended')).toBe(true);
  await expect.poll(() => statusOf(agent)).toBe('等待用户接入');
  return visitor ?? '';
}

describe('history page', () => {
  it('finds past conversations by Chinese and English text and opens a transcript read-only', async () => {
    const agent = await e2e.agentOnline('客服小王');
    const first = await chat(agent, '张三', ['你好,我想申请退款,订单号 20261124-8848', '您好,您的 REFUND 已经批准,三个工作日内到账']);
    const second = await chat(agent, '李四', ['请问怎么开发票?', '在订单页面点击“申请发票”即可']);

    // The customer page made a visitor id and sent it: the conversations carry it.
    const listed = await fetch(`${e2e.server.httpUrl}/api/conversations`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    const { conversations } = (await listed.json()) as { conversations: Array<{ customer: string; visitorId?: string }> };
    expect(first).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(conversations.map((c) => [c.customer, c.visitorId])).toEqual([
      ['李四', second],
      ['张三', first],
    ]);

    // The signed-in console's session opens the history page.
    await agent.goto(`${e2e.server.httpUrl}/history.html`);
    await expect
      .poll(() => results(agent))
      .toEqual([
        { customer: '李四', marks: [] },
        { customer: '张三', marks: [] },
      ]);
    await search(agent, '退款');
    await expect.poll(() => results(agent)).toEqual([{ customer: '张三', marks: ['退款'] }]);
    await search(agent, 'refund');
    await expect.poll(() => results(agent)).toEqual([{ customer: '张三', marks: ['REFUND'] }]);
    await search(agent, '发票');
    await expect.poll(() => results(agent)).toEqual([{ customer: '李四', marks: ['发票', '发票'] }]);
    await screenshot(agent, 'history-desktop', true);

    await agent.click('#results .result');
    await expect
      .poll(() => agent.$$eval('#transcript .line-body', (ls) => ls.map((l) => l.textContent)))
      .toEqual(['请问怎么开发票?', '在订单页面点击“申请发票”即可']);
    expect(await agent.textContent('#transcriptTitle')).toBe('李四');
    expect(await agent.$$eval('#transcript .line.hit mark', (ms) => ms.map((m) => m.textContent))).toEqual(['发票', '发票']);
    // Read-only: nothing on the transcript to write with.
    expect(await agent.$$('#transcriptView input, #transcriptView textarea')).toHaveLength(0);
    await screenshot(agent, 'history-transcript-desktop', true);
    const opened = new URL(agent.url()).hash;
    expect(opened).toMatch(/^#c=/);

    await agent.click('#back');
    await expect.poll(() => agent.isVisible('#resultsView')).toBe(true);

    // The console's customer panel links straight to one conversation.
    await agent.goto(`${e2e.server.httpUrl}/history.html${opened}`);
    await expect.poll(() => agent.$$eval('#transcript .line-body', (ls) => ls.map((l) => l.textContent))).toHaveLength(2);
    expect(await agent.isVisible('#resultsView')).toBe(false);

    // On a phone the filters stack and nothing is wider than the screen.
    await agent.setViewportSize(PHONE);
    await agent.click('#back');
    await search(agent, '退款');
    await expect.poll(() => results(agent)).toEqual([{ customer: '张三', marks: ['退款'] }]);
    expect(await agent.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(agent, 'history-phone', true);
    await agent.setViewportSize(DESKTOP);
  });

  it('shows markup in a message as text, never as markup', async () => {
    const agent = await e2e.agentOnline('客服小王');
    await chat(agent, '王五', ['<img src=x onerror="document.title=1">退款 <b>now</b>']);
    await agent.goto(`${e2e.server.httpUrl}/history.html`);
    await search(agent, '退款');
    await expect.poll(() => results(agent)).toEqual([{ customer: '王五', marks: ['退款'] }]);
    expect(await agent.$$('#results img, #results b')).toHaveLength(0);
    expect(await agent.textContent('#results .snippet')).toContain('<img src=x onerror="document.title=1">退款 <b>now</b>');
  });
});
