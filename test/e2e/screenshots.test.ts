import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, PHONE, say, screenshot, statusOf, useE2E, type Viewport } from '../helpers/browser.js';

const e2e = useE2E({ QUEUE_MAX: '1' });

/**
 * The pictures in the README: both pages in a conversation, at a desk and on a phone. They are
 * written to artifacts/screenshots on every run; UPDATE_SCREENSHOTS=1 also refreshes docs/.
 */
describe('screenshots', () => {
  for (const [label, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as Array<[string, Viewport]>) {
    it(`shows both pages in a conversation (${label})`, async () => {
      const agent = await e2e.agentOnline('客服小王', viewport, undefined, 'owl');
      const customer = await e2e.customerIn('张三', viewport, 'panda');
      await expect.poll(() => statusOf(customer)).toContain('为您服务');
      const lines: Array<[typeof agent, string]> = [
        [customer, '你好,我昨天下的订单还没有发货,能帮我查一下吗?'],
        [customer, '订单号是 20261124-8848'],
        [agent, '您好!已经查到了,您的订单今天上午已经出库 😊'],
        [agent, '快递单号是 SF1234567890,预计明天送达。'],
        [customer, '太好了,谢谢!'],
      ];
      for (const [i, [page, text]] of lines.entries()) {
        await say(page, text);
        await expect.poll(() => bubbles(agent)).toHaveLength(i + 1);
        await expect.poll(() => bubbles(customer)).toHaveLength(i + 1);
      }
      await expect.poll(() => customer.$$('#messages .msg.pending')).toHaveLength(0);
      await expect.poll(() => agent.$$('#messages .msg.pending')).toHaveLength(0);
      const files = [await screenshot(agent, `kefu-${label}`, true), await screenshot(customer, `yonghu-${label}`, true)];
      await customer.click('#leave');
      await expect.poll(() => customer.isVisible('#ended')).toBe(true);
      files.push(await screenshot(customer, `yonghu-ended-${label}`));
      for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(10_000);
    });
  }

  it('shows the sign-in, waiting and queue-full states', async () => {
    const { page: login } = await e2e.open('/kefu.html');
    await login.waitForSelector('#signIn:not([hidden])');
    await screenshot(login, 'kefu-login-desktop');
    const { page: start } = await e2e.open('/yonghu.html', PHONE);
    await screenshot(start, 'yonghu-start-phone');
    const queued = await e2e.customerIn('张三', PHONE);
    await expect.poll(() => statusOf(queued)).toBe('排队中,第 1 位');
    await screenshot(queued, 'yonghu-queue-phone');
    const full = await e2e.customerIn('李四', PHONE);
    await expect.poll(() => full.textContent('#startError')).toBe('排队人数已满,请稍后再试');
    await screenshot(full, 'yonghu-full-phone');
    const agent = await e2e.agentOnline('客服小王', DESKTOP, '正在服务 张三', 'owl');
    await queued.click('#leave');
    await expect.poll(() => statusOf(agent)).toBe('等待用户接入');
    await screenshot(agent, 'kefu-waiting-desktop');
  });
});
