import { describe, expect, it } from 'vitest';
import { bubbles, notices, say, statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();

/** Cuts every customer socket from the server side, as a network drop would. */
function dropCustomers(): void {
  const gateway = e2e.server.gateway as unknown as { router: { all(): Iterable<{ role: string; ws: { terminate(): void } }> } };
  for (const c of [...gateway.router.all()]) if (c.role === 'yonghu') c.ws.terminate();
}

describe('a conversation in the browser', () => {
  it('places a customer with the agent and carries messages both ways', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    expect(await customer.textContent('#peer')).toBe('客服小王');
    expect(await agent.textContent('#peer')).toBe('张三');
    expect(await agent.textContent('#customerName')).toBe('张三');
    expect(await notices(customer)).toContain('客服客服小王将为您服务');
    expect(await notices(agent)).toContain('用户张三已进入会话');
    await say(customer, '你好,我的订单没有收到 📦');
    await expect.poll(() => bubbles(agent)).toEqual(['你好,我的订单没有收到 📦']);
    await say(agent, '您好!请提供订单号,我马上为您查询。');
    await expect.poll(() => bubbles(customer)).toEqual(['你好,我的订单没有收到 📦', '您好!请提供订单号,我马上为您查询。']);
    // Own messages sit on the right, the peer's on the left, each with a time.
    expect(await customer.$eval('#messages .msg.own .bubble', (e) => e.textContent)).toBe('你好,我的订单没有收到 📦');
    expect(await agent.$eval('#messages .msg.peer .bubble', (e) => e.textContent)).toBe('你好,我的订单没有收到 📦');
    expect(await agent.$eval('#messages .msg.peer time', (e) => e.textContent)).toMatch(/^\d\d:\d\d$/);
    // Acked: nothing is left marked as sending.
    await expect.poll(() => customer.$$('#messages .msg.pending')).toHaveLength(0);
  });

  it('sends on Enter and makes a newline on Shift+Enter', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await customer.fill('#input', '第一行');
    await customer.press('#input', 'Shift+Enter');
    await customer.press('#input', 'End');
    await customer.keyboard.type('第二行');
    await customer.press('#input', 'Enter');
    await expect.poll(() => bubbles(agent)).toEqual(['第一行\n第二行']);
    expect(await customer.inputValue('#input')).toBe('');
  });

  it('inserts an emoji from the palette at the caret', async () => {
    await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await customer.fill('#input', '谢谢');
    await customer.click('#emojiButton');
    expect(await customer.getAttribute('#emojiButton', 'aria-expanded')).toBe('true');
    await customer.click('#emojiPanel button[aria-label="👍"]');
    expect(await customer.inputValue('#input')).toBe('谢谢👍');
    expect(await customer.isHidden('#emojiPanel')).toBe(true);
  });

  it('tells the agent the customer left and offers the room to the next one', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await customer.click('#leave');
    await expect.poll(() => notices(agent)).toContain('用户张三已离开');
    await expect.poll(() => statusOf(agent)).toBe('等待用户接入');
    expect(await agent.isDisabled('#input')).toBe(true);
    expect(await customer.isVisible('#ended')).toBe(true);
    const next = await e2e.customerIn('李四');
    await expect.poll(() => statusOf(next)).toBe('客服小王 为您服务');
    await expect.poll(() => statusOf(agent)).toBe('正在服务 李四');
    // The new conversation starts clean.
    expect(await bubbles(agent)).toEqual([]);
  });

  it('ends the customer page when the agent leaves, obeying the close command', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await agent.click('#disconnect');
    await expect.poll(() => notices(customer)).toContain('客服客服小王已离开');
    await expect.poll(() => customer.isVisible('#ended')).toBe(true);
    expect(await statusOf(customer)).toBe('会话已结束');
    expect(await customer.isHidden('#composer')).toBe(true);
    expect(await customer.isDisabled('#input')).toBe(true);
    expect(await statusOf(agent)).toBe('未连接');
    // Starting over leads back to the name field.
    await customer.click('#again');
    expect(await customer.isVisible('#start')).toBe(true);
    expect(await customer.inputValue('#name')).toBe('张三');
  });

  it('queues a customer while no agent is free and places them when one comes', async () => {
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    expect(await customer.isVisible('#queueCard')).toBe(true);
    // The composer stays while queued: the FAQ bot answers meanwhile.
    expect(await customer.isVisible('#composer')).toBe(true);
    expect(await customer.isEnabled('#input')).toBe(true);
    expect(await customer.textContent('#leave')).toBe('取消排队');
    const agent = await e2e.agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    expect(await customer.isHidden('#queueCard')).toBe(true);
    expect(await customer.isEnabled('#input')).toBe(true);
    expect(await notices(agent)).toContain('用户张三已进入会话');
  });

  it('brings a dropped customer back by itself and delivers what they missed', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await say(customer, '第一条');
    await expect.poll(() => bubbles(agent)).toEqual(['第一条']);
    dropCustomers();
    await expect.poll(() => notices(agent)).toContain('用户张三暂时离开');
    expect(await statusOf(agent)).toBe('对方暂时离开,正在等待重新连接');
    await say(agent, '您还在吗?');
    await expect.poll(() => bubbles(customer), { timeout: 10_000 }).toEqual(['第一条', '您还在吗?']);
    await expect.poll(() => notices(agent)).toContain('用户张三已回来');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
  });

  it('keeps the conversation across a reload of the customer page', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await say(customer, '刷新之前');
    await say(agent, '收到');
    await expect.poll(() => bubbles(customer)).toEqual(['刷新之前', '收到']);
    await customer.reload();
    await expect.poll(() => bubbles(customer)).toEqual(['刷新之前', '收到']);
    await say(customer, '刷新之后');
    await expect.poll(() => bubbles(agent)).toEqual(['刷新之前', '收到', '刷新之后']);
  });

  it('brings a reloaded agent console back into the conversation with its history', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await say(customer, '在吗');
    await say(agent, '在的');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的']);
    const since = await agent.textContent('#customerSince');
    await agent.reload();
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的']);
    expect(await agent.textContent('#customerSince')).toBe(since);
    await expect.poll(() => notices(customer)).toContain('客服客服小王已回来');
    await say(customer, '好的');
    await expect.poll(() => bubbles(agent)).toEqual(['在吗', '在的', '好的']);
  });
});
