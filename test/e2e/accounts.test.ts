import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { addAccount, api, signIn } from '../helpers/accounts.js';
import { statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E({ KEFU_KEY: '' });
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

describe('accounts in the browser', () => {
  it('creates the owner with the first-run setup link, once, and lands signed in on the console', async () => {
    const token = await e2e.server.accounts.links.setupLink();
    const { page } = await e2e.open(`/setup.html#token=${token}`);
    await expect.poll(() => page.textContent('#setupTitle')).toBe('创建所有者账号');
    // The token leaves the address bar as soon as it is read.
    expect(new URL(page.url()).hash).toBe('');
    await page.fill('#setupName', '王经理');
    await page.fill('#setupLogin', 'wang');
    await page.fill('#setupPassword', 'the owner password');
    await page.click('#setupSubmit');
    await page.waitForURL(/\/kefu\.html$/);
    await expect.poll(() => page.textContent('#offlineHint')).toContain('王经理');
    expect(await page.isVisible('#adminLink')).toBe(true);
    const again = await e2e.open(`/setup.html#token=${token}`);
    await expect.poll(() => again.page.textContent('#setupTitle')).toBe('链接无效、已被使用或已过期');
    expect(await again.page.isVisible('#setupSubmit')).toBe(false);
  });

  it('invites an agent from the admin page; the invite link sets their password and signs them in', async () => {
    await e2e.accountFor('Boss', undefined, 'owner');
    const { page: admin } = await e2e.open('/kefu.html');
    await e2e.signIn(admin, 'agent1');
    await expect.poll(() => admin.isVisible('#adminLink')).toBe(true);
    await admin.click('#adminLink');
    await admin.waitForURL(/\/admin\.html$/);
    await admin.fill('#inviteName', '小张');
    await admin.fill('#inviteLogin', 'zhang');
    await admin.click('#inviteForm button[type=submit]');
    await expect.poll(() => admin.textContent('#linkValue')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\.html#token=/);
    expect(await admin.textContent('#linkText')).toContain('小张');
    await expect.poll(() => admin.$$eval('#accounts tr', (rows) => rows.map((r) => r.children[0]?.textContent))).toEqual(['Boss', '小张']);
    const link = (await admin.textContent('#linkValue')) as string;

    const { page } = await e2e.open(link.replace(e2e.server.httpUrl, ''));
    await expect.poll(() => page.textContent('#setupTitle')).toBe('欢迎,小张');
    await page.fill('#setupPassword', 'zhang password');
    await page.click('#setupSubmit');
    await page.waitForURL(/\/kefu\.html$/);
    await page.click('#connect');
    await expect.poll(() => statusOf(page)).toBe('等待用户接入');
    expect(await page.isVisible('#adminLink')).toBe(false);
    // The audit log shows what happened, newest first.
    await admin.reload();
    await expect
      .poll(() => admin.$$eval('#audit tr td:nth-child(2)', (cells) => cells.map((c) => c.textContent)).then((a) => a.slice(0, 3)))
      .toEqual(['登录', '接受邀请', '邀请账号']);
  });

  it('closes a disabled agent’s console with 4403 mid-chat, back to the sign-in form, and hands the customer back to the queue', async () => {
    await e2e.accountFor('Boss', undefined, 'owner');
    const agent = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    const { page: admin } = await e2e.open('/kefu.html');
    await e2e.signIn(admin, 'agent1');
    await admin.goto(`${e2e.server.httpUrl}/admin.html`);
    await admin.click('#accounts button[aria-label="停用:客服小王"]');
    await expect.poll(() => agent.isVisible('#signIn')).toBe(true);
    expect(await agent.textContent('#loginError')).toBe('您已退出登录,或账号已被停用,请重新登录');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await expect.poll(() => admin.textContent('#accounts')).toContain('已停用');
  });

  it('enrols TOTP on the profile page with the QR code, then asks for the code at sign-in', async () => {
    const login = await e2e.accountFor('客服小王');
    const { page } = await e2e.open('/kefu.html');
    await e2e.signIn(page, login);
    await page.goto(`${e2e.server.httpUrl}/profile.html`);
    await page.click('#totpStart');
    await expect.poll(() => page.getAttribute('#totpQr', 'src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.textContent('#totpSecret')) as string;
    await page.fill('#totpCode', generateSync({ secret }));
    await page.click('#totpEnrol button[type=submit]');
    await expect.poll(() => page.textContent('#totpState')).toBe('已开启');

    await page.click('#signOut');
    await page.waitForURL(/\/kefu\.html$/);
    await e2e.signIn(page, login);
    await expect.poll(() => page.isVisible('#code')).toBe(true);
    await page.fill('#code', '000000');
    await page.click('#signInButton');
    await expect.poll(() => page.textContent('#loginError')).toBe('登录名、密码或验证码错误');
    // The confirmation used this step's code: the next step's is the one to type.
    await page.fill('#code', generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.click('#signInButton');
    await expect.poll(() => statusOf(page)).toBe('等待用户接入');
  });

  it('lists one’s sessions on the profile page and signs out everywhere, closing the console elsewhere', async () => {
    const login = await e2e.accountFor('客服小王');
    const console1 = await e2e.agentOnline('客服小王');
    const { page } = await e2e.open('/kefu.html');
    await e2e.signIn(page, login);
    await page.goto(`${e2e.server.httpUrl}/profile.html`);
    await expect.poll(() => page.$$eval('#sessions li', (items) => items.length)).toBe(2);
    expect(await page.textContent('#sessions')).toContain('当前设备');
    await page.click('#signOutEverywhere');
    await page.waitForURL(/\/kefu\.html$/);
    await expect.poll(() => page.isVisible('#signIn')).toBe(true);
    await expect.poll(() => console1.isVisible('#signIn')).toBe(true);
  });

  it('renders account names as text on the console, the admin page and the profile page', async () => {
    await addAccount(e2e.server, { name: 'Boss', login: 'boss', role: 'owner' });
    await addAccount(e2e.server, { name: HOSTILE, login: 'hostile' });
    const cookie = await signIn(e2e.server, 'boss');
    await api(e2e.server, '/api/tokens', { cookie, body: { name: HOSTILE } });
    const agent = await e2e.open('/kefu.html');
    await e2e.signIn(agent.page, 'hostile');
    await expect.poll(() => agent.page.textContent('#accountName')).toBe(HOSTILE);
    const admin = await e2e.open('/kefu.html');
    await e2e.signIn(admin.page, 'boss');
    await admin.page.goto(`${e2e.server.httpUrl}/admin.html`);
    await expect.poll(() => admin.page.textContent('#accounts')).toContain(HOSTILE);
    await admin.page.goto(`${e2e.server.httpUrl}/profile.html`);
    await expect.poll(() => admin.page.textContent('#tokens')).toContain(HOSTILE);
    for (const page of [agent.page, admin.page]) {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.$$('img:not(#totpQr)')).toHaveLength(0);
    }
  });
});
