import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, statusOf, useE2E } from '../helpers/browser.js';
import { TEST_KEY } from '../helpers/server.js';

const e2e = useE2E();

const HOSTILE = '<img src=x onerror=window.__pwned=1>';

/** Creates a canned reply through the API, as another agent's console would. */
async function createByApi(shortcut: string, title: string, body: string): Promise<void> {
  const res = await fetch(`${e2e.server.httpUrl}/api/canned-replies`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TEST_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ shortcut, title, body }),
  });
  expect(res.status).toBe(201);
}

async function listByApi(): Promise<Array<{ shortcut: string; title: string; body: string }>> {
  const res = await fetch(`${e2e.server.httpUrl}/api/canned-replies`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
  return ((await res.json()) as { cannedReplies: Array<{ shortcut: string; title: string; body: string }> }).cannedReplies;
}

const listed = (page: Page) =>
  page.$$eval('#cannedList .canned-item', (els) =>
    els.map((e) => [e.querySelector('.canned-shortcut')?.textContent, e.querySelector('.canned-title')?.textContent]),
  );
const options = (page: Page) =>
  page.$$eval('#cannedMenu [role="option"]', (els) => els.map((e) => [e.querySelector('.canned-shortcut')?.textContent, e.getAttribute('aria-selected')]));

/** The console learns of replies made elsewhere when its tab comes back into focus. */
const refocus = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('focus')));

/** An agent console serving a customer, both pages ready to chat. */
async function serving(): Promise<{ agent: Page; customer: Page }> {
  const agent = await e2e.agentOnline();
  const customer = await e2e.customerIn();
  await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
  await expect.poll(() => statusOf(customer)).toContain('为您服务');
  return { agent, customer };
}

describe('canned replies in the agent console', () => {
  it('creates a canned reply in the console, inserts it with / and sends it to the customer', async () => {
    const { agent, customer } = await serving();
    expect(await agent.isVisible('#cannedEmpty')).toBe(true);
    await agent.click('#cannedNew');
    await agent.fill('#cannedShortcut', 'refund');
    await agent.fill('#cannedTitleInput', '退款时效');
    await agent.fill('#cannedBody', '退款将在 3 个工作日内原路返回。');
    await agent.click('#cannedSave');
    await expect.poll(() => listed(agent)).toEqual([['/refund', '退款时效']]);
    expect(await agent.isHidden('#cannedForm')).toBe(true);
    expect(await listByApi()).toMatchObject([{ shortcut: 'refund', title: '退款时效', body: '退款将在 3 个工作日内原路返回。' }]);

    await agent.click('#input');
    await agent.keyboard.type('您好,/ref');
    await expect.poll(() => options(agent)).toEqual([['/refund', 'true']]);
    expect(await agent.getAttribute('#input', 'aria-expanded')).toBe('true');
    expect(await agent.getAttribute('#input', 'aria-activedescendant')).toBe('cannedOption0');
    await agent.keyboard.press('Enter');
    expect(await agent.inputValue('#input')).toBe('您好,退款将在 3 个工作日内原路返回。');
    expect(await agent.isHidden('#cannedMenu')).toBe(true);
    expect(await agent.getAttribute('#input', 'aria-expanded')).toBe('false');
    // Enter picked the reply and sent nothing; the next Enter sends.
    expect(await bubbles(customer)).toEqual([]);
    await agent.keyboard.press('Enter');
    await expect.poll(() => bubbles(customer)).toEqual(['您好,退款将在 3 个工作日内原路返回。']);
  });

  it('moves through matches with the arrows, inserts with Tab or a click, and closes with Escape', async () => {
    await createByApi('hello', '问候', '您好,请问有什么可以帮您?');
    await createByApi('help', '帮助中心', '帮助中心:help.example.com');
    await createByApi('bye', '结束语', '感谢您的咨询,再见!');
    const { agent } = await serving();
    await expect.poll(() => listed(agent)).toHaveLength(3);
    await agent.click('#input');
    await agent.keyboard.type('/he');
    await expect
      .poll(() => options(agent))
      .toEqual([
        ['/hello', 'true'],
        ['/help', 'false'],
      ]);
    await agent.keyboard.press('ArrowDown');
    expect(await options(agent)).toEqual([
      ['/hello', 'false'],
      ['/help', 'true'],
    ]);
    await agent.keyboard.press('ArrowDown');
    expect((await options(agent))[0]).toEqual(['/hello', 'true']);
    await agent.keyboard.press('ArrowUp');
    await agent.keyboard.press('Tab');
    expect(await agent.inputValue('#input')).toBe('帮助中心:help.example.com');

    await agent.fill('#input', '');
    await agent.keyboard.type('/');
    await expect.poll(() => options(agent)).toHaveLength(3);
    await agent.keyboard.press('Escape');
    expect(await agent.isHidden('#cannedMenu')).toBe(true);
    expect(await agent.inputValue('#input')).toBe('/');
    // Matching is on the title too; a click inserts.
    await agent.keyboard.type('结束');
    await expect.poll(() => options(agent)).toEqual([['/bye', 'true']]);
    await agent.click('#cannedMenu [role="option"]');
    expect(await agent.inputValue('#input')).toBe('感谢您的咨询,再见!');
    // A slash inside a Latin word or an address is just text; after Chinese it opens the menu.
    for (const text of ['and/or', 'http://x']) {
      await agent.fill('#input', '');
      await agent.keyboard.type(text);
      expect(await agent.isHidden('#cannedMenu')).toBe(true);
    }
    await agent.fill('#input', '');
    await agent.keyboard.type('您好/by');
    await expect.poll(() => options(agent)).toEqual([['/bye', 'true']]);
  });

  it('offers an agent to add replies but not to edit or delete them (that is for owners and admins)', async () => {
    await createByApi('ship', '发货', '今天发货');
    const agent = await e2e.agentOnline();
    await expect.poll(() => listed(agent)).toEqual([['/ship', '发货']]);
    expect(await agent.$$('#cannedList button')).toHaveLength(0);
    expect(await agent.isVisible('#cannedNew')).toBe(true);
  });

  it('edits and deletes a reply in an admin’s console, and shows replies other agents made after a refocus', async () => {
    await createByApi('ship', '发货', '今天发货');
    await e2e.accountFor('客服小王', undefined, 'admin');
    const agent = await e2e.agentOnline();
    await expect.poll(() => listed(agent)).toEqual([['/ship', '发货']]);
    await agent.click('#cannedList button[aria-label="编辑快捷回复 发货"]');
    expect(await agent.inputValue('#cannedBody')).toBe('今天发货');
    await agent.fill('#cannedTitleInput', '发货时间');
    await agent.fill('#cannedBody', '订单将在 24 小时内发货');
    await agent.click('#cannedSave');
    await expect.poll(() => listed(agent)).toEqual([['/ship', '发货时间']]);
    expect(await listByApi()).toMatchObject([{ shortcut: 'ship', title: '发货时间', body: '订单将在 24 小时内发货' }]);

    // A taken shortcut is refused with a readable reason, and the form stays open.
    await createByApi('track', '物流', '物流单号见订单详情');
    await agent.click('#cannedNew');
    await agent.fill('#cannedShortcut', 'track');
    await agent.fill('#cannedTitleInput', '重复');
    await agent.fill('#cannedBody', '重复');
    await agent.click('#cannedSave');
    await expect.poll(() => agent.textContent('#cannedError')).toBe('这个快捷词已被使用');
    await agent.click('#cannedCancel');
    expect(await agent.isHidden('#cannedForm')).toBe(true);

    await refocus(agent);
    await expect
      .poll(() => listed(agent))
      .toEqual([
        ['/ship', '发货时间'],
        ['/track', '物流'],
      ]);
    await agent.click('#cannedList button[aria-label="删除快捷回复 发货时间"]');
    await expect.poll(() => listed(agent)).toEqual([['/track', '物流']]);
    expect((await listByApi()).map((r) => r.shortcut)).toEqual(['track']);
  });

  it('shows a hostile title and body as text in the list, the menu and the message, and runs nothing', async () => {
    await createByApi('x', HOSTILE, HOSTILE);
    const { agent, customer } = await serving();
    await expect.poll(() => listed(agent)).toEqual([['/x', HOSTILE]]);
    await agent.click('#input');
    await agent.keyboard.type('/x');
    await expect.poll(() => agent.textContent('#cannedMenu .canned-preview')).toBe(HOSTILE);
    expect(await agent.textContent('#cannedMenu .canned-title')).toBe(HOSTILE);
    await agent.keyboard.press('Enter');
    await agent.keyboard.press('Enter');
    await expect.poll(() => bubbles(customer)).toEqual([HOSTILE]);
    for (const page of [agent, customer]) {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.$$('img, script:not([src])')).toHaveLength(0);
    }
  });
});
