import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useE2E, type TrackedPage } from '../helpers/browser.js';
import { connect, connectAgent, customerUrl, getRoom, type TestClient } from '../helpers/client.js';
import { shopPage } from '../helpers/hostSite.js';
import { useWidgetSite } from '../helpers/widgetSite.js';

/** Filled in once the shop has its port, before the first server starts. */
const env: Record<string, string> = { GRACE_MS: '60000' };
const e2e = useE2E(env);
const site = useWidgetSite(e2e, env);

/** expect.poll with room for a busy machine: each waits on a round trip through the server and the browser. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/** Another tab of the same visitor, watched like the first. */
async function newTab(p: TrackedPage): Promise<Page> {
  const page = await p.context.newPage();
  page.on('websocket', (ws) => p.requests.push(ws.url()));
  page.on('pageerror', (e) => p.errors.push(e.message));
  return page;
}

/** Opens the panel from the launcher and returns kefu's customer page inside it, once it is there. */
async function openPanel(page: Page): Promise<Frame> {
  await page.getByRole('button', { name: '打开在线客服' }).click();
  await page.waitForSelector('kefu-widget iframe', { state: 'attached' });
  for (;;) {
    const chat = page.frames().find((f) => f.url().includes('/yonghu.html'));
    if (chat) {
      await chat.waitForSelector('#status');
      return chat;
    }
    await page.waitForEvent('framenavigated');
  }
}

/** The shop's page with the one tag, in this tab, its panel opened. */
async function shopWithWidget(page: Page): Promise<Frame> {
  await page.goto(site.shop.page(shopPage(e2e.server.httpUrl)), { waitUntil: 'domcontentloaded' });
  return openPanel(page);
}

/** A customer ahead of the visitor in the queue, connected by a plain (seed) socket. */
async function waitingAhead(name: string): Promise<TestClient> {
  const answer = await getRoom(e2e.server, name);
  const other = connect(customerUrl(e2e.server, name, answer.ticket as string));
  await other.nextMatching((f) => f.event === 'queue_position');
  return other;
}

/** The visitor on the shop's page starts a chat and waits second, behind 李四. */
async function queuedSecond(page: Page): Promise<{ chat: Frame; ahead: TestClient }> {
  const ahead = await waitingAhead('李四');
  const chat = await shopWithWidget(page);
  await chat.fill('#name', '张三');
  await chat.click('#contact');
  await poll(() => statusOf(chat)).toBe('排队中,第 2 位');
  expect(await queueLength()).toBe(2);
  return { chat, ahead };
}

const statusOf = (chat: Frame) => chat.textContent('#status');

/** Still waiting in its place: neither the start form nor an ended conversation. */
async function expectWaitingSecond(chat: Frame): Promise<void> {
  await poll(() => statusOf(chat)).toBe('排队中,第 2 位');
  expect(await chat.isVisible('#startView')).toBe(false);
  expect(await chat.isVisible('#ended')).toBe(false);
  expect(await chat.isVisible('#again')).toBe(false);
  expect(await queueLength()).toBe(2);
}

/** kefu_queue_length from the server's /metrics. */
async function queueLength(): Promise<number> {
  const text = await (await fetch(`${e2e.server.httpUrl}/metrics`)).text();
  const m = /^kefu_queue_length (\d+)$/m.exec(text);
  return Number(m?.[1]);
}

/** Cuts the browser's customer sockets (protocol 2; the one ahead is a seed client) from the server side, as a network drop would. */
function dropBrowserCustomers(): number {
  const gateway = e2e.server.gateway as unknown as { router: { all(): Iterable<{ role: string; v2: boolean; ws: { terminate(): void } }> } };
  const cut = [...gateway.router.all()].filter((c) => c.role === 'yonghu' && c.v2);
  for (const c of cut) c.ws.terminate();
  return cut.length;
}

/**
 * An agent comes online and takes the one ahead, the visitor moves up to first, the one ahead
 * leaves: the visitor is placed with the agent and what it writes reaches them.
 */
async function servedAfterTheOneAhead(chat: Frame, ahead: TestClient): Promise<void> {
  const agent = await connectAgent(e2e.server, '客服小王', '&v=2');
  await agent.nextMatching((f) => f.event === 'customer_entered');
  await poll(() => statusOf(chat)).toBe('排队中,第 1 位');
  await ahead.close(1000);
  await poll(() => statusOf(chat)).toBe('客服小王 为您服务');
  await chat.fill('#input', '我排了好一会儿了');
  await chat.press('#input', 'Enter');
  await poll(() => agent.frames.filter((f) => f.type === 'message').map((f) => f.neiRong)).toContain('我排了好一会儿了');
  expect(agent.frames.filter((f) => f.event === 'customer_entered')).toHaveLength(2);
  expect(await queueLength()).toBe(0);
  agent.close(1000);
}

describe('a visitor waiting in the queue in the widget on another site', () => {
  it('keeps its place across a reload of the shop page and is then placed with the agent', async () => {
    const { page } = await site.visitor();
    const { chat, ahead } = await queuedSecond(page);
    await page.reload({ waitUntil: 'domcontentloaded' });
    const again = await openPanel(page);
    await expectWaitingSecond(again);
    await servedAfterTheOneAhead(again, ahead);
    expect(chat.isDetached()).toBe(true);
  });

  it('comes back to its place by itself after its socket drops while the panel is open', async () => {
    const p = await site.visitor();
    const { chat, ahead } = await queuedSecond(p.page);
    const resumes = () => p.requests.filter((u) => u.startsWith('ws:') && u.includes('resume=')).length;
    expect(resumes()).toBe(0);
    expect(dropBrowserCustomers()).toBe(1);
    await poll(resumes).toBe(1);
    await expectWaitingSecond(chat);
    await servedAfterTheOneAhead(chat, ahead);
  });

  it('keeps its place when the shop tab is closed and a fresh one opened', async () => {
    const p = await site.visitor();
    const { ahead } = await queuedSecond(p.page);
    const tab = await newTab(p);
    await p.page.close();
    expect(p.context.pages()).toEqual([tab]);
    const chat = await shopWithWidget(tab);
    await expectWaitingSecond(chat);
    await servedAfterTheOneAhead(chat, ahead);
  });
});
