import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { bubbles, newTrackedPage, notices, say, statusOf, useE2E, type TrackedPage } from '../helpers/browser.js';
import { connectAgent } from '../helpers/client.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';

const e2e = useE2E();
const tracked: TrackedPage[] = [];
const proxies: TcpProxy[] = [];

/** expect.poll with room for a busy machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

afterEach(async () => {
  const pages = tracked.splice(0);
  for (const p of pages) await p.context.close();
  for (const p of proxies.splice(0)) await p.close();
  expect(pages.flatMap((p) => p.errors)).toEqual([]);
});

/**
 * The customer page reached through a TCP proxy the test can cut, chatting with 客服小王.
 * `beforeLoad` runs on the page before it loads (to install a clock).
 */
async function chattingThroughProxy(beforeLoad?: (page: Page) => Promise<void>): Promise<{ page: Page; proxy: TcpProxy }> {
  const proxy = await startTcpProxy(Number(new URL(e2e.server.httpUrl).port));
  proxies.push(proxy);
  const p = await newTrackedPage(e2e.browser);
  tracked.push(p);
  await beforeLoad?.(p.page);
  await p.page.goto(`http://127.0.0.1:${proxy.port}/yonghu.html`, { waitUntil: 'domcontentloaded' });
  await p.page.fill('#name', '张三');
  await p.page.click('#contact');
  await poll(() => statusOf(p.page)).toBe('客服小王 为您服务');
  return { page: p.page, proxy };
}

const reconnecting = /^连接中断,\d+ 秒后重新连接…$/;

describe('the customer page while the connection is down', () => {
  it('offers "reconnect now" during the countdown, which reconnects without waiting for it', async () => {
    await connectAgent(e2e.server, '客服小王', '&v=2');
    const { page, proxy } = await chattingThroughProxy((p) => p.clock.install());
    // The page's clock stands still from here: the countdown never runs out by itself.
    await page.clock.pauseAt(new Date(Date.now() + 60_000));
    await proxy.cut();
    await poll(() => statusOf(page)).toMatch(reconnecting);
    await proxy.restore();
    await page.getByRole('button', { name: '立即重连' }).click();
    await poll(() => statusOf(page)).toBe('客服小王 为您服务');
    expect(await page.isHidden('#reconnectNow')).toBe(true);
  });

  it('lets the visitor write while reconnecting, shows it as sending and sends it once back', async () => {
    const agent = await connectAgent(e2e.server, '客服小王', '&v=2');
    const { page, proxy } = await chattingThroughProxy();
    await proxy.cut();
    await poll(() => statusOf(page)).toMatch(reconnecting);
    expect(await page.isEnabled('#input')).toBe(true);
    await say(page, '网断了也能写');
    await poll(() => page.$$eval('#messages .msg.pending .bubble', (els) => els.map((e) => e.textContent))).toEqual(['网断了也能写']);
    expect(await page.$$('#messages .msg.failed')).toHaveLength(0);
    await proxy.restore();
    await agent.nextMatching((f) => f.type === 'message' && f.neiRong === '网断了也能写', 15_000);
    await poll(() => page.$$('#messages .msg.pending')).toHaveLength(0);
    expect(await bubbles(page)).toEqual(['网断了也能写']);
  });
});

describe('the customer page in the queue and on transfer', () => {
  it('does not say "you are next" while no agent is online', async () => {
    const customer = await e2e.customerIn('张三');
    await poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    expect(await customer.textContent('#queueHint')).toBe('现在没有客服在线');
    expect(await customer.textContent('#queueAhead')).toBe('客服上线后按顺序接待');
  });

  it('tells the customer which agent they were transferred to', async () => {
    const first = await connectAgent(e2e.server, '客服小王', '&v=2');
    const customer = await e2e.customerIn('张三');
    await poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await connectAgent(e2e.server, '客服小李', '&v=2');
    first.ws.send(JSON.stringify({ type: 'transfer', to: '客服小李' }));
    await poll(() => statusOf(customer)).toBe('客服小李 为您服务');
    expect(await notices(customer)).toContain('您已被转接给 客服小李');
  });
});
