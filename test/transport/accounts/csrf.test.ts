import { describe, expect, it } from 'vitest';
import { connect } from '../../helpers/client.js';
import { addAccount, api, connectWithCookie, signedIn, TEST_PASSWORD } from '../../helpers/accounts.js';
import { useServers } from '../../helpers/useServers.js';

const servers = useServers();
const NO_KEY = { KEFU_KEY: '' };
const EVIL = 'https://evil.example';

describe('cross-site requests (CSRF)', () => {
  it('refuses a state-changing request carrying the cookie from another site, and takes it from our own pages', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Boss', role: 'owner' });
    const reply = { shortcut: 'hi', title: 'Hi', body: '您好' };
    const cross = await api(server, '/api/canned-replies', { cookie, body: reply, headers: { Origin: EVIL } });
    expect(cross).toMatchObject({ status: 403, body: { error: 'cross_site' } });
    const fetchMeta = await api(server, '/api/canned-replies', { cookie, body: reply, headers: { Origin: server.httpUrl, 'Sec-Fetch-Site': 'cross-site' } });
    expect(fetchMeta.status).toBe(403);
    const noOrigin = await fetch(`${server.httpUrl}/api/canned-replies`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify(reply),
    });
    expect(noOrigin.status).toBe(403);
    expect((await api(server, '/api/canned-replies', { cookie })).body).toEqual({ cannedReplies: [] });
    const own = await api(server, '/api/canned-replies', { cookie, body: reply, headers: { 'Sec-Fetch-Site': 'same-origin' } });
    expect(own.status).toBe(201);
  });

  it('refuses what an HTML form can send (text/plain, urlencoded): from another site with 403, from anywhere with 415', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Boss', role: 'owner' });
    const invite = '{"name":"Mallory","login":"mallory","role":"admin"}';
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const post = (origin: string) =>
        fetch(`${server.httpUrl}/api/accounts`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': type, Origin: origin }, body: invite });
      expect((await post(EVIL)).status).toBe(403);
      expect((await post(server.httpUrl)).status).toBe(415);
    }
    expect(await server.accounts.stores.accounts.accountByLogin('mallory')).toBeUndefined();
    const json = await api(server, '/api/accounts', { cookie, body: JSON.parse(invite) });
    expect(json.status).toBe(201);
  });

  it('refuses a sign-in posted from another site (no login CSRF), and a setup or invite from one', async () => {
    const server = await servers.start(NO_KEY);
    await addAccount(server, { name: 'Wang' });
    const res = await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD }, headers: { Origin: EVIL } });
    expect(res).toMatchObject({ status: 403, body: { error: 'cross_site' } });
    expect(res.headers.get('set-cookie')).toBeNull();
    for (const path of ['/api/setup', '/api/invites/accept', '/api/links/inspect']) {
      expect((await api(server, path, { body: { token: 'x' }, headers: { Origin: EVIL } })).status).toBe(403);
    }
  });

  it('needs no Origin from a script with a bearer token: browsers never send one by themselves', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Boss', role: 'owner' });
    const token = (await api(server, '/api/tokens', { cookie, body: { name: 'script' } })).body.token as string;
    const res = await fetch(`${server.httpUrl}/api/canned-replies`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ shortcut: 'hi', title: 'Hi', body: '您好' }),
    });
    expect(res.status).toBe(201);
  });

  it('refuses a cross-origin WebSocket upgrade that carries the session cookie, before any socket exists', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: 'Wang' });
    const cross = servers.track(connectWithCookie(server, cookie, '&v=2', EVIL));
    await expect(cross.opened).rejects.toThrow('upgrade refused: 403');
    const rawPort = servers.track(connect(`${server.wsUrl}/?type=kefu`, { Cookie: cookie, Origin: EVIL }));
    await expect(rawPort.opened).rejects.toThrow('upgrade refused: 403');
    const same = servers.track(connectWithCookie(server, cookie));
    await same.opened;
    expect((await same.next()).event).toBe('room_opened');
  });

  it('closes an agent socket with neither cookie nor key with 4401, and one with a stale cookie too', async () => {
    const server = await servers.start(NO_KEY);
    const bare = servers.track(connect(`${server.wsUrl}/?type=kefu&v=2`));
    expect(await bare.closed).toEqual({ code: 4401, reason: 'sign in first (or give the key of KEFU_KEY)' });
    const stale = servers.track(connectWithCookie(server, 'kefu_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    expect((await stale.closed).code).toBe(4401);
  });
});
