import { describe, expect, it } from 'vitest';
import { addAccount, api, connectSignedIn, connectWithCookie, cookieOf, signIn, signedIn, TEST_PASSWORD } from '../../helpers/accounts.js';
import { useServers } from '../../helpers/useServers.js';

const servers = useServers();
const NO_KEY = { KEFU_KEY: '' };

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie (not Secure over plain http) and shows who is signed in', async () => {
    const server = await servers.start(NO_KEY);
    await addAccount(server, { name: '小王', login: 'wang' });
    const res = await api(server, '/api/auth/sign-in', { body: { login: 'Wang ', password: TEST_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ name: '小王', login: 'wang', role: 'agent', totp: false });
    expect(JSON.stringify(res.body)).not.toContain('scrypt');
    const set = res.headers.get('set-cookie') ?? '';
    expect(set).toMatch(/^kefu_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
    const me = await api(server, '/api/auth/session', { cookie: cookieOf(res.headers) });
    expect(me).toMatchObject({ status: 200, body: { account: { login: 'wang' } } });
    expect((await api(server, '/api/auth/session')).status).toBe(401);
  });

  it('marks the cookie Secure when a trusted proxy says the browser came over https, and only then', async () => {
    const server = await servers.start({ ...NO_KEY, TRUST_PROXY: 'loopback' });
    await addAccount(server, { name: 'Li' });
    const https = await api(server, '/api/auth/sign-in', { body: { login: 'li', password: TEST_PASSWORD }, headers: { 'X-Forwarded-Proto': 'https' } });
    expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
    const plain = await api(server, '/api/auth/sign-in', { body: { login: 'li', password: TEST_PASSWORD } });
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
    const untrusted = await servers.start(NO_KEY);
    await addAccount(untrusted, { name: 'Li' });
    const spoofed = await api(untrusted, '/api/auth/sign-in', { body: { login: 'li', password: TEST_PASSWORD }, headers: { 'X-Forwarded-Proto': 'https' } });
    expect(spoofed.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('gives one answer for an unknown login, a wrong password, a disabled account and an invite not yet accepted', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const gone = await addAccount(server, { name: 'Gone' });
    await api(server, `/api/accounts/${gone.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: true } });
    await api(server, '/api/accounts', { cookie: owner.cookie, body: { name: 'New', login: 'new' } });
    const answers = await Promise.all(
      [
        { login: 'nobody', password: TEST_PASSWORD },
        { login: 'boss', password: 'not the password' },
        { login: 'gone', password: TEST_PASSWORD },
        { login: 'new', password: TEST_PASSWORD },
        { login: 'boss' },
      ].map((body) => api(server, '/api/auth/sign-in', { body })),
    );
    for (const a of answers) expect(a).toMatchObject({ status: 401, body: { error: 'bad_credentials', message: 'wrong login, password or code' } });
    expect(answers.every((a) => a.headers.get('set-cookie') === null)).toBe(true);
  });

  it('makes a new session token at every sign-in, whatever cookie the browser already had (no fixation)', async () => {
    const server = await servers.start(NO_KEY);
    await addAccount(server, { name: 'Wang' });
    const planted = 'kefu_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const first = await api(server, '/api/auth/sign-in', { cookie: planted, body: { login: 'wang', password: TEST_PASSWORD } });
    const second = await api(server, '/api/auth/sign-in', { cookie: cookieOf(first.headers), body: { login: 'wang', password: TEST_PASSWORD } });
    const [a, b] = [cookieOf(first.headers), cookieOf(second.headers)];
    expect(new Set([planted, a, b]).size).toBe(3);
    // The token the browser brought signs nobody in; both issued ones do.
    expect((await api(server, '/api/auth/session', { cookie: planted })).status).toBe(401);
    expect((await api(server, '/api/auth/session', { cookie: a })).status).toBe(200);
    expect((await api(server, '/api/auth/session', { cookie: b })).status).toBe(200);
  });

  it('signs out: the cookie is cleared, the token stops working, and the console on it is closed with 4403', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Wang' });
    const agent = servers.track(await connectSignedIn(server, cookie));
    const out = await api(server, '/api/auth/sign-out', { method: 'POST', cookie });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^kefu_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    expect(await agent.closed).toEqual({ code: 4403, reason: 'signed out' });
    expect((await api(server, '/api/auth/session', { cookie })).status).toBe(401);
    const again = servers.track(connectWithCookie(server, cookie));
    expect((await again.closed).code).toBe(4401);
  });

  it("lists one's sessions, ends another one, and signs out everywhere", async () => {
    const server = await servers.start(NO_KEY);
    await addAccount(server, { name: 'Wang' });
    await addAccount(server, { name: 'Li' });
    const here = await signIn(server, 'wang');
    const there = await signIn(server, 'wang');
    const third = await signIn(server, 'wang');
    const other = await signIn(server, 'li');
    const listed = await api(server, '/api/auth/sessions', { cookie: here });
    const sessions = listed.body.sessions as Array<{ id: number; current: boolean; address: string; userAgent: string }>;
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ address: '127.0.0.1', userAgent: 'node' });
    const thereId = sessions.find((s) => !s.current)?.id as number;
    const otherId = ((await api(server, '/api/auth/sessions', { cookie: other })).body.sessions as Array<{ id: number }>)[0]?.id;
    // Nobody ends another account's session.
    expect((await api(server, `/api/auth/sessions/${otherId}`, { method: 'DELETE', cookie: here })).status).toBe(404);
    expect((await api(server, `/api/auth/sessions/${thereId}`, { method: 'DELETE', cookie: here })).status).toBe(204);
    const alive = await Promise.all([here, there, third].map(async (c) => (await api(server, '/api/auth/session', { cookie: c })).status));
    expect(alive.filter((s) => s === 200)).toHaveLength(2);
    expect((await api(server, '/api/auth/sign-out-everywhere', { method: 'POST', cookie: here })).status).toBe(204);
    for (const c of [here, there, third]) expect((await api(server, '/api/auth/session', { cookie: c })).status).toBe(401);
    expect((await api(server, '/api/auth/session', { cookie: other })).status).toBe(200);
  });

  it('keeps a signed-in console and its session usable on the raw WebSocket port too', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: '小王' });
    const agent = servers.track(await connectSignedIn(server, cookie));
    expect(agent.frames.find((f) => f.event === 'room_opened')?.neiRong).toContain('小王');
    await agent.close(1000);
    const { connect } = await import('../../helpers/client.js');
    const raw = servers.track(connect(`${server.wsUrl}/?type=kefu`, { Cookie: cookie }));
    await raw.opened;
    expect((await raw.next()).event).toBe('room_opened');
  });
});

describe('brute force', () => {
  it('locks a login after its failures with 429 and Retry-After, even for the right password, and audits the lock', async () => {
    const server = await servers.start({ ...NO_KEY, SIGN_IN_FAILURES_PER_ACCOUNT: '3' });
    await addAccount(server, { name: 'Wang' });
    for (let i = 0; i < 3; i++) expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: `guess ${i}` } })).status).toBe(401);
    const locked = await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } });
    expect(locked).toMatchObject({ status: 429, body: { error: 'locked_out' } });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    const actions = (await server.accounts.stores.audit.listAudit(10)).entries.map((e) => e.action);
    expect(actions.filter((a) => a === 'sign_in_locked')).toHaveLength(1);
    expect(actions.filter((a) => a === 'sign_in_failed')).toHaveLength(3);
  });

  it('clears a login’s count when it signs in, so an agent who mistypes now and then is never locked', async () => {
    const server = await servers.start({ ...NO_KEY, SIGN_IN_FAILURES_PER_ACCOUNT: '3' });
    await addAccount(server, { name: 'Wang' });
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: 'typo' } })).status).toBe(401);
      expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(200);
    }
  });

  it('locks an address that guesses across many logins', async () => {
    const server = await servers.start({ ...NO_KEY, SIGN_IN_FAILURES_PER_ADDRESS: '4' });
    await addAccount(server, { name: 'Wang' });
    for (let i = 0; i < 4; i++) expect((await api(server, '/api/auth/sign-in', { body: { login: `user${i}`, password: 'guess' } })).status).toBe(401);
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(429);
  });

  it('counts failed TOTP codes against the login too', async () => {
    const server = await servers.start({ ...NO_KEY, SIGN_IN_FAILURES_PER_ACCOUNT: '2' });
    const { cookie } = await signedIn(server, { name: 'Wang' });
    const offer = await api(server, '/api/profile/totp', { method: 'POST', cookie });
    const { generateSync } = await import('otplib');
    expect((await api(server, '/api/profile/totp/confirm', { cookie, body: { code: generateSync({ secret: offer.body.secret as string }) } })).status).toBe(
      204,
    );
    const step = await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } });
    expect(step.body).toEqual({ totpRequired: true, challenge: expect.any(String) });
    expect(step.headers.get('set-cookie')).toBeNull();
    for (let i = 0; i < 2; i++)
      expect((await api(server, '/api/auth/sign-in/code', { body: { challenge: step.body.challenge, code: '000000' } })).status).toBe(401);
    expect((await api(server, '/api/auth/sign-in/code', { body: { challenge: step.body.challenge, code: '111111' } })).status).toBe(429);
  });
});

describe('TOTP', () => {
  it('enrols with a QR code and a confirming code, then asks for a code at sign-in, and turns off with the password', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Wang' });
    const offer = await api(server, '/api/profile/totp', { method: 'POST', cookie });
    expect(offer.body).toMatchObject({
      secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
      uri: expect.stringContaining('otpauth://totp/kefu:wang?'),
      qr: expect.stringMatching(/^data:image\/png;base64,/),
    });
    // Not on until confirmed: a sign-in still needs no code.
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).body).toHaveProperty('account');
    expect((await api(server, '/api/profile/totp/confirm', { cookie, body: { code: '12345' } })).body).toMatchObject({ error: 'bad_code' });
    const { generateSync } = await import('otplib');
    const secret = offer.body.secret as string;
    expect((await api(server, '/api/profile/totp/confirm', { cookie, body: { code: generateSync({ secret }) } })).status).toBe(204);
    expect((await api(server, '/api/profile', { cookie })).body).toMatchObject({ account: { totp: true } });
    const step = await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } });
    const wrong = await api(server, '/api/auth/sign-in/code', { body: { challenge: step.body.challenge, code: '000000' } });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'bad_credentials' } });
    // The code of the confirmation was used: the next step's code is needed (or, here, the same step refused).
    const now = Date.now();
    const next = generateSync({ secret, epoch: Math.floor(now / 1000) + 30 });
    const done = await api(server, '/api/auth/sign-in/code', { body: { challenge: step.body.challenge, code: next } });
    expect(done.status).toBe(200);
    const second = cookieOf(done.headers);
    expect((await api(server, '/api/profile/totp/disable', { cookie: second, body: { password: 'wrong password' } })).status).toBe(403);
    expect((await api(server, '/api/profile/totp/disable', { cookie: second, body: { password: TEST_PASSWORD } })).status).toBe(204);
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).body).toHaveProperty('account');
  });
});

describe('password change', () => {
  it('needs the current password, and ends every other session of the account', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Wang' });
    const other = await signIn(server, 'wang');
    const console2 = servers.track(await connectSignedIn(server, other));
    expect((await api(server, '/api/profile/password', { cookie, body: { current: 'nope', password: 'a new password' } })).status).toBe(403);
    expect((await api(server, '/api/profile/password', { cookie, body: { current: TEST_PASSWORD, password: 'short' } })).body).toMatchObject({
      error: 'bad_password',
    });
    expect((await api(server, '/api/profile/password', { cookie, body: { current: TEST_PASSWORD, password: 'a new password' } })).status).toBe(204);
    expect((await console2.closed).code).toBe(4403);
    expect((await api(server, '/api/auth/session', { cookie })).status).toBe(200);
    expect((await api(server, '/api/auth/session', { cookie: other })).status).toBe(401);
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(401);
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: 'a new password' } })).status).toBe(200);
  });
});
