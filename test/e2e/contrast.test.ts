import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, say, statusOf, useE2E, type Viewport } from '../helpers/browser.js';
import { audit, describeOffences } from '../helpers/contrast.js';

const e2e = useE2E();

/** The narrowest phone WCAG's reflow criterion speaks of. */
const NARROW: Viewport = { width: 360, height: 740 };

/**
 * WCAG 2.1 AA in every page's usual states: text contrast (4.5:1, 3:1 when large), and targets
 * of at least 24 px. Each state is audited as a person sees it; the failure lists every element.
 */
describe('the audit', () => {
  it('flags faint text, faint text on a gradient, a faint glyph and crowded small targets, and passes what AA allows', async () => {
    // A blank page: the server's pages forbid inline styles, which this fixture is made of.
    const { page } = await e2e.open('/yonghu.html');
    await page.goto('about:blank');
    await page.setContent(`
      <body style="margin:0;background:#fff;font:15px sans-serif">
        <p id="faint" style="color:#9ca3af">faint</p>
        <p id="fine" style="color:#555d6b">fine</p>
        <p id="onGradient" style="color:#fff;background:linear-gradient(90deg,#2563eb,#7dd3fc)">white on a light end</p>
        <p id="bigStar" style="color:#d6dae3;font-size:30px">★</p>
        <p id="bigFine" style="color:#8b93a1;font-size:30px">★</p>
        <p id="faded" style="color:#1f2937;opacity:.3">faded</p>
        <p>Read <a id="inline" href="#x">this</a> first.</p>
        <div><button id="tinyA" style="width:16px;height:16px;padding:0">a</button><button id="tinyB" style="width:16px;height:16px;padding:0">b</button></div>
        <div style="margin:40px 0"><button id="alone" style="width:16px;height:16px;padding:0">c</button></div>
        <style>#hint::placeholder { color: #c0c4cc; }</style>
        <input id="hint" placeholder="hint" style="font-size:15px">
        <button disabled style="opacity:.45">off</button>
      </body>`);
    const found = await audit(page);
    const flagged = found.map((o) => `${o.what} ${o.path}`);
    expect(flagged).toEqual(['text #faint', 'text #onGradient', 'text #bigStar', 'text #faded', 'placeholder #hint', 'target #tinyA', 'target #tinyB']);
  });
});

describe('contrast and target size', () => {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['360 px', NARROW],
  ] as Array<[string, Viewport]>) {
    it(`meet AA on the customer page, the console and the history page (${label})`, async () => {
      const found: string[] = [];
      const look = async (state: string, page: Page) => {
        for (const line of describeOffences(await audit(page))) found.push(`${state}: ${line}`);
      };

      const { page: signIn } = await e2e.open('/kefu.html', viewport);
      await signIn.waitForSelector('#signIn:not([hidden])');
      await look('console sign-in', signIn);
      const { page: start } = await e2e.open('/yonghu.html', viewport);
      await start.waitForSelector('#contact');
      await look('customer start form', start);

      // An owner, so the admin page opens for them at the end.
      await e2e.accountFor('客服小王', undefined, 'owner');
      const agent = await e2e.agentOnline('客服小王', viewport);
      await look('console waiting', agent);
      const customer = await e2e.customerIn('张三', viewport);
      await expect.poll(() => statusOf(customer)).toContain('为您服务');
      for (const [i, [page, text]] of [
        // Links in both kinds of bubble: they must read on the peer's white and the own gradient.
        [customer, '你好,我的订单 https://shop.example.com/o/1 还没有发货'],
        [agent, '您好!已经查到了,今天出库:https://shop.example.com/track'],
        [customer, '谢谢'],
      ].entries() as IterableIterator<[number, [Page, string]]>) {
        await say(page, text);
        await expect.poll(() => bubbles(agent)).toHaveLength(i + 1);
        await expect.poll(() => bubbles(customer)).toHaveLength(i + 1);
      }
      await expect.poll(() => customer.$$('#messages .msg.pending')).toHaveLength(0);
      await look('customer chatting', customer);
      // A second customer waits while the only seat is taken.
      const queued = await e2e.customerIn('李四', viewport);
      await expect.poll(() => statusOf(queued)).toContain('排队中');
      await look('customer queued', queued);
      await look('console serving', agent);
      // On a phone the console shows one view at a time: the panel, then back to the list
      // where going offline is.
      if (await agent.isVisible('#showPanel')) {
        await agent.click('#showPanel');
        await look('console panel', agent);
        await agent.click('#backToThread');
        await agent.click('#backToList');
      }

      await agent.click('#disconnect');
      await expect.poll(() => customer.isVisible('#rating')).toBe(true);
      await look('customer rating form', customer);
      await customer.click('label[for="star3"]');
      await look('customer rating form, three stars', customer);

      await agent.goto(`${e2e.server.httpUrl}/history.html`);
      await agent.waitForSelector('#results .result');
      await look('history results', agent);
      await agent.click('#results .result');
      await agent.waitForSelector('.transcript .line');
      await look('history transcript', agent);
      await agent.goto(`${e2e.server.httpUrl}/profile.html`);
      await agent.waitForSelector('.section h2');
      await look('profile', agent);
      await agent.goto(`${e2e.server.httpUrl}/admin.html`);
      await agent.waitForSelector('#accounts tr');
      await look('admin', agent);

      expect(found).toEqual([]);
    }, 60_000);

    it(`meet AA when the queue is full, in the message form and in the console's messages (${label})`, async () => {
      const found: string[] = [];
      const look = async (state: string, page: Page) => {
        for (const line of describeOffences(await audit(page))) found.push(`${state}: ${line}`);
      };
      await e2e.restartServer({ QUEUE_MAX: '1' });
      const first = await e2e.customerIn('张三', viewport);
      await expect.poll(() => statusOf(first)).toBe('排队中,第 1 位');
      const second = await e2e.customerIn('李四', viewport);
      await expect.poll(() => second.textContent('#startError')).toBe('排队人数已满,请稍后再试');
      await look('customer, queue full', second);
      await second.click('#startOffline');
      await second.waitForSelector('#offlineForm');
      await look('customer message form', second);
      await second.fill('#offlineContact', '13800138000');
      await second.fill('#offlineText', '排不上队,请回电');
      await second.click('#offlineSend');
      await expect.poll(() => second.isVisible('#ended')).toBe(true);
      await look('customer message sent', second);
      const agent = await e2e.agentOnline('客服小王', viewport, '正在服务 张三');
      if (await agent.isVisible('#showPanel')) await agent.click('#showPanel');
      await agent.waitForSelector('#offlineList .offline-item');
      await look('console with a message', agent);
      expect(found).toEqual([]);
    }, 60_000);
  }
});
