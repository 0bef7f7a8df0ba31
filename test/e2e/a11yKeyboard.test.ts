import { describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../helpers/accounts.js';
import { bubbles, PHONE, statusOf, useE2E } from '../helpers/browser.js';
import { inboxOnline, setMaxChats, threadBubbles } from '../helpers/console.js';
import { focusStop, tabTo, unseen, type FocusStop } from '../helpers/keyboard.js';

const e2e = useE2E();

const focused = (page: import('playwright-core').Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('the console and the customer page by keyboard alone', () => {
  it('lets an agent sign in, switch conversations, reply and resolve with the keyboard only', async () => {
    const login = await setMaxChats(e2e, '客服小王', 2);
    const { page: agent } = await e2e.open('/kefu.html');
    await agent.waitForSelector('#signIn:not([hidden])');
    const stops: FocusStop[] = [];
    stops.push(...(await tabTo(agent, '#login')));
    await agent.keyboard.type(login);
    stops.push(...(await tabTo(agent, '#password')));
    await agent.keyboard.type(TEST_PASSWORD);
    await agent.keyboard.press('Enter');
    await expect.poll(() => statusOf(agent)).toBe('等待用户接入');

    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    await zhang.fill('#input', '在吗');
    await zhang.press('#input', 'Enter');
    await li.fill('#input', '我的快递到哪了');
    await li.press('#input', 'Enter');
    await expect.poll(() => agent.$$('#conversationList .unread')).toHaveLength(1);

    // The tabs are one stop: arrows, Home and End move between them.
    stops.push(...(await tabTo(agent, '#tab-mine')));
    await agent.keyboard.press('ArrowRight');
    expect(await focused(agent)).toBe('tab-waiting');
    expect(await agent.getAttribute('#tab-waiting', 'aria-selected')).toBe('true');
    await agent.keyboard.press('End');
    expect(await focused(agent)).toBe('tab-resolved');
    await agent.keyboard.press('Home');
    expect(await focused(agent)).toBe('tab-mine');
    // To 李四's row in the list, and into his conversation: the composer has the focus.
    stops.push(...(await tabTo(agent, '#conversationList button[aria-label="打开与 李四 的会话"]')));
    // The list is drawn again as a message comes in: the row keeps the focus.
    await li.fill('#input', '单号 SF123');
    await li.press('#input', 'Enter');
    await expect.poll(() => agent.textContent('#conversationList .conv:first-child .unread')).toBe('3');
    expect(await agent.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('打开与 李四 的会话');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.textContent('#peer')).toBe('李四');
    expect(await focused(agent)).toBe('input');
    expect(await threadBubbles(agent)).toEqual(['我的快递到哪了', '单号 SF123']);
    await agent.keyboard.type('明天送达');
    await agent.keyboard.press('Enter');
    await expect.poll(() => bubbles(li)).toEqual(['我的快递到哪了', '单号 SF123', '明天送达']);

    // Resolve: back up to the button, the dialog holds the focus, Escape cancels and gives it back.
    stops.push(...(await tabTo(agent, '#resolve', true)));
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.isVisible('#resolveDialog')).toBe(true);
    expect(await focused(agent)).toBe('resolveCancel');
    const inDialog: string[] = [];
    for (let i = 0; i < 4; i++) {
      await agent.keyboard.press('Tab');
      inDialog.push(await agent.evaluate(() => (document.activeElement?.closest('dialog') ? (document.activeElement?.id ?? '') : 'outside')));
    }
    expect(inDialog).not.toContain('outside');
    await agent.keyboard.press('Escape');
    await expect.poll(() => agent.isHidden('#resolveDialog')).toBe(true);
    expect(await focused(agent)).toBe('resolve');
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.isVisible('#resolveDialog')).toBe(true);
    stops.push(...(await tabTo(agent, '#resolveConfirm')));
    await agent.keyboard.press('Enter');
    await expect.poll(() => statusOf(li)).toBe('会话已结束');
    await expect.poll(() => agent.textContent('#peerState')).toBe('已结束');
    // The button that had the focus is gone with the conversation: the focus is somewhere that still shows.
    const after = await focusStop(agent);
    expect(after.at).not.toBe('body');
    expect(await agent.evaluate(() => document.activeElement?.checkVisibility() ?? false)).toBe(true);

    // And on to 张三's conversation, still by keyboard.
    stops.push(...(await tabTo(agent, '#conversationList button[aria-label="打开与 张三 的会话"]')));
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.textContent('#peer')).toBe('张三');
    await agent.keyboard.type('您好');
    await agent.keyboard.press('Enter');
    await expect.poll(() => bubbles(zhang)).toEqual(['在吗', '您好']);
    expect(unseen(stops)).toEqual([]);
  });

  it('lets a customer start a chat and send a message with the keyboard only', async () => {
    await e2e.agentOnline('客服小王');
    const { page: customer } = await e2e.open('/yonghu.html');
    await customer.waitForSelector('#avatarChoices input');
    const stops: FocusStop[] = [];
    stops.push(...(await tabTo(customer, '#name')));
    await customer.keyboard.type('张三');
    // The avatar picker is one stop; arrows choose within it.
    stops.push(...(await tabTo(customer, '#avatarChoices input')));
    await customer.keyboard.press('ArrowRight');
    stops.push(...(await tabTo(customer, '#contact')));
    await customer.keyboard.press('Enter');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    if ((await focused(customer)) !== 'input') stops.push(...(await tabTo(customer, '#input')));
    // The emoji panel: opened from its button, Escape closes it and gives the focus back.
    stops.push(...(await tabTo(customer, '#emojiButton', true)));
    await customer.keyboard.press('Enter');
    expect(await customer.isVisible('#emojiPanel')).toBe(true);
    expect(await customer.evaluate(() => document.activeElement?.closest('#emojiPanel') !== null)).toBe(true);
    await customer.keyboard.press('Escape');
    expect(await customer.isHidden('#emojiPanel')).toBe(true);
    expect(await focused(customer)).toBe('emojiButton');
    stops.push(...(await tabTo(customer, '#input')));
    await customer.keyboard.type('你好,我想退货');
    await customer.keyboard.press('Enter');
    await expect.poll(() => bubbles(customer)).toEqual(['你好,我想退货']);
    expect(await customer.$$('#messages .msg.pending')).toHaveLength(0);
    expect(unseen(stops)).toEqual([]);
  });

  it('lets an agent on a phone go from the list to a conversation and back with the keyboard only', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2, PHONE);
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    // The first chat came up by itself: back to the list, whose tab takes the focus.
    const stops: FocusStop[] = [];
    stops.push(...(await tabTo(agent, '#backToList')));
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.getAttribute('#chat', 'data-view')).toBe('list');
    expect(await focused(agent)).toBe('tab-mine');
    stops.push(...(await tabTo(agent, '#conversationList button[aria-label="打开与 李四 的会话"]')));
    await agent.keyboard.press('Enter');
    await expect.poll(() => agent.getAttribute('#chat', 'data-view')).toBe('thread');
    await expect.poll(() => agent.textContent('#peer')).toBe('李四');
    stops.push(...(await tabTo(agent, '#input')));
    await agent.keyboard.type('您好');
    await agent.keyboard.press('Enter');
    await expect.poll(() => bubbles(li)).toEqual(['您好']);
    expect(await bubbles(zhang)).toEqual([]);
    expect(unseen(stops)).toEqual([]);
  });
});
