import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bubbles, DESKTOP, newTrackedPage, say, screenshot, setHidden, statusOf, useE2E, visit, type Viewport } from '../helpers/browser.js';
import { inboxOnline, listRows, openChat, setMaxChats, threadBubbles } from '../helpers/console.js';

const e2e = useE2E();

/** The narrowest phone the console is made for. */
const NARROW: Viewport = { width: 360, height: 740 };

/** Where an element sits, and whether all of it is inside the viewport's width. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  return box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= NARROW.width;
}

/**
 * Records what the page does with the Notification API: each construction, and each permission
 * request (whose answer the browser context decides). Until the page asks, the permission reads
 * "default", as for a site the agent never answered.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const calls = { made: [], asked: 0 };
  let asked = false;
  class Recording extends Real {
    constructor(title, options) {
      calls.made.push({ title, body: options && options.body });
      super(title, options);
    }
    static get permission() { return asked ? Real.permission : 'default'; }
    static requestPermission() { asked = true; calls.asked++; return Real.requestPermission(); }
  }
  window.Notification = Recording;
  window.__notifications = calls;
})()`;

type Recorded = { made: Array<{ title: string; body?: string }>; asked: number };
const recorded = (page: Page): Promise<Recorded> => page.evaluate(() => (window as unknown as { __notifications: Recorded }).__notifications);

describe('the console on any screen', () => {
  it('asks for notifications only on a click, then notifies a new chat and a message in a conversation not in view', async () => {
    const login = await setMaxChats(e2e, '客服小王', 2);
    const tracked = await newTrackedPage(e2e.browser, DESKTOP);
    onTestFinished(() => tracked.context.close());
    await tracked.context.grantPermissions(['notifications'], { origin: e2e.server.httpUrl });
    await tracked.context.addInitScript(RECORD_NOTIFICATIONS);
    const { page: agent } = await visit(tracked, `${e2e.server.httpUrl}/kefu.html`);
    await e2e.signIn(agent, login);
    await expect.poll(() => statusOf(agent)).toBe('等待用户接入');
    expect(await recorded(agent)).toEqual({ made: [], asked: 0 });
    expect(await agent.textContent('#notifyButton')).toBe('开启桌面通知');
    await agent.click('#notifyButton');
    await expect.poll(() => agent.textContent('#notifyButton')).toBe('桌面通知已开启');
    expect((await recorded(agent)).asked).toBe(1);
    expect(await agent.isDisabled('#notifyButton')).toBe(true);
    await e2e.customerIn('张三');
    await expect.poll(async () => (await recorded(agent)).made).toEqual([{ title: '新会话:张三', body: '用户张三已进入会话' }]);
    const li = await e2e.customerIn('李四');
    await expect.poll(async () => (await recorded(agent)).made).toHaveLength(2);
    // 张三 is in view: a message from 李四 is notified, one from 张三 is not.
    await say(li, '请问发票怎么开');
    await expect.poll(async () => (await recorded(agent)).made.at(-1)).toEqual({ title: '李四 发来新消息', body: '请问发票怎么开' });
    expect((await recorded(agent)).made).toHaveLength(3);
    await openChat(agent, '李四');
    await say(li, '在吗');
    await expect.poll(() => threadBubbles(agent)).toEqual(['请问发票怎么开', '在吗']);
    expect((await recorded(agent)).made).toHaveLength(3);
    // With the tab hidden, the conversation in view is not in view either.
    await setHidden(agent, true);
    await say(li, '人呢');
    await expect.poll(async () => (await recorded(agent)).made.at(-1)).toEqual({ title: '李四 发来新消息', body: '人呢' });
    await setHidden(agent, false);
    expect(tracked.errors).toEqual([]);
  });

  it('stacks the list, the thread and the panel at 360 px, with back buttons and every tool reachable', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2, NARROW);
    const noOverflow = () => agent.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    // Waiting: the list shows, with the status switch and going offline.
    expect(await agent.isVisible('#inboxPane')).toBe(true);
    expect(await agent.isVisible('#conversation')).toBe(false);
    for (const control of ['#agentStatus', '#disconnect', '#tab-mine', '#tab-waiting', '#tab-resolved'])
      expect(await onScreen(agent, control), control).toBe(true);
    expect(await noOverflow()).toBe(true);
    // A customer comes: the thread comes up by itself.
    const customer = await e2e.customerIn('张三', NARROW);
    await expect.poll(() => agent.isVisible('#conversation')).toBe(true);
    expect(await agent.isVisible('#inboxPane')).toBe(false);
    for (const control of ['#input', '#send', '#resolve', '#requeue', '#backToList', '#showPanel']) expect(await onScreen(agent, control), control).toBe(true);
    await say(agent, '您好');
    await expect.poll(() => bubbles(customer)).toEqual(['您好']);
    // The panel: the customer and every tool of the old sidebar, transfer included.
    await inboxOnline(e2e, '客服小李', 2);
    await agent.click('#showPanel');
    const transfer = '#agents button[aria-label="把当前用户转接给 客服小李"]';
    await expect.poll(() => onScreen(agent, transfer)).toBe(true);
    expect(await agent.isVisible('#conversation')).toBe(false);
    for (const control of ['#customerName', '#agents', '#teamInput', '#teamSend', '#cannedNew', '#backToThread'])
      expect(await onScreen(agent, control), control).toBe(true);
    expect(await agent.textContent('#customerName')).toBe('张三');
    expect(await noOverflow()).toBe(true);
    await agent.click('#backToThread');
    expect(await agent.isVisible('#conversation')).toBe(true);
    await agent.click('#backToList');
    expect(await agent.isVisible('#inboxPane')).toBe(true);
    expect((await listRows(agent)).map((r) => r[0])).toEqual(['张三']);
    // The bar reaches each view from anywhere.
    await agent.click('#viewNav button[data-view="panel"]');
    expect(await agent.isVisible('#teamInput')).toBe(true);
    await agent.click('#viewNav button[data-view="thread"]');
    expect(await agent.isVisible('#input')).toBe(true);
    expect(await noOverflow()).toBe(true);
  });

  for (const [label, viewport] of [
    ['inbox', DESKTOP],
    ['phone', NARROW],
  ] as Array<[string, Viewport]>) {
    it(`shows the console with several conversations (${label})`, async () => {
      const agent = await inboxOnline(e2e, '客服小王', 3, viewport);
      const zhang = await e2e.customerIn('张三', undefined, 'panda');
      await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
      const li = await e2e.customerIn('李四', undefined, 'fox');
      await e2e.customerIn('王五');
      await expect.poll(() => listRows(agent)).toHaveLength(3);
      await say(zhang, '你好,我昨天下的订单还没有发货,能帮我查一下吗?');
      await say(agent, '您好!已经查到了,您的订单今天上午已经出库 😊');
      await say(zhang, '太好了,谢谢!');
      await say(li, '请问可以开发票吗?');
      await expect.poll(() => threadBubbles(agent)).toHaveLength(3);
      await expect.poll(() => listRows(agent)).toContainEqual(['李四', '请问可以开发票吗?', '2']);
      await expect.poll(() => agent.$$('#messages .msg.pending')).toHaveLength(0);
      const files = [await screenshot(agent, `console-${label}`, true)];
      if (viewport === NARROW) {
        await agent.click('#backToList');
        files.push(await screenshot(agent, 'console-phone-list', true));
      }
      for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(10_000);
    });
  }
});
