import { describe, expect, it } from 'vitest';
import { bubbles, notices, say, statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();

const XSS = '<img src=x onerror=window.__pwned=1><script>window.__pwned=1</script>';

describe('the team side of the agent console', () => {
  it('shows the customer typing to the agent', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await customer.type('#input', '我想问一下');
    await expect.poll(() => agent.textContent('#typing')).toBe('张三 正在输入…');
    expect(await agent.isVisible('#typing')).toBe(true);
    await customer.press('#input', 'Enter');
    await expect.poll(() => bubbles(agent)).toEqual(['我想问一下']);
    expect(await agent.isHidden('#typing')).toBe(true);
  });

  it('lists online agents with their state and the queue, and carries team messages and private notes', async () => {
    const wang = await e2e.agentOnline('客服小王');
    const li = await e2e.agentOnline('客服小李');
    await expect.poll(() => wang.textContent('#onlineCount')).toBe('2 人在线');
    await expect
      .poll(() =>
        wang.$$eval('#agents li', (ls) => ls.map((l) => `${l.querySelector('.agent-name')?.textContent}${l.querySelector('.agent-state')?.textContent}`)),
      )
      .toEqual(['客服小王 (我)空闲', '客服小李空闲']);
    await li.fill('#teamInput', '午饭后我来接班');
    await li.click('#teamSend');
    await expect.poll(() => wang.$$eval('#teamMessages .team-msg', (ms) => ms.map((m) => m.lastChild?.textContent))).toEqual(['午饭后我来接班']);
    // A private note, chosen from the online agents.
    await wang.selectOption('#teamTo', '客服小李');
    await wang.fill('#teamInput', XSS);
    await wang.press('#teamInput', 'Enter');
    await expect.poll(() => li.$$eval('#teamMessages .team-msg.note', (ms) => ms.map((m) => m.lastChild?.textContent))).toEqual([XSS]);
    expect(await li.$eval('#teamMessages .team-msg.note .team-meta', (e) => e.textContent)).toContain('私信 → 客服小李');
    expect(await li.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await wang.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('transfers the customer to a free colleague who sees the whole conversation', async () => {
    const wang = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await say(customer, '我要退货');
    await say(wang, '好的,我请售后同事帮您');
    await expect.poll(() => bubbles(customer)).toEqual(['我要退货', '好的,我请售后同事帮您']);
    const li = await e2e.agentOnline('客服小李');
    await wang.click('#agents button[aria-label="把当前用户转接给 客服小李"]');
    await expect.poll(() => statusOf(li)).toBe('正在服务 张三');
    await expect.poll(() => bubbles(li)).toEqual(['我要退货', '好的,我请售后同事帮您']);
    await expect.poll(() => notices(customer)).toContain('您已被转接给 客服小李');
    await expect.poll(() => statusOf(customer)).toBe('客服小李 为您服务');
    await expect.poll(() => statusOf(wang)).toBe('等待用户接入');
    expect(await notices(wang)).toContain('用户张三已转接给客服客服小李');
    await say(customer, '谢谢');
    await expect.poll(() => bubbles(li)).toEqual(['我要退货', '好的,我请售后同事帮您', '谢谢']);
    // The handing agent keeps what was said before the transfer on screen, and nothing after.
    expect(await bubbles(wang)).toEqual(['我要退货', '好的,我请售后同事帮您']);
  });

  it('hands the customer back to the queue, where the next free agent picks up the conversation', async () => {
    const wang = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await say(customer, '我想咨询发票');
    await expect.poll(() => bubbles(wang)).toEqual(['我想咨询发票']);
    await wang.click('#requeue');
    await expect.poll(() => statusOf(wang)).toBe('等待用户接入');
    expect(await wang.isHidden('#requeue')).toBe(true);
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    expect(await notices(customer)).toContain('客服客服小王已将您转回排队,您当前排在第 1 位,请稍候');
    const li = await e2e.agentOnline('客服小李', undefined, '正在服务 张三');
    await expect.poll(() => bubbles(li)).toEqual(['我想咨询发票']);
    await expect.poll(() => statusOf(customer)).toBe('客服小李 为您服务');
    expect(await notices(customer)).toContain('客服客服小李将为您服务');
    await say(customer, '在吗');
    await expect.poll(() => bubbles(li)).toEqual(['我想咨询发票', '在吗']);
  });
});
