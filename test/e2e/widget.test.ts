import { createHmac } from 'node:crypto';
import type { Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, isLocal, newTrackedPage, PHONE, say, screenshot, statusOf, useE2E, type TrackedPage, type Viewport } from '../helpers/browser.js';
import { shopPage, startHostSite, type HostSite } from '../helpers/hostSite.js';

const SECRET = 'widget-secret-for-tests-0123456789abcdef';
/** Filled in once the host sites have their ports, before the first server starts. */
const env: Record<string, string> = { WIDGET_SECRET: SECRET };
const e2e = useE2E(env);

/** The shop allowed to embed kefu, and a site that is not. */
let shop: HostSite;
let stranger: HostSite;
let partner: HostSite;
const tracked: TrackedPage[] = [];

/** expect.poll with room for a busy machine: each waits on a round trip through the server and two browsers. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

beforeAll(async () => {
  shop = await startHostSite();
  // Not 127.0.0.1: the server lets any page on localhost or 127.0.0.1 open its socket, for development.
  stranger = await startHostSite('127.0.0.2');
  partner = await startHostSite();
  env.WIDGET_ORIGINS = `${shop.origin},${partner.origin}`;
});
afterAll(async () => {
  await shop?.close();
  await stranger?.close();
  await partner?.close();
});
afterEach(async () => {
  const pages = tracked.splice(0);
  for (const p of pages) await p.context.close();
  expect(pages.flatMap((p) => p.errors)).toEqual([]);
  expect(pages.flatMap((p) => p.requests.filter((u) => !isLocal(u)))).toEqual([]);
});

/** Opens a page of a host site in a fresh browser context. */
async function visit(url: string, viewport: Viewport = DESKTOP): Promise<Page> {
  const p = await newTrackedPage(e2e.browser, viewport);
  tracked.push(p);
  await p.page.goto(url, { waitUntil: 'domcontentloaded' });
  return p.page;
}

/** The widget's iframe (kefu's customer page), once it is there. */
async function widgetFrame(page: Page): Promise<Frame> {
  await page.waitForSelector('kefu-widget iframe', { state: 'attached' });
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes('/yonghu.html'));
    if (frame) return frame;
    await page.waitForEvent('framenavigated');
  }
}

const frameBubbles = (frame: Frame): Promise<Array<string | null>> =>
  frame.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent));

/** What the host page's kefu('on', …) listeners saw. */
const seen = (page: Page): Promise<{ messages: Array<{ text: string; sender: string }>; unread: number[]; open: number; close: number }> =>
  page.evaluate(() => (window as unknown as { seen: never }).seen);

/** Signs an identity by the recipe in docs/operations.md, written out again here rather than imported. */
function sign(secret: string, id: string, name: string, email: string, expiry: number): string {
  return createHmac('sha256', secret).update(`kefu-identity-v1\n${id}\n${name}\n${email}\n${expiry}`, 'utf8').digest('hex');
}

/** Opens the panel from the launcher and starts a chat under this name (unless the name field is fixed). */
async function startChat(page: Page, name?: string): Promise<Frame> {
  await page.getByRole('button', { name: '打开在线客服' }).click();
  const chat = await widgetFrame(page);
  if (name !== undefined) await chat.fill('#name', name);
  await chat.click('#contact');
  return chat;
}

describe('the widget on another site', () => {
  it('opens the chat panel from the launcher and carries a conversation with an agent', async () => {
    const agent = await e2e.agentOnline();
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl)));
    const launcher = page.getByRole('button', { name: '打开在线客服' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    const size = await launcher.boundingBox();
    expect(size?.width).toBeGreaterThanOrEqual(24);
    expect(size?.height).toBeGreaterThanOrEqual(24);
    // Reached by the keyboard: it is the first thing Tab lands on after the page's own content.
    await launcher.focus();
    await page.keyboard.press('Enter');
    const closeButton = page.getByRole('button', { name: '收起在线客服' });
    expect(await closeButton.getAttribute('aria-expanded')).toBe('true');
    const panel = await page.locator('kefu-widget .panel').boundingBox();
    expect([panel?.width, panel?.height]).toEqual([400, 640]);
    const chat = await widgetFrame(page);
    // The panel takes the keyboard: the name field has the focus.
    await poll(() => chat.evaluate(() => document.activeElement?.id)).toBe('name');
    // The site's own rules for buttons never reach the launcher.
    expect(await page.locator('kefu-widget .launcher').evaluate((b) => getComputedStyle(b).borderStyle)).toBe('none');
    await chat.fill('#name', '张三');
    await chat.click('#contact');
    await poll(() => chat.textContent('#status')).toBe('客服小王 为您服务');
    await poll(() => statusOf(agent)).toBe('正在服务 张三');
    await chat.fill('#input', '你好,我想问一下发货时间');
    await chat.press('#input', 'Enter');
    await poll(() => bubbles(agent)).toEqual(['你好,我想问一下发货时间']);
    await say(agent, '您好,今天下单明天发货。');
    await poll(() => frameBubbles(chat)).toEqual(['你好,我想问一下发货时间', '您好,今天下单明天发货。']);
    expect((await seen(page)).open).toBe(1);
  });

  it('counts agent messages on the launcher badge while the panel is closed, and tells kefu("on", "message")', async () => {
    const agent = await e2e.agentOnline();
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl)));
    const chat = await startChat(page, '张三');
    await poll(() => chat.textContent('#status')).toBe('客服小王 为您服务');
    await page.getByRole('button', { name: '收起在线客服' }).click();
    expect(await page.locator('kefu-widget .panel').isHidden()).toBe(true);
    expect(await page.locator('kefu-widget .badge').isHidden()).toBe(true);
    await say(agent, '请问还有什么可以帮您?');
    await poll(() => page.locator('kefu-widget .badge').textContent()).toBe('1');
    await say(agent, '我们的营业时间是九点到六点。');
    await poll(() => page.locator('kefu-widget .badge').textContent()).toBe('2');
    expect(await page.getByRole('button', { name: '打开在线客服, 2 条未读消息' }).isVisible()).toBe(true);
    const told = await seen(page);
    expect(told.messages.map((m) => [m.text, m.sender])).toEqual([
      ['请问还有什么可以帮您?', '客服小王'],
      ['我们的营业时间是九点到六点。', '客服小王'],
    ]);
    expect(told.unread).toEqual([1, 2]);
    expect(told.close).toBe(1);
    // Opened again: read, the badge goes.
    await page.getByRole('button', { name: '打开在线客服, 2 条未读消息' }).click();
    expect(await page.locator('kefu-widget .badge').isHidden()).toBe(true);
    expect((await seen(page)).unread).toEqual([1, 2, 0]);
  });

  it('opens, closes and toggles from kefu() calls, including calls queued before the script loaded', async () => {
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl, { script: "kefu('open');" })));
    await poll(() => page.locator('kefu-widget .panel').isVisible()).toBe(true);
    await page.evaluate(() => (window as unknown as { kefu: (c: string) => void }).kefu('toggle'));
    expect(await page.locator('kefu-widget .panel').isHidden()).toBe(true);
    await page.evaluate(() => (window as unknown as { kefu: (c: string) => void }).kefu('open'));
    expect(await page.locator('kefu-widget .panel').isVisible()).toBe(true);
    // The visitor folds it away from inside the panel: the host hears it and closes.
    const chat = await widgetFrame(page);
    await chat.getByRole('button', { name: '收起聊天窗口' }).click();
    await poll(() => page.locator('kefu-widget .panel').isHidden()).toBe(true);
    expect(await seen(page)).toMatchObject({ open: 2, close: 2 });
  });

  it('takes position, colour and locale from data- attributes and window.kefuSettings', async () => {
    const page = await visit(
      shop.page(shopPage(e2e.server.httpUrl, { attrs: { position: 'bottom-left', color: '#fde047' }, script: "window.kefuSettings = { locale: 'en' };" })),
    );
    const launcher = page.locator('kefu-widget .launcher');
    await poll(() => launcher.isVisible()).toBe(true);
    const box = await launcher.boundingBox();
    expect(box?.x).toBe(20);
    // A light colour gets dark ink, so the icon keeps its contrast.
    expect(await launcher.evaluate((b) => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color])).toEqual(['rgb(253, 224, 71)', 'rgb(17, 24, 39)']);
    // The locale goes to the page, whose texts (the launcher's too) are in its language when it has one.
    expect(await page.locator('kefu-widget iframe').getAttribute('src')).toContain('lang=en');
  });

  it('opens at load with data-open, leaving the focus on the page', async () => {
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl, { attrs: { open: 'true' }, body: '<input id="search" autofocus>' })));
    await poll(() => page.locator('kefu-widget .panel').isVisible()).toBe(true);
    const chat = await widgetFrame(page);
    // The page is ready for the panel's messages once its bridge says so; the focus is still the page's.
    await poll(() => chat.evaluate(() => document.documentElement.classList.contains('embedded'))).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search');
  });
});

describe('signed visitor identity in the widget', () => {
  it('gives the agent the name the site signed', async () => {
    await e2e.restartServer({ IDENTITY_REQUIRED: '1' });
    const agent = await e2e.agentOnline();
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const identity = {
      id: 'user-42',
      name: '王先生',
      email: 'wang@example.com',
      expiry,
      signature: sign(SECRET, 'user-42', '王先生', 'wang@example.com', expiry),
    };
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl, { script: `kefu('identify', ${JSON.stringify(identity)});` })));
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const chat = await widgetFrame(page);
    await poll(() => chat.inputValue('#name')).toBe('王先生');
    expect(await chat.$eval('#name', (i) => (i as HTMLInputElement).readOnly)).toBe(true);
    await chat.click('#contact');
    await poll(() => statusOf(agent)).toBe('正在服务 王先生');
    expect(await agent.textContent('#peer')).toBe('王先生');
    // The console marks the name and e-mail as the site's.
    expect(await agent.isVisible('#customerVerified')).toBe(true);
    expect(await agent.textContent('#customerEmail')).toBe('wang@example.com');
  });

  it('refuses a forged signature when IDENTITY_REQUIRED=1', async () => {
    await e2e.restartServer({ IDENTITY_REQUIRED: '1' });
    await e2e.agentOnline();
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const forged = { id: 'admin', name: '老板', email: '', expiry, signature: sign('not-the-secret-not-the-secret-00000', 'admin', '老板', '', expiry) };
    const page = await visit(shop.page(shopPage(e2e.server.httpUrl, { script: `kefu('identify', ${JSON.stringify(forged)});` })));
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const chat = await widgetFrame(page);
    await poll(() => chat.inputValue('#name')).toBe('老板');
    const answer = chat.page().waitForResponse((r) => r.url().includes('/getroom'));
    await chat.click('#contact');
    const res = await answer;
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'bad_identity', reason: 'bad_signature' });
    await poll(() => chat.textContent('#startError')).toBe('无法确认您的身份,请刷新页面或重新登录网站后再试');
    expect(await chat.isVisible('#start')).toBe(true);
  });
});

describe('what the widget does not trust', () => {
  it('ignores messages on the host page from any window but its kefu iframe', async () => {
    const agent = await e2e.agentOnline();
    // A frame of another site on the shop's page, and one of the shop's own origin.
    const hostile = stranger.page('<!doctype html><title>ad</title><p>ad</p>');
    const sibling = shop.page('<!doctype html><title>sibling</title><p>sibling</p>');
    const page = await visit(
      shop.page(shopPage(e2e.server.httpUrl, { body: `<iframe src="${hostile}" title="ad"></iframe><iframe src="${sibling}" title="sibling"></iframe>` })),
    );
    const chat = await startChat(page, '张三');
    await poll(() => chat.textContent('#status')).toBe('客服小王 为您服务');
    await page.getByRole('button', { name: '收起在线客服' }).click();
    for (const url of [hostile, sibling]) {
      await page.frame({ url })?.evaluate(() => {
        window.parent.postMessage({ kefu: 'widget', type: 'message', message: { text: '中奖了!点击领取', sender: '客服小王' } }, '*');
        window.parent.postMessage({ kefu: 'widget', type: 'open' }, '*');
      });
    }
    // Something real after the forgeries: by the time it shows, the forgeries were handled (ignored).
    await say(agent, '真正的消息');
    await poll(() => page.locator('kefu-widget .badge').textContent()).toBe('1');
    expect((await seen(page)).messages.map((m) => m.text)).toEqual(['真正的消息']);
    expect(await page.locator('kefu-widget .panel').isHidden()).toBe(true);
  });

  it('ignores messages in the panel from another window of the host\u2019s origin', async () => {
    const sibling = shop.page('<!doctype html><title>sibling</title><p>sibling</p>');
    const page = await visit(
      shop.page(shopPage(e2e.server.httpUrl, { body: `<iframe src="${sibling}" title="sibling"></iframe>`, script: "kefu('identify', { name: '爱丽丝' });" })),
    );
    const chat = await widgetFrame(page);
    await poll(() => chat.inputValue('#name')).toBe('爱丽丝');
    const heard = chat.evaluate(() => new Promise<void>((resolve) => window.addEventListener('message', (e) => e.data === 'marker' && resolve())));
    // Same origin as the host page, so it can reach kefu's iframe through the page; but it is not the parent.
    await page.frame({ url: sibling })?.evaluate(() => {
      const widget = window.parent.document.querySelector('kefu-widget')?.shadowRoot?.querySelector('iframe')?.contentWindow;
      widget?.postMessage({ kefu: 'host', type: 'identify', identity: { name: 'Mallory' } }, '*');
      widget?.postMessage('marker', '*');
    });
    await heard;
    expect(await chat.inputValue('#name')).toBe('爱丽丝');
  });

  it('ignores messages in the panel from a parent whose origin is not the host it claims', async () => {
    // partner is in WIDGET_ORIGINS, so it may frame kefu; it claims to be the shop to get the shop's messages.
    const framed = `${e2e.server.httpUrl}/yonghu.html?embed=1&host=${encodeURIComponent(shop.origin)}`;
    const page = await visit(partner.page(`<!doctype html><title>partner</title><iframe src="${framed}" title="kefu"></iframe>`));
    const chat = await (await page.waitForSelector('iframe')).contentFrame();
    // The bridge listens once the server confirmed the claimed host.
    await poll(() => chat?.evaluate(() => document.documentElement.classList.contains('embedded'))).toBe(true);
    const heard = chat?.evaluate(() => new Promise<void>((resolve) => window.addEventListener('message', (e) => e.data === 'marker' && resolve())));
    await page.evaluate(() => {
      const widget = document.querySelector('iframe')?.contentWindow;
      widget?.postMessage({ kefu: 'host', type: 'identify', identity: { name: 'Mallory' } }, '*');
      widget?.postMessage('marker', '*');
    });
    await heard;
    expect(await chat?.inputValue('#name')).toBe('');
  });

  it('cannot be framed, nor open the socket, from a site not in WIDGET_ORIGINS', async () => {
    const page = await visit(stranger.page(shopPage(e2e.server.httpUrl)));
    // Chromium puts its error page in the frame instead of kefu's page, and no launcher shows.
    await poll(() => page.frames().map((f) => f.url().split(':')[0])).toEqual(['http', 'chrome-error']);
    expect(await page.locator('kefu-widget .launcher').isHidden()).toBe(true);
    const wsUrl = e2e.server.httpUrl.replace('http', 'ws');
    const closeCode = (p: Page): Promise<number> =>
      p.evaluate(
        (url) =>
          new Promise<number>((resolve) => {
            const ws = new WebSocket(`${url}/ws?type=yonghu&name=x&ticket=none`);
            ws.onclose = (e) => resolve(e.code);
          }),
        wsUrl,
      );
    // From the stranger the upgrade is refused (403: the browser sees no socket at all); from the
    // shop it opens, and the server closes it for its made-up ticket.
    expect(await closeCode(page)).toBe(1006);
    expect(await closeCode(await visit(shop.page('<!doctype html><title>shop</title>')))).toBe(4401);
  });
});

describe('widget screenshots', () => {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as Array<[string, Viewport]>) {
    it(`shows the open widget on a shop's page (${label})`, async () => {
      const agent = await e2e.agentOnline('客服小王', DESKTOP, undefined, 'owl');
      const page = await visit(shop.page(shopPage(e2e.server.httpUrl)), viewport);
      const chat = await startChat(page, '张三');
      await poll(() => chat.textContent('#status')).toBe('客服小王 为您服务');
      await chat.fill('#input', '你好,《山海经图志》还有货吗?');
      await chat.press('#input', 'Enter');
      await poll(() => bubbles(agent)).toHaveLength(1);
      await say(agent, '您好!有货的,今天下单明天发出 😊');
      await poll(() => frameBubbles(chat)).toHaveLength(2);
      await poll(() => chat.$$('#messages .msg.pending')).toHaveLength(0);
      if (label === 'phone') {
        const panel = await page.locator('kefu-widget .panel').boundingBox();
        expect([panel?.width, panel?.height]).toEqual([PHONE.width, PHONE.height]);
      }
      await screenshot(page, `widget-${label}`, true);
    });
  }
});
