import { afterEach, describe, expect, it } from 'vitest';
import { addAccount } from '../helpers/accounts.js';
import { statusOf, useE2E } from '../helpers/browser.js';
import { startTestProvider, type TestProvider } from '../helpers/oidcProvider.js';

const e2e = useE2E({ KEFU_KEY: '' });
let provider: TestProvider | undefined;

afterEach(async () => {
  await provider?.close();
  provider = undefined;
});

/** A provider that knows these people, and this test's server restarted to sign on through it. */
async function withProvider(users: Parameters<typeof startTestProvider>[0]): Promise<TestProvider> {
  provider = await startTestProvider(users);
  await e2e.restartServer({ ...provider.env, OIDC_NAME: 'Test ID' });
  provider.register(`${e2e.server.httpUrl}/api/auth/oidc/callback`);
  return provider;
}

/** Signs on at the provider's pages as `login`, from the console's "sign in with" link. */
async function signOnAs(page: import('playwright-core').Page, idp: TestProvider, login: string): Promise<void> {
  await expect.poll(() => page.textContent('#signOn')).toBe('使用 Test ID 登录');
  await page.click('#signOn');
  await page.waitForURL((url) => url.href.startsWith(`${idp.issuer}/interaction/`));
  await page.fill('#providerLogin', login);
  await page.fill('#providerPassword', 'any password');
  await page.click('#providerSignIn');
  await page.click('#providerAllow');
  await page.waitForURL((url) => url.origin === e2e.server.httpUrl);
}

describe('single sign-on in the browser', () => {
  it('signs an agent in from the console’s sign-in form through the provider, and the console goes online as their account', async () => {
    const idp = await withProvider({ wang: { email: 'wang@example.com', email_verified: true } });
    await addAccount(e2e.server, { name: '客服小王', login: 'xiaowang', email: 'wang@example.com' });
    const { page } = await e2e.open('/kefu.html');
    await signOnAs(page, idp, 'wang');
    await expect.poll(() => statusOf(page)).toBe('等待用户接入');
    expect(await page.textContent('#meName')).toBe('客服小王');
    expect(await page.textContent('#accountName')).toBe('客服小王');
    expect(new URL(page.url()).pathname).toBe('/kefu.html');
  });

  it('comes back to the sign-in form with one message for a person who has no account here, and no session', async () => {
    const idp = await withProvider({ stranger: { email: 'stranger@example.com', email_verified: true } });
    await addAccount(e2e.server, { name: '客服小王', email: 'wang@example.com' });
    const { page } = await e2e.open('/kefu.html');
    await signOnAs(page, idp, 'stranger');
    await expect.poll(() => page.textContent('#loginError')).toBe('未能通过单点登录进入工作台,请重试或联系管理员');
    expect(await page.isVisible('#signIn')).toBe(true);
    // The address bar loses the outcome, so a reload does not say it again.
    expect(new URL(page.url()).search).toBe('');
    expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: 'kefu_session' }));
  });

  it('shows no single sign-on link when none is configured', async () => {
    const { page } = await e2e.open('/kefu.html');
    await page.waitForLoadState('networkidle');
    expect(await page.isVisible('#signIn')).toBe(true);
    expect(await page.isHidden('#signInWith')).toBe(true);
  });
});
