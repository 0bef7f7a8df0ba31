import type { BrowserContext, Frame, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { useE2E } from '../helpers/browser.js';
import { connectAgent, connectCustomer, type TestClient } from '../helpers/client.js';
import { shopPage } from '../helpers/hostSite.js';
import { useWidgetSite, widgetFrame } from '../helpers/widgetSite.js';

/** Filled in once the host site has its port, before the first server starts. */
const env: Record<string, string> = {};
const e2e = useE2E(env);
const site = useWidgetSite(e2e, env);
/** Errors of the visitor's tabs (the site checks the first page of each context, these the rest). */
const errors: string[] = [];

/** expect.poll with room for a busy machine: each waits on a round trip through the server and two tabs. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

/** How a tab shows kefu: the customer page itself, or the widget on the shop's page. */
interface Way {
  name: string;
  /** Opens a new tab of this visitor and returns the customer page in it. */
  open(context: BrowserContext): Promise<{ page: Page; chat: Frame }>;
}

const plain: Way = {
  name: 'the customer page',
  async open(context) {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${e2e.server.httpUrl}/yonghu.html`, { waitUntil: 'domcontentloaded' });
    return { page, chat: page.mainFrame() };
  },
};

const widget: Way = {
  name: 'the widget on another site',
  async open(context) {
    const page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site.shop.page(shopPage(e2e.server.httpUrl)), { waitUntil: 'domcontentloaded' });
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const chat = await widgetFrame(page);
    await chat.waitForSelector('#status');
    return { page, chat };
  },
};

/** A visitor's browser: a fresh context whose pages are that visitor's tabs. */
async function visitor(): Promise<BrowserContext> {
  const tracked = await site.visitor();
  await tracked.page.close();
  return tracked.context;
}

const statusOf = (chat: Frame) => chat.textContent('#status');
const bubblesOf = (chat: Frame) => chat.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent));
const settledOf = (chat: Frame) => chat.$$eval('#messages .msg:not(.system):not(.pending) .bubble', (els) => els.map((e) => e.textContent));

/** Starts a chat in this tab under this name. */
async function contact(chat: Frame, name: string): Promise<void> {
  await chat.fill('#name', name);
  await chat.click('#contact');
}

/** kefu_queue_length from the server's /metrics. */
async function queueLength(): Promise<number> {
  const text = await (await fetch(`${e2e.server.httpUrl}/metrics`)).text();
  const m = /^kefu_queue_length (\d+)$/m.exec(text);
  return Number(m?.[1]);
}

const entered = (agent: TestClient) => agent.frames.filter((f) => f.event === 'customer_entered').length;
const agentHeard = (agent: TestClient) => agent.frames.filter((f) => f.type === 'message').map((f) => f.neiRong);

/** An agent, and a visitor chatting with them in two tabs. */
async function twoTabsChatting(way: Way) {
  const agent = await connectAgent(e2e.server, '客服小王', '&v=2');
  const browser = await visitor();
  const first = await way.open(browser);
  await contact(first.chat, '张三');
  await poll(() => statusOf(first.chat)).toBe('客服小王 为您服务');
  const second = await way.open(browser);
  await poll(() => statusOf(second.chat)).toBe('客服小王 为您服务');
  return { agent, first, second };
}

for (const way of [plain, widget]) {
  describe(`one visitor, one conversation across tabs (${way.name})`, () => {
    it('shows the same conversation in both tabs while the agent sees one customer', async () => {
      const { agent, first, second } = await twoTabsChatting(way);
      agent.send('您好,请问有什么可以帮您?');
      await poll(() => bubblesOf(first.chat)).toEqual(['您好,请问有什么可以帮您?']);
      await poll(() => bubblesOf(second.chat)).toEqual(['您好,请问有什么可以帮您?']);
      await second.chat.fill('#input', '我在第二个标签页');
      await second.chat.press('#input', 'Enter');
      await poll(() => agentHeard(agent)).toContain('我在第二个标签页');
      // Delivered (the ack came back through the tab that has the socket), and shown in both.
      await poll(() => settledOf(second.chat)).toEqual(['您好,请问有什么可以帮您?', '我在第二个标签页']);
      await poll(() => bubblesOf(first.chat)).toEqual(['您好,请问有什么可以帮您?', '我在第二个标签页']);
      expect(entered(agent)).toBe(1);
    });

    it('carries on in the other tab when the tab holding the connection closes, without queueing again', async () => {
      const { agent, first, second } = await twoTabsChatting(way);
      const sockets: string[] = [];
      second.page.on('websocket', (ws) => sockets.push(ws.url()));
      await first.page.close();
      // The second tab takes the connection over with the resume token.
      await poll(() => sockets.length).toBe(1);
      expect(sockets[0]).toContain('resume=');
      agent.send('您还在吗?');
      await poll(() => bubblesOf(second.chat)).toEqual(['您还在吗?']);
      await second.chat.fill('#input', '在的');
      await second.chat.press('#input', 'Enter');
      await poll(() => agentHeard(agent)).toContain('在的');
      await poll(() => settledOf(second.chat)).toEqual(['您还在吗?', '在的']);
      expect(await statusOf(second.chat)).toBe('客服小王 为您服务');
      expect(entered(agent)).toBe(1);
      expect(agent.frames.filter((f) => f.event === 'customer_requeued' || f.event === 'customer_left')).toEqual([]);
      expect(await queueLength()).toBe(0);
    });

    it('shows a second tab opened while queued the same place, and adds nobody to the queue', async () => {
      const agent = await connectAgent(e2e.server, '客服小王', '&v=2');
      // The agent's one seat is taken: the visitor waits.
      await connectCustomer(e2e.server, '李四', agent);
      const browser = await visitor();
      const first = await way.open(browser);
      await contact(first.chat, '张三');
      await poll(() => statusOf(first.chat)).toBe('排队中,第 1 位');
      expect(await queueLength()).toBe(1);
      const second = await way.open(browser);
      await poll(() => statusOf(second.chat)).toBe('排队中,第 1 位');
      expect(await second.chat.textContent('#queueAhead')).toBe('下一位就是您');
      expect(await queueLength()).toBe(1);
      const waiting = agent.frames.filter((f) => f.type === 'presence').map((f) => Number(f.waiting));
      expect(Math.max(...waiting)).toBe(1);
    });

    it('ends the conversation in every tab when the visitor ends it in one', async () => {
      const { agent, first, second } = await twoTabsChatting(way);
      await second.chat.click('#leave');
      await poll(() => first.chat.isVisible('#ended')).toBe(true);
      await poll(() => second.chat.isVisible('#ended')).toBe(true);
      expect(await statusOf(first.chat)).toBe('会话已结束');
      await agent.nextMatching((f) => f.event === 'customer_left');
    });

    it('thanks the visitor in every tab once they rate in one', async () => {
      const { first, second } = await twoTabsChatting(way);
      await first.chat.click('#leave');
      await poll(() => second.chat.isVisible('#rating')).toBe(true);
      await second.chat.click('label[for="star5"]');
      await second.chat.click('#ratingSubmit');
      await poll(() => second.chat.textContent('#ratingDone')).toBe('感谢您的评价!');
      await poll(() => first.chat.textContent('#ratingDone')).toBe('感谢您的评价!');
      expect(await first.chat.isHidden('#rating')).toBe(true);
    });
  });
}

describe('tabs the browser cannot link', () => {
  it('keeps a conversation per tab, as before, where the browser has no Web Locks', async () => {
    const agent = await connectAgent(e2e.server, '客服小王', '&v=2');
    const browser = await visitor();
    await browser.addInitScript(() => Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined }));
    const first = await plain.open(browser);
    await contact(first.chat, '张三');
    await poll(() => statusOf(first.chat)).toBe('客服小王 为您服务');
    // Without a lock to agree on who holds the socket, the second tab must not take the
    // conversation over with a shared resume token: it starts from the name field.
    const second = await plain.open(browser);
    expect(await second.chat.isVisible('#startView')).toBe(true);
    agent.send('您好');
    await poll(() => bubblesOf(first.chat)).toEqual(['您好']);
    expect(await statusOf(first.chat)).toBe('客服小王 为您服务');
    expect(entered(agent)).toBe(1);
  });
});
