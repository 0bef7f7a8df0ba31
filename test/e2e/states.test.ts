import { describe, expect, it, onTestFinished } from 'vitest';
import { CloseCode } from '../../src/protocol/closeCodes.js';
import { bubbles, notices, say, statusOf, useE2E } from '../helpers/browser.js';
import { connect, customerUrl, getRoom, type TestClient } from '../helpers/client.js';

const e2e = useE2E();

describe('what the pages say when something is wrong', () => {
  it('shows the sign-in form to a console with no session, and one answer for a wrong password', async () => {
    const login = await e2e.accountFor('客服小王');
    const { page, requests } = await e2e.open('/kefu.html');
    await expect.poll(() => page.isVisible('#signIn')).toBe(true);
    expect(await page.isVisible('#chat')).toBe(false);
    await e2e.signIn(page, login, 'not the password');
    await expect.poll(() => page.textContent('#loginError')).toBe('登录名、密码或验证码错误');
    await e2e.signIn(page, 'nobody', 'not the password');
    // An unknown login is checked against a decoy at the full scrypt cost: it takes its time.
    await expect.poll(() => page.textContent('#loginError'), { timeout: 10_000 }).toBe('登录名、密码或验证码错误');
    expect(requests.filter((u) => u.startsWith('ws:'))).toEqual([]);
    await page.fill('#password', '');
    await page.click('#signInButton');
    expect(await page.textContent('#loginError')).toBe('请输入登录名和密码');
  });

  it('signs in, takes the name from the account, and never puts a credential in a URL', async () => {
    const login = await e2e.accountFor('客服小王');
    const tracked = await e2e.open('/kefu.html');
    await e2e.signIn(tracked.page, login);
    await expect.poll(() => statusOf(tracked.page)).toBe('等待用户接入');
    expect(await tracked.page.textContent('#meName')).toBe('客服小王');
    expect(await tracked.page.textContent('#accountName')).toBe('客服小王');
    const sockets = tracked.requests.filter((u) => u.startsWith('ws:'));
    expect(sockets).toHaveLength(1);
    expect(sockets[0]).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\?type=kefu&v=2$/);
    const cookies = await tracked.context.cookies();
    expect(cookies.find((c) => c.name === 'kefu_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    expect(await tracked.page.evaluate(() => document.cookie)).toBe('');
  });

  it('shows the 4409 reason to a second console of an agent already online', async () => {
    await e2e.agentOnline('客服小王');
    const { page } = await e2e.open('/kefu.html');
    await e2e.signIn(page, await e2e.accountFor('客服小王'));
    await expect.poll(() => page.textContent('#onlineError')).toBe('该客服名称已在线');
    expect(await page.isVisible('#connect')).toBe(true);
  });

  it('goes offline and back online without signing in again, and signs out to the sign-in form', async () => {
    const page = await e2e.agentOnline('客服小王');
    await page.click('#disconnect');
    await expect.poll(() => page.isVisible('#offlineCard')).toBe(true);
    expect(await page.textContent('#offlineHint')).toContain('客服小王');
    await page.click('#connect');
    await expect.poll(() => statusOf(page)).toBe('等待用户接入');
    await page.click('#signOut');
    await expect.poll(() => page.isVisible('#signIn')).toBe(true);
    expect(await page.isVisible('#accountBar')).toBe(false);
  });

  it('refuses a name with an invisible character on the customer page, before asking for a room', async () => {
    const customer = await e2e.open('/yonghu.html');
    await customer.page.fill('#name', '系统\u2060');
    await customer.page.click('#contact');
    expect(await customer.page.textContent('#startError')).toBe('请输入 1-32 个字符的名称');
    expect(customer.requests.filter((u) => u.startsWith('ws:') || u.includes('/getroom'))).toEqual([]);
  });

  it('tells a customer the queue is full and offers to try again', async () => {
    await e2e.restartServer({ QUEUE_MAX: '1' });
    const first = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(first)).toBe('排队中,第 1 位');
    const second = await e2e.customerIn('李四');
    await expect.poll(() => second.textContent('#startError')).toBe('排队人数已满,请稍后再试');
    expect(await second.textContent('#contact')).toBe('再试一次');
    expect(await second.isVisible('#start')).toBe(true);
  });

  it('tells a customer whose queue ticket came after the queue filled up (4429) that it is full, and offers the message form', async () => {
    await e2e.restartServer({ QUEUE_MAX: '1' });
    const { page, requests } = await e2e.open('/yonghu.html');
    // Someone else takes the last place between this page's /getroom and its connecting.
    const isGetroom = (url: URL) => url.pathname === '/getroom';
    let other: TestClient | undefined;
    let ticket: unknown;
    await page.route(isGetroom, async (route) => {
      const answer = await route.fetch();
      ticket = ((await answer.json()) as { ticket?: unknown }).ticket;
      const theirs = await getRoom(e2e.server, '李四');
      other = connect(customerUrl(e2e.server, '李四', theirs.ticket as string));
      await other.nextMatching((f) => f.event === 'queue_position');
      await route.fulfill({ response: answer });
    });
    onTestFinished(() => page.unroute(isGetroom));
    await page.fill('#name', '张三');
    await page.click('#contact');
    await expect.poll(() => page.textContent('#startError')).toBe('排队人数已满,请稍后再试');
    expect(typeof ticket).toBe('string');
    expect(requests.filter((u) => u.startsWith('ws:') && u.includes('ticket='))).toHaveLength(1);
    expect(await page.textContent('#contact')).toBe('再试一次');
    expect(await page.isVisible('#start')).toBe(true);
    await page.click('#startOffline');
    expect(await page.isVisible('#offlineForm')).toBe(true);
    other?.ws.terminate();
  });

  it('waits out a 429 from /getroom, saying for how long, and asks again only when the person does', async () => {
    const { page } = await e2e.open('/yonghu.html');
    const isGetroom = (url: URL) => url.pathname === '/getroom';
    let asked = 0;
    await page.route(isGetroom, async (route) => {
      asked++;
      if (asked > 1) return route.continue();
      return route.fulfill({
        status: 429,
        headers: { 'Retry-After': '2', 'Content-Type': 'application/json' },
        body: JSON.stringify({ error: 'rate_limited', message: 'too many requests' }),
      });
    });
    onTestFinished(() => page.unroute(isGetroom));
    await page.fill('#name', '张三');
    await page.click('#contact');
    await expect.poll(() => page.textContent('#startError')).toBe('请求太频繁,请 2 秒后再试');
    expect(await page.isDisabled('#contact')).toBe(true);
    await page.press('#name', 'Enter');
    await expect.poll(() => page.textContent('#startError')).toBe('请求太频繁,请 1 秒后再试');
    await expect.poll(() => page.isEnabled('#contact'), { timeout: 5_000 }).toBe(true);
    expect(await page.textContent('#startError')).toBe('');
    expect(asked).toBe(1);
    await page.click('#contact');
    await expect.poll(() => statusOf(page)).toBe('排队中,第 1 位');
    expect(asked).toBe(2);
  });

  it('tells a customer the server cannot be reached', async () => {
    const { page } = await e2e.open('/yonghu.html');
    await e2e.stopServer();
    await page.fill('#name', '张三');
    await page.click('#contact');
    await expect.poll(() => page.textContent('#startError')).toBe('无法连接服务器,请稍后再试');
    expect(await statusOf(page)).toBe('无法连接服务器,请稍后再试');
    expect(await page.isEnabled('#contact')).toBe(true);
  });

  it('shows a visible reconnecting state when the server restarts under the agent', async () => {
    const agent = await e2e.agentOnline();
    await e2e.stopServer();
    await expect.poll(() => statusOf(agent)).toMatch(/^连接中断,\d+ 秒后重新连接…$/);
    expect(await agent.isDisabled('#input')).toBe(true);
  });

  it('shows a rejected frame as a passing notice, not as a chat message, and offers a resend', async () => {
    await e2e.restartServer({ RATE_BURST: '1', RATE_PER_SEC: '1' });
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
    await say(customer, '一');
    await say(customer, '二');
    await expect.poll(() => customer.isVisible('#notice')).toBe(true);
    expect(await customer.textContent('#notice')).toBe('发送太快,请稍后再试');
    expect(await notices(customer)).not.toContain('发送太快,请稍后再试');
    await expect.poll(() => customer.$$('#messages .msg.failed')).toHaveLength(1);
    // Resending goes through once the bucket has refilled (1 per second here).
    await expect
      .poll(
        async () => {
          const retry = await customer.$('#messages .msg.failed button');
          if (retry) await retry.click();
          return bubbles(agent);
        },
        { timeout: 6_000, interval: 400 },
      )
      .toEqual(['一', '二']);
    await expect.poll(() => customer.$$('#messages .msg.failed, #messages .msg.pending')).toHaveLength(0);
  });

  it('has a readable Chinese reason for every close code the server uses, on both pages', async () => {
    const codes = Object.values(CloseCode) as number[];
    for (const [pathname, role] of [
      ['/kefu.html', 'kefu'],
      ['/yonghu.html', 'yonghu'],
    ] as const) {
      const { page } = await e2e.open(pathname);
      // The page's own i18n module, as the page loaded it (a string: vitest would rewrite an import() in a function).
      const reasons = (await page.evaluate(
        `import('/lib/i18n.js').then((m) => ${JSON.stringify(codes)}.map((c) => m.closeReason(c, ${JSON.stringify(role)})))`,
      )) as string[];
      for (const [i, reason] of reasons.entries()) {
        expect(reason, `close code ${codes[i]}`).toMatch(/[\u4e00-\u9fff]/);
        expect(reason, `close code ${codes[i]}`).not.toContain('代码');
      }
    }
  });
});
