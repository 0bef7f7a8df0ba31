import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, openPage, type TrackedPage } from '../helpers/browser.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

let browser: Browser;
let server: TestServer;
const opened: TrackedPage[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  for (const p of opened.splice(0)) await p.context.close();
  await server.close();
});

async function open(pathname: string, viewport?: { width: number; height: number }): Promise<TrackedPage> {
  const p = await openPage(browser, `${server.httpUrl}${pathname}`, viewport);
  opened.push(p);
  return p;
}

async function agentOnline(name = '客服小王', viewport?: { width: number; height: number }, status = '等待用户接入'): Promise<Page> {
  const { page } = await open(`/kefu.html#key=${TEST_KEY}`, viewport);
  await page.fill('#name', name);
  await page.click('#connect');
  await expect.poll(() => page.textContent('#status')).toBe(status);
  return page;
}

async function customerIn(name = '张三', viewport?: { width: number; height: number }): Promise<Page> {
  const { page } = await open('/yonghu.html', viewport);
  await page.fill('#name', name);
  await page.click('#contact');
  return page;
}

const bubbles = (page: Page) => page.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent));
const notices = (page: Page) => page.$$eval('#messages .msg.system .bubble', (els) => els.map((e) => e.textContent));

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

describe('the two pages', () => {
  it('place a customer with the agent and chat both ways', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toBe('客服 客服小王 为您服务');
    await expect.poll(() => agent.textContent('#status')).toBe('正在服务 张三');
    expect(await notices(customer)).toContain('客服-客服小王-将为您服务');
    expect(await notices(agent)).toContain('用户-张三-已进入房间');
    await say(customer, '你好,我的订单没有收到 📦');
    await expect.poll(() => bubbles(agent)).toEqual(['你好,我的订单没有收到 📦']);
    await say(agent, '您好!请提供订单号,我马上为您查询。');
    await expect.poll(() => bubbles(customer)).toEqual(['你好,我的订单没有收到 📦', '您好!请提供订单号,我马上为您查询。']);
    // Own messages sit on the right, the peer's on the left.
    expect(await customer.$eval('#messages .msg.own .bubble', (e) => e.textContent)).toBe('你好,我的订单没有收到 📦');
    expect(await agent.$eval('#messages .msg.peer .bubble', (e) => e.textContent)).toBe('你好,我的订单没有收到 📦');
  });

  it('Shift+Enter makes a newline and Enter sends it', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
    await customer.fill('#input', '第一行');
    await customer.press('#input', 'Shift+Enter');
    await customer.type('#input', '第二行');
    await customer.press('#input', 'Enter');
    await expect.poll(() => bubbles(agent)).toEqual(['第一行\n第二行']);
  });

  it('show the agent the customer leaving and free the room', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => agent.textContent('#status')).toBe('正在服务 张三');
    await customer.click('#leave');
    await expect.poll(() => notices(agent)).toContain('用户-张三-已退出房间');
    await expect.poll(() => agent.textContent('#status')).toBe('等待用户接入');
    const next = await customerIn('李四');
    await expect.poll(() => next.textContent('#status')).toBe('客服 客服小王 为您服务');
  });

  it('end the customer page when the agent leaves (the close command)', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
    await agent.click('#disconnect');
    await expect.poll(() => notices(customer)).toContain('客服-客服小王-已退出房间');
    await expect.poll(() => customer.isVisible('#ended')).toBe(true);
    expect(await customer.textContent('#status')).toBe('会话已结束');
    expect(await customer.isDisabled('#input')).toBe(true);
  });

  it('put a customer in the queue when no agent is free, then place them', async () => {
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toBe('排队中,前面还有 0 位');
    // The waiting customer is placed the moment the agent's room opens.
    const agent = await agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => customer.textContent('#status')).toBe('客服 客服小王 为您服务');
    expect(await notices(agent)).toContain('用户-张三-已进入房间');
  });

  it('show the 4401 reason for a wrong agent key', async () => {
    const { page } = await open('/kefu.html#key=wrong-key-123');
    await page.fill('#name', '客服小王');
    await page.click('#connect');
    await expect.poll(() => page.textContent('#loginError')).toBe('身份验证失败(密钥或票据无效、已使用或已过期)');
  });

  it('reconnect a customer after a dropped connection and keep the conversation', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
    await say(customer, '第一条');
    await expect.poll(() => bubbles(agent)).toEqual(['第一条']);
    // Cut the customer's socket from the server side: the page must come back by itself.
    await customer.evaluate(() => undefined);
    for (const c of [...(server.gateway as unknown as { connections: Map<string, { role: string; ws: { terminate(): void } }> }).connections.values()]) {
      if (c.role === 'yonghu') c.ws.terminate();
    }
    await expect.poll(() => notices(agent)).toContain('用户-张三-暂时离开');
    await say(agent, '您还在吗?');
    await expect.poll(() => bubbles(customer), { timeout: 10_000 }).toEqual(['第一条', '您还在吗?']);
    await expect.poll(() => notices(agent)).toContain('用户-张三-已回来');
  });

  it('keep the conversation across a reload of the customer page', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
    await say(customer, '刷新之前');
    await say(agent, '收到');
    await expect.poll(() => bubbles(customer)).toEqual(['刷新之前', '收到']);
    await customer.reload();
    await expect.poll(() => bubbles(customer)).toEqual(['刷新之前', '收到']);
    await say(customer, '刷新之后');
    await expect.poll(() => bubbles(agent)).toEqual(['刷新之前', '收到', '刷新之后']);
  });

  it('bring the agent back into the conversation after a reload, history included', async () => {
    const agent = await agentOnline();
    const customer = await customerIn();
    await expect.poll(() => agent.textContent('#status')).toBe('正在服务 张三');
    await say(customer, '在吗');
    await say(agent, '在的');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的']);
    await agent.reload();
    await expect.poll(() => agent.textContent('#status')).toBe('正在服务 张三');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的']);
    await expect.poll(() => notices(customer)).toContain('客服-客服小王-已回来');
    await say(customer, '好的');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的', '好的']);
  });

  it('render hostile names and messages as text and run nothing', async () => {
    const hostile = '<img src=x onerror=window.__pwned=1>';
    const agent = await agentOnline('<script>window.__pwned=1</script>'.slice(0, 32));
    const customer = await customerIn(hostile.slice(0, 32));
    await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
    await say(customer, hostile);
    await say(agent, '<script>window.__pwned=1</script>');
    await expect.poll(() => bubbles(agent)).toEqual([hostile, '<script>window.__pwned=1</script>']);
    await expect.poll(() => bubbles(customer)).toEqual([hostile, '<script>window.__pwned=1</script>']);
    expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await customer.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await agent.$$('#messages img')).toHaveLength(0);
  });

  it('make no request outside this server', async () => {
    const agentPage = await open(`/kefu.html#key=${TEST_KEY}`);
    const customerPage = await open('/yonghu.html');
    await agentPage.page.fill('#name', 'a');
    await agentPage.page.click('#connect');
    await expect.poll(() => agentPage.page.textContent('#status')).toBe('等待用户接入');
    await customerPage.page.fill('#name', 'b');
    await customerPage.page.click('#contact');
    await expect.poll(() => customerPage.page.textContent('#status')).toContain('为您服务');
    for (const url of [...agentPage.requests, ...customerPage.requests]) {
      expect(url.startsWith(server.httpUrl) || url.startsWith('data:')).toBe(true);
    }
  });

  it('take screenshots of both pages in a conversation, desktop and phone', async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    for (const [label, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      const agent = await agentOnline('客服小王', viewport);
      const customer = await customerIn('张三', viewport);
      await expect.poll(() => customer.textContent('#status')).toContain('为您服务');
      await say(customer, '你好,我昨天下的订单还没有发货,能帮我查一下吗?');
      await expect.poll(() => bubbles(agent)).toHaveLength(1);
      await say(agent, '您好!请提供一下订单号,我马上为您查询 😊');
      await expect.poll(() => bubbles(customer)).toHaveLength(2);
      await say(customer, '订单号是 20261124-8848');
      await expect.poll(() => bubbles(agent)).toHaveLength(3);
      await agent.screenshot({ path: path.join(ARTIFACTS, `kefu-${label}.png`) });
      await customer.screenshot({ path: path.join(ARTIFACTS, `yonghu-${label}.png`) });
      await customer.click('#leave');
      await expect.poll(() => agent.textContent('#status')).toBe('等待用户接入');
      await agent.click('#disconnect');
    }
    expect(fs.existsSync(path.join(ARTIFACTS, 'kefu-phone.png'))).toBe(true);
  });
});
