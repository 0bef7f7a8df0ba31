import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { signOnAtProvider } from '../../helpers/oidcInteractions.js';
import { startTestProvider, type TestProviderOptions } from '../../helpers/oidcProvider.js';
import { addAccount, api, TEST_PASSWORD } from '../../helpers/accounts.js';
import { CookieJar } from '../../helpers/cookieJar.js';
import type { TestServer } from '../../helpers/server.js';
import { useServers } from '../../helpers/useServers.js';

const servers = useServers();

/** The people the provider knows, by the login typed on its form. */
const USERS = {
  wang: { email: 'Wang@Example.com', email_verified: true },
  stranger: { email: 'stranger@example.com', email_verified: true },
  gone: { email: 'gone@example.com', email_verified: true },
  li: { email: 'li@example.com', email_verified: false },
  anon: {},
};

/** A provider, and kefu (accounts only, no KEFU_KEY) pointed at it with the provider's name on the button. */
async function withProvider(env: Record<string, string> = {}, options: TestProviderOptions = {}) {
  const idp = await startTestProvider(USERS, options);
  servers.defer(() => idp.close());
  const server = await servers.start({ KEFU_KEY: '', ...idp.env, OIDC_NAME: 'Test ID', ...env });
  idp.register(callbackOf(server));
  return { idp, server };
}

const callbackOf = (server: TestServer) => `${server.httpUrl}/api/auth/oidc/callback`;
const startOf = (server: TestServer) => `${server.httpUrl}/api/auth/oidc/start`;

/** A browser signing on as `login` all the way: the callback's answer. */
async function signOn(server: TestServer, jar: CookieJar, login: string): Promise<Response> {
  return jar.fetch(await signOnAtProvider(jar, startOf(server), login, callbackOf(server)));
}

const sessionOf = (server: TestServer, jar: CookieJar) => jar.get(server.httpUrl, 'kefu_session');
const latestAudit = async (server: TestServer) => (await server.accounts.stores.audit.listAudit(1)).entries[0];

describe('single sign-on through an OpenID provider', () => {
  it('offers the provider by its name, and signs an agent in as the account of the verified e-mail', async () => {
    const { idp, server } = await withProvider();
    const wang = await addAccount(server, { name: '小王', login: 'wang', email: 'wang@example.com' });
    expect(await api(server, '/api/auth/oidc')).toMatchObject({ status: 200, body: { name: 'Test ID', start: '/api/auth/oidc/start' } });

    const jar = new CookieJar();
    const start = await jar.fetch(startOf(server));
    expect(start.status).toBe(303);
    const to = new URL(start.headers.get('location') ?? '');
    expect(to.origin).toBe(idp.issuer);
    expect(Object.fromEntries(to.searchParams)).toMatchObject({
      client_id: 'kefu-test',
      redirect_uri: callbackOf(server),
      response_type: 'code',
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.headers.get('set-cookie')).toMatch(/^kefu_oidc=[^;]+; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);

    const back = await jar.fetch(await signOnAtProvider(jar, to.href, 'wang', callbackOf(server)));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/kefu.html');
    expect(back.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^kefu_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/),
      'kefu_oidc=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0',
    ]);
    const cookie = `kefu_session=${sessionOf(server, jar)}`;
    expect(await api(server, '/api/auth/session', { cookie })).toMatchObject({ status: 200, body: { account: { id: wang.id, name: '小王', login: 'wang' } } });
    expect(await latestAudit(server)).toMatchObject({ action: 'sign_in', actor: 'wang', address: '127.0.0.1', detail: { method: 'oidc' } });
    // The secret went in HTTP Basic, OpenID's default.
    expect(idp.tokenAuth).toEqual(['basic']);
  });

  it('gives each sign-on a new session token, and the flow is used once', async () => {
    const { server } = await withProvider();
    await addAccount(server, { name: 'Wang', email: 'wang@example.com' });
    const jar = new CookieJar();
    const back = await signOnAtProvider(jar, startOf(server), 'wang', callbackOf(server));
    const flow = jar.get(server.httpUrl, 'kefu_oidc') ?? '';
    expect((await jar.fetch(back)).status).toBe(303);
    const first = sessionOf(server, jar);
    expect((await signOn(server, jar, 'wang')).headers.get('location')).toBe('/kefu.html');
    const second = sessionOf(server, jar);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    // The first answer again, with the flow cookie it came with: the code was spent, nobody is signed in.
    const again = await fetch(back, { redirect: 'manual', headers: { Cookie: `kefu_oidc=${flow}` } });
    expect(again.headers.get('location')).toBe('/kefu.html?sso=failed');
    expect(again.headers.getSetCookie().some((c) => c.startsWith('kefu_session='))).toBe(false);
  });

  it('takes the e-mail from userinfo when the provider keeps it out of the ID token, and the secret where the provider takes it', async () => {
    // A provider that also takes the secret only in the form, and says so in its discovery document.
    const { idp, server } = await withProvider({}, { emailInIdToken: false, secretInFormOnly: true });
    await addAccount(server, { name: 'Wang', email: 'wang@example.com' });
    const jar = new CookieJar();
    expect((await signOn(server, jar, 'wang')).headers.get('location')).toBe('/kefu.html');
    expect(await api(server, '/api/auth/session', { cookie: `kefu_session=${sessionOf(server, jar)}` })).toMatchObject({
      body: { account: { login: 'wang' } },
    });
    expect(idp.tokenAuth).toEqual(['post']);
  });

  it('refuses an answer whose state is not the one its browser started with, or that comes with no flow at all', async () => {
    const { server } = await withProvider();
    await addAccount(server, { name: 'Wang', email: 'wang@example.com' });
    // Mallory signs on at the provider as herself and hands Wang's browser the answer (login CSRF).
    const mallory = new CookieJar();
    const answer = await signOnAtProvider(mallory, startOf(server), 'wang', callbackOf(server));
    const victim = new CookieJar();
    await victim.fetch(startOf(server));
    const crossed = await victim.fetch(answer);
    expect(crossed.status).toBe(303);
    expect(crossed.headers.get('location')).toBe('/kefu.html?sso=failed');
    expect(sessionOf(server, victim)).toBeUndefined();
    expect(await latestAudit(server)).toMatchObject({ action: 'sign_in_failed', actor: null, detail: { method: 'oidc', reason: 'state_mismatch' } });
    // Without any flow cookie, or with one altered, the same.
    const bare = await fetch(answer, { redirect: 'manual' });
    expect(bare.headers.get('location')).toBe('/kefu.html?sso=failed');
    expect(await latestAudit(server)).toMatchObject({ detail: { method: 'oidc', reason: 'no_flow' } });
    const flow = mallory.get(server.httpUrl, 'kefu_oidc') ?? '';
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(flow.split('.')[0] ?? '', 'base64url').toString()), expiresAt: 9e15 })).toString('base64url')}.${flow.split('.')[1]}`;
    const altered = await fetch(answer, { redirect: 'manual', headers: { Cookie: `kefu_oidc=${forged}` } });
    expect(altered.headers.get('location')).toBe('/kefu.html?sso=failed');
    expect(altered.headers.getSetCookie().some((c) => c.startsWith('kefu_session='))).toBe(false);
    // Mallory's own flow cookie still finishes her sign-on: only the crossed ones were refused.
    expect((await mallory.fetch(answer)).headers.get('location')).toBe('/kefu.html');
  });

  it('refuses an e-mail no account has, a disabled account, an e-mail the provider has not verified, and none at all, with one answer', async () => {
    const { server } = await withProvider();
    const gone = await addAccount(server, { name: 'Gone', email: 'gone@example.com' });
    await server.accounts.stores.accounts.updateAccount(gone.id, { disabled: true }, Date.now());
    await addAccount(server, { name: 'Li', email: 'li@example.com' });
    const cases: Array<[string, Record<string, unknown>]> = [
      ['stranger', { reason: 'no_account', email: 'stranger@example.com' }],
      ['gone', { reason: 'disabled', email: 'gone@example.com' }],
      ['li', { reason: 'email_unverified', email: 'li@example.com' }],
      ['anon', { reason: 'no_email' }],
    ];
    for (const [login, detail] of cases) {
      const jar = new CookieJar();
      const back = await signOn(server, jar, login);
      expect([back.status, back.headers.get('location')]).toEqual([303, '/kefu.html?sso=failed']);
      expect(sessionOf(server, jar)).toBeUndefined();
      expect(await latestAudit(server)).toMatchObject({ action: 'sign_in_failed', actor: null, detail: { method: 'oidc', ...detail } });
    }
    expect(await latestAudit(server)).toMatchObject({ target: null });
  });

  it('refuses the answer of a person who cancelled at the provider, and audits the provider’s error', async () => {
    const { server } = await withProvider();
    await addAccount(server, { name: 'Wang', email: 'wang@example.com' });
    const jar = new CookieJar();
    const answer = await signOnAtProvider(jar, startOf(server), 'wang', callbackOf(server), true);
    expect(new URL(answer).searchParams.get('error')).toBe('access_denied');
    const back = await jar.fetch(answer);
    expect([back.status, back.headers.get('location')]).toEqual([303, '/kefu.html?sso=failed']);
    expect(sessionOf(server, jar)).toBeUndefined();
    expect(await latestAudit(server)).toMatchObject({
      action: 'sign_in_failed',
      detail: { method: 'oidc', reason: 'provider_refused', error: 'access_denied' },
    });
  });

  it('counts refusals at the callback against the address with the password sign-in, and locks both', async () => {
    const { server } = await withProvider({ SIGN_IN_FAILURES_PER_ADDRESS: '2' });
    await addAccount(server, { name: 'Wang', email: 'wang@example.com' });
    const jar = new CookieJar();
    const answer = await signOnAtProvider(jar, startOf(server), 'wang', callbackOf(server));
    for (let i = 0; i < 2; i++) expect((await fetch(answer, { redirect: 'manual' })).headers.get('location')).toBe('/kefu.html?sso=failed');
    expect(await latestAudit(server)).toMatchObject({ action: 'sign_in_locked', detail: { method: 'oidc' } });
    // Now even a good answer from this address is turned away, and so is a password.
    const locked = await jar.fetch(answer);
    expect(locked.headers.get('location')).toBe('/kefu.html?sso=locked');
    expect(sessionOf(server, jar)).toBeUndefined();
    expect((await jar.fetch(startOf(server))).headers.get('location')).toBe('/kefu.html?sso=locked');
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(429);
  });

  it('sends the provider back to PUBLIC_URL when set, else to the origin the browser used (a trusted proxy’s forwarded one)', async () => {
    const pub = await withProvider({ PUBLIC_URL: 'https://chat.example.com/' });
    const viaPublic = await fetch(startOf(pub.server), { redirect: 'manual' });
    expect(new URL(viaPublic.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe('https://chat.example.com/api/auth/oidc/callback');
    const proxied = await withProvider({ TRUST_PROXY: 'loopback' });
    const viaProxy = await fetch(startOf(proxied.server), {
      redirect: 'manual',
      headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'Chat.Example.org' },
    });
    expect(new URL(viaProxy.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe('https://chat.example.org/api/auth/oidc/callback');
    expect(viaProxy.headers.get('set-cookie')).toMatch(/; Secure$/);
    // From anyone but a trusted proxy, forwarded headers are not believed.
    const plain = await withProvider();
    const spoofed = await fetch(startOf(plain.server), { redirect: 'manual', headers: { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' } });
    expect(new URL(spoofed.headers.get('location') ?? '').searchParams.get('redirect_uri')).toBe(callbackOf(plain.server));
  });

  it('hides the button and turns the start away while the provider cannot be reached, and serves everything else', async () => {
    const closed = await unusedPort();
    const server = await servers.start({ KEFU_KEY: '', OIDC_ISSUER: `http://127.0.0.1:${closed}`, OIDC_CLIENT_ID: 'kefu', OIDC_CLIENT_SECRET: 'secret' });
    expect(await api(server, '/api/auth/oidc')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const start = await fetch(startOf(server), { redirect: 'manual' });
    expect([start.status, start.headers.get('location'), start.headers.get('set-cookie')]).toEqual([303, '/kefu.html?sso=unavailable', null]);
    expect((await fetch(`${server.httpUrl}/healthz`)).status).toBe(200);
    await addAccount(server, { name: 'Wang' });
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(200);
  });

  it('offers the provider once it can be reached, trying again at most once a minute, without a restart', async () => {
    const port = await unusedPort();
    const clock = { now: Date.now() };
    const issuer = `http://127.0.0.1:${port}`;
    const server = await servers.start(
      { KEFU_KEY: '', OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'kefu-test', OIDC_CLIENT_SECRET: 'kefu-test-client-secret' },
      { now: () => clock.now },
    );
    expect((await api(server, '/api/auth/oidc')).status).toBe(404);
    const idp = await startTestProvider(USERS, { port });
    servers.defer(() => idp.close());
    idp.register(callbackOf(server));
    clock.now += 59_000;
    expect((await api(server, '/api/auth/oidc')).status).toBe(404);
    clock.now += 1_000;
    // Named after the issuer's host without OIDC_NAME.
    expect(await api(server, '/api/auth/oidc')).toMatchObject({ status: 200, body: { name: '127.0.0.1' } });
  });

  it('offers no single sign-on without OIDC_ISSUER', async () => {
    const server = await servers.start({ KEFU_KEY: '' });
    expect(await api(server, '/api/auth/oidc')).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect((await fetch(startOf(server), { redirect: 'manual' })).headers.get('location')).toBe('/kefu.html?sso=unavailable');
  });
});

/** A port nothing listens on (bound, then released). */
async function unusedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
