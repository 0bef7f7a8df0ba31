import { describe, expect, it } from 'vitest';
import { bubbles, notices, say, statusOf, useE2E } from '../helpers/browser.js';
import { inboxOnline, listRows, openChat, threadBubbles, threadNotices } from '../helpers/console.js';

const e2e = useE2E();

describe('the console inbox', () => {
  it('lists two customers with unread badges, counts them in the title, and sends each message to its own conversation', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 3);
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    // 张三 came first and is in view; 李四's new chat is unread.
    await expect
      .poll(() => listRows(agent))
      .toEqual([
        ['李四', '用户李四已进入会话', '1'],
        ['张三', '用户张三已进入会话', ''],
      ]);
    await say(li, '我的快递到哪了');
    await say(li, '单号 SF123');
    await expect
      .poll(() => listRows(agent))
      .toEqual([
        ['李四', '单号 SF123', '3'],
        ['张三', '用户张三已进入会话', ''],
      ]);
    expect(await agent.textContent('#count-mine')).toBe('3');
    expect(await agent.title()).toBe('(3) 客服工作台');
    expect(await threadBubbles(agent)).toEqual([]);
    await openChat(agent, '李四');
    expect(await threadBubbles(agent)).toEqual(['我的快递到哪了', '单号 SF123']);
    await expect.poll(() => agent.title()).toBe('客服工作台');
    expect((await listRows(agent)).map((r) => r[2])).toEqual(['', '']);
    expect(await agent.isHidden('#count-mine')).toBe(true);
    // The reply goes to 李四's conversation only (the frame names it).
    await say(agent, '已为您查询,明天送达');
    await expect.poll(() => bubbles(li)).toEqual(['我的快递到哪了', '单号 SF123', '已为您查询,明天送达']);
    await say(zhang, '还有我');
    await expect
      .poll(() => listRows(agent))
      .toEqual([
        ['张三', '还有我', '1'],
        ['李四', '已为您查询,明天送达', ''],
      ]);
    expect(await bubbles(zhang)).toEqual(['还有我']);
    expect(await agent.$$('#messages .msg.pending')).toHaveLength(0);
  });

  it('keeps each conversation’s draft and scroll position when switching between them', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2, { width: 1280, height: 600 });
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    const tall = Array.from({ length: 12 }, (_, i) => `第 ${i + 1} 行`).join('\n');
    for (let i = 0; i < 3; i++) await say(zhang, tall);
    await expect.poll(() => threadBubbles(agent)).toHaveLength(3);
    await agent.$eval('#messages', (m) => {
      m.scrollTop = 40;
    });
    await agent.fill('#input', '给张三的草稿');
    await openChat(agent, '李四');
    expect(await agent.inputValue('#input')).toBe('');
    await agent.fill('#input', '给李四的草稿');
    await openChat(agent, '张三');
    expect(await agent.inputValue('#input')).toBe('给张三的草稿');
    expect(await agent.$eval('#messages', (m) => m.scrollTop)).toBe(40);
    await openChat(agent, '李四');
    expect(await agent.inputValue('#input')).toBe('给李四的草稿');
    // Typing and sending go to the conversation in view.
    // With two conversations a typing frame must name one (else the server refuses it). The server
    // relays one a second per connection (the draft above sent one to 张三): type until one goes through.
    await expect
      .poll(
        async () => {
          await agent.type('#input', '!');
          return li.textContent('#typing');
        },
        { timeout: 6_000, interval: 500 },
      )
      .toBe('客服小王 正在输入…');
    await agent.fill('#input', '给李四的草稿');
    await agent.press('#input', 'Enter');
    await expect.poll(() => bubbles(li)).toEqual(['给李四的草稿']);
    expect(await bubbles(zhang)).toEqual([tall, tall, tall]);
  });

  it('keeps a conversation’s failed message and its retry across a switch, and the retry goes to that conversation', async () => {
    await e2e.restartServer({ RATE_BURST: '1', RATE_PER_SEC: '1' });
    const agent = await inboxOnline(e2e, '客服小王', 2);
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    const failed = () => agent.$$('#messages .thread:not([hidden]) .msg.failed');
    await say(agent, '一');
    await say(agent, '二');
    await expect.poll(failed).toHaveLength(1);
    await openChat(agent, '李四');
    expect(await failed()).toHaveLength(0);
    await openChat(agent, '张三');
    expect(await failed()).toHaveLength(1);
    // Resending goes through once the bucket has refilled (1 per second here), to 张三 only.
    await expect
      .poll(
        async () => {
          const retry = await agent.$('#messages .thread:not([hidden]) .msg.failed button');
          if (retry) await retry.click();
          return bubbles(zhang);
        },
        { timeout: 6_000, interval: 400 },
      )
      .toEqual(['一', '二']);
    await expect.poll(() => agent.$$('#messages .msg.failed, #messages .msg.pending')).toHaveLength(0);
    expect(await bubbles(li)).toEqual([]);
  });

  it('comes back from a reload with every conversation, its history read and nothing counted unread', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2);
    const zhang = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    const li = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(li)).toBe('客服小王 为您服务');
    await say(zhang, '张三的问题');
    await say(li, '李四的问题');
    await openChat(agent, '李四');
    await expect.poll(() => agent.title()).toBe('客服工作台');
    await agent.reload();
    await expect.poll(async () => (await listRows(agent)).map((r) => r[0]).sort()).toEqual(['张三', '李四']);
    await expect.poll(() => threadBubbles(agent)).toHaveLength(1);
    expect((await listRows(agent)).map((r) => r[2])).toEqual(['', '']);
    expect(await agent.title()).toBe('客服工作台');
    for (const [name, text] of [
      ['张三', '张三的问题'],
      ['李四', '李四的问题'],
    ] as const) {
      await openChat(agent, name);
      expect(await threadBubbles(agent)).toEqual([text]);
    }
    await say(agent, '收到');
    await expect.poll(() => bubbles(li)).toEqual(['李四的问题', '收到']);
    // After the reload a new message still counts.
    await say(zhang, '还在吗');
    await expect.poll(() => listRows(agent)).toContainEqual(['张三', '还在吗', '1']);
  });

  it('resolves a conversation only after a confirmation; the customer sees the end and the agent stays online', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2);
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await say(customer, '好的,谢谢');
    await expect.poll(() => threadBubbles(agent)).toEqual(['好的,谢谢']);
    await agent.click('#resolve');
    expect(await agent.isVisible('#resolveDialog')).toBe(true);
    expect(await agent.textContent('#resolveDialogTitle')).toBe('结束与 张三 的会话?');
    // The safe answer has the focus, and Escape cancels.
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('resolveCancel');
    await agent.keyboard.press('Escape');
    expect(await agent.isVisible('#resolveDialog')).toBe(false);
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('resolve');
    await say(agent, '还有别的问题吗?');
    await expect.poll(() => bubbles(customer)).toEqual(['好的,谢谢', '还有别的问题吗?']);
    await agent.click('#resolve');
    await agent.click('#resolveConfirm');
    await expect.poll(() => customer.isVisible('#ended')).toBe(true);
    expect(await notices(customer)).toContain('客服客服小王结束了会话');
    await expect.poll(() => threadNotices(agent)).toContain('与用户张三的会话已结束');
    expect(await agent.isDisabled('#input')).toBe(true);
    expect(await agent.isHidden('#resolve')).toBe(true);
    expect(await statusOf(agent)).toBe('等待用户接入');
    // Still online: the next customer is placed with this agent.
    const next = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(next)).toBe('客服小王 为您服务');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 李四');
    expect((await listRows(agent)).map((r) => r[0])).toEqual(['李四']);
    await agent.click('#tab-resolved');
    await expect.poll(() => listRows(agent)).toEqual([['张三', '2 条消息', '']]);
    const link = await agent.getAttribute('#conversationList a.conv-open', 'href');
    expect(link).toMatch(/^history\.html#c=[\w-]+$/);
  });

  it('takes no new customer while away, shows them waiting, and places them once online again', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 3);
    await agent.selectOption('#agentStatus', 'away');
    await expect.poll(() => statusOf(agent)).toBe('离开中,不接新会话');
    expect(await threadNotices(agent)).toContain('状态:离开');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await expect.poll(() => agent.textContent('#count-waiting')).toBe('1');
    await agent.click('#tab-waiting');
    await expect.poll(() => listRows(agent)).toEqual([['张三', '排在第 1 位', '']]);
    expect(await agent.textContent('#meStatus')).toBe('离开');
    await agent.selectOption('#agentStatus', 'online');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await expect.poll(() => listRows(agent)).toEqual([]);
    await agent.click('#tab-mine');
    expect((await listRows(agent)).map((r) => r[0])).toEqual(['张三']);
  });

  it('shows each agent’s status and load in the team list', async () => {
    const wang = await inboxOnline(e2e, '客服小王', 3);
    const li = await inboxOnline(e2e, '客服小李', 2);
    await li.selectOption('#agentStatus', 'away');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    const team = () =>
      wang.$$eval('#agents li', (ls) =>
        ls.map((l) => [l.querySelector('.agent-name')?.textContent, l.querySelector('.agent-state')?.textContent, l.querySelector('.agent-load')?.textContent]),
      );
    await expect.poll(team).toEqual([
      ['客服小王 (我)', '空闲', '接待 1/3'],
      ['客服小李', '离开', '接待 0/2'],
    ]);
  });

  it('lists every open conversation for an admin, each opening read-only when it is not theirs', async () => {
    const admin = await inboxOnline(e2e, '客服主管', 2, undefined, 'admin');
    await admin.selectOption('#agentStatus', 'away');
    await expect.poll(() => statusOf(admin)).toBe('离开中,不接新会话');
    await inboxOnline(e2e, '客服小李', 2);
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小李 为您服务');
    await admin.click('#tab-all');
    await expect.poll(() => listRows(admin)).toEqual([['张三', '客服小李 接待中', '']]);
    expect(await admin.getAttribute('#conversationList a.conv-open', 'href')).toMatch(/^history\.html#c=[\w-]+$/);
    // Presence changes when the next customer is placed: the list asks again.
    const next = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(next)).toBe('客服小李 为您服务');
    await expect.poll(async () => (await listRows(admin)).map((r) => r[0]).sort()).toEqual(['张三', '李四']);
    // An agent has no such tab.
    const agent = await inboxOnline(e2e, '客服小王', 1);
    expect(await agent.isHidden('#tab-all')).toBe(true);
  });

  it('shows the previous conversations of the same visitor in the customer panel', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2);
    const first = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await say(first, '第一次咨询');
    await expect.poll(() => threadBubbles(agent)).toEqual(['第一次咨询']);
    await first.click('#leave');
    await expect.poll(() => statusOf(agent)).toBe('等待用户接入');
    // The same browser (its visitor id in localStorage) comes again.
    await first.click('#again');
    await first.click('#contact');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await expect.poll(() => agent.$$eval('#previousList a', (as) => as.map((a) => a.getAttribute('href')))).toHaveLength(1);
    expect(await agent.textContent('#previousList a')).toMatch(/· 客服小王 · 1 条消息$/);
    expect(await agent.getAttribute('#previousList a', 'href')).toMatch(/^history\.html#c=[\w-]+$/);
  });
});
