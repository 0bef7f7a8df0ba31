import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, PHONE, say, statusOf, useE2E, type Viewport } from '../helpers/browser.js';
import { inboxOnline, openChat } from '../helpers/console.js';
import { smallTargets } from '../helpers/targets.js';

const e2e = useE2E();

describe('target size (WCAG 2.5.8)', () => {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as Array<[string, Viewport]>) {
    it(`makes every visible control of the customer page and the console at least 24 x 24 px (${label})`, async () => {
      const found: string[] = [];
      const look = async (state: string, page: Page) => {
        for (const t of await smallTargets(page)) found.push(`${state}: ${t.path} "${t.name}" ${t.size}`);
      };
      /** On a phone the console shows one view at a time: back to the list first. */
      const toList = async (page: Page) => {
        if (await page.isVisible('#backToList')) await page.click('#backToList');
      };

      const { page: signIn } = await e2e.open('/kefu.html', viewport);
      await signIn.waitForSelector('#signIn:not([hidden])');
      await look('console sign-in', signIn);
      const { page: start } = await e2e.open('/yonghu.html', viewport);
      await start.waitForSelector('#avatarChoices input');
      await look('customer start form', start);
      // Nobody online: the customer may leave a message instead.
      const alone = await e2e.customerIn('赵六', viewport);
      await alone.waitForSelector('#offlineOpen:not([hidden])');
      await look('customer waiting, nobody online', alone);
      await alone.click('#offlineOpen');
      await alone.waitForSelector('#offlineForm:not([hidden])');
      await look('customer message form', alone);
      await alone.click('#offlineCancel');
      await alone.click('#leave');

      await e2e.accountFor('客服小王', undefined, 'owner');
      const agent = await inboxOnline(e2e, '客服小王', 2, viewport, 'owner');
      await look('console waiting', agent);
      const zhang = await e2e.customerIn('张三', viewport);
      await expect.poll(() => statusOf(zhang)).toContain('为您服务');
      const li = await e2e.customerIn('李四', viewport);
      await expect.poll(() => statusOf(li)).toContain('为您服务');
      await say(zhang, '你好,订单 https://shop.example.com/o/1 还没有发货');
      await expect.poll(() => bubbles(zhang)).toHaveLength(1);
      await look('customer chatting', zhang);
      await zhang.click('#emojiButton');
      await look('customer emoji panel', zhang);
      await zhang.keyboard.press('Escape');
      const queued = await e2e.customerIn('王五', viewport);
      await expect.poll(() => statusOf(queued)).toContain('排队中');
      await look('customer queued', queued);

      await expect.poll(() => agent.$$('#conversationList .conv')).toHaveLength(2);
      await toList(agent);
      await look('console list', agent);
      await openChat(agent, '张三');
      await look('console thread', agent);
      await agent.click('#emojiButton');
      await look('console emoji panel', agent);
      await agent.keyboard.press('Escape');
      await agent.fill('#input', '/');
      await look('console canned menu', agent);
      await agent.fill('#input', '');
      for (const tab of ['#tab-waiting', '#tab-all', '#tab-resolved', '#tab-mine']) {
        await toList(agent);
        await agent.click(tab);
        await look(`console ${tab}`, agent);
      }
      await toList(agent);
      await openChat(agent, '张三');
      if (await agent.isVisible('#showPanel')) await agent.click('#showPanel');
      await look('console panel', agent);
      await agent.click('#cannedNew');
      await look('console canned form', agent);
      await agent.click('#cannedCancel');
      if (await agent.isVisible('#backToThread')) await agent.click('#backToThread');
      await agent.click('#resolve');
      await look('console resolve dialog', agent);
      await agent.click('#resolveConfirm');
      await expect.poll(() => zhang.isVisible('#rating')).toBe(true);
      await look('customer rating form', zhang);
      await zhang.click('label[for="star4"]');
      await zhang.click('#ratingSubmit');
      await expect.poll(() => zhang.isVisible('#ended')).toBe(true);
      await look('customer ended', zhang);

      expect(found).toEqual([]);
    }, 90_000);
  }
});
