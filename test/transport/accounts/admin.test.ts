import { describe, expect, it } from 'vitest';
import { addAccount, api, connectSignedIn, connectWithCookie, cookieOf, signedIn, signIn, TEST_PASSWORD } from '../../helpers/accounts.js';
import { connect, connectCustomer, customerUrl, getRoom, sendAcked, type TestClient } from '../../helpers/client.js';
import type { TestServer } from '../../helpers/server.js';
import { useServers } from '../../helpers/useServers.js';

const servers = useServers();
const NO_KEY = { KEFU_KEY: '' };

/** A customer who asks while every agent is busy, and waits in the queue. */
async function enqueue(server: TestServer, name: string): Promise<TestClient> {
  const answer = await getRoom(server, name);
  const c = servers.track(connect(customerUrl(server, name, answer.ticket as string)));
  await c.opened;
  await c.nextMatching((f) => f.event === 'queue_position');
  return c;
}

describe('disabling an agent mid-chat', () => {
  it('closes their socket with 4403, tells their customer they are away, and puts the customer at the head of the queue', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const wang = await signedIn(server, { name: '小王' });
    const agent = servers.track(await connectSignedIn(server, wang.cookie));
    const customer = servers.track(await connectCustomer(server, 'alice', agent));
    await sendAcked(customer, '我的订单还没到', 'c1');
    const conversationId = customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId;
    const waiting = await enqueue(server, 'bob');

    const res = await api(server, `/api/accounts/${wang.account.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: true } });
    expect(res).toMatchObject({ status: 200, body: { account: { disabled: true } } });

    expect(await agent.closed).toEqual({ code: 4403, reason: 'account disabled' });
    expect(await customer.nextMatching((f) => f.event === 'peer_away')).toMatchObject({ peer: '小王', role: 'kefu', neiRong: '客服-小王-暂时离开,请稍候' });
    expect(await customer.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 1, conversationId });
    expect(await waiting.nextMatching((f) => f.event === 'queue_position')).toMatchObject({ position: 2 });

    // The next agent online takes the customer who was handed back first, conversation and all.
    const li = await signedIn(server, { name: '小李' });
    const next = servers.track(await connectSignedIn(server, li.cookie));
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-小李-将为您服务', conversationId });
    expect(await next.nextMatching((f) => f.neiRong === '我的订单还没到')).toMatchObject({ replay: true });
    expect(await waiting.nextMatching((f) => f.event === 'queue_position')).toMatchObject({ position: 1 });

    // The disabled account is signed out everywhere and cannot come back.
    expect((await api(server, '/api/auth/session', { cookie: wang.cookie })).status).toBe(401);
    expect((await servers.track(connectWithCookie(server, wang.cookie)).closed).code).toBe(4401);
    expect((await api(server, '/api/auth/sign-in', { body: { login: '小王'.toLowerCase(), password: TEST_PASSWORD } })).status).toBe(401);
  });

  it('hands the customer of an agent who dropped to the head of the queue at once, not after grace, and the agent cannot come back', async () => {
    const server = await servers.start({ ...NO_KEY, GRACE_MS: '60000' });
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const wang = await signedIn(server, { name: '小王' });
    const agent = servers.track(await connectSignedIn(server, wang.cookie));
    const customer = servers.track(await connectCustomer(server, 'alice', agent));
    await sendAcked(customer, '我的订单还没到', 'c1');
    const conversationId = customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId;
    agent.ws.terminate();
    await customer.nextMatching((f) => f.event === 'peer_away');

    await api(server, `/api/accounts/${wang.account.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: true } });
    expect(await customer.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 1, conversationId });
    expect((await servers.track(connectWithCookie(server, wang.cookie)).closed).code).toBe(4401);

    // The next agent online takes the conversation, history and all.
    const li = await signedIn(server, { name: '小李' });
    const next = servers.track(await connectSignedIn(server, li.cookie));
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-小李-将为您服务', conversationId });
    expect(await next.nextMatching((f) => f.neiRong === '我的订单还没到')).toMatchObject({ replay: true });
  });

  it('places the customer of an agent who dropped with a free agent at once when their account is signed out everywhere', async () => {
    const server = await servers.start({ ...NO_KEY, GRACE_MS: '60000' });
    const wang = await signedIn(server, { name: 'Wang' });
    const agent = servers.track(await connectSignedIn(server, wang.cookie));
    const customer = servers.track(await connectCustomer(server, 'alice', agent));
    await sendAcked(customer, 'where is my parcel', 'c1');
    const conversationId = customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId;
    const li = await signedIn(server, { name: 'Li' });
    const next = servers.track(await connectSignedIn(server, li.cookie));
    agent.ws.terminate();
    await customer.nextMatching((f) => f.event === 'peer_away');

    expect((await api(server, '/api/auth/sign-out-everywhere', { method: 'POST', cookie: wang.cookie })).status).toBe(204);
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-Li-将为您服务', conversationId });
    expect(await next.nextMatching((f) => f.neiRong === 'where is my parcel')).toMatchObject({ replay: true });
  });

  it('lets the agent back in once enabled again, with a new sign-in', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const wang = await signedIn(server, { name: 'Wang' });
    await api(server, `/api/accounts/${wang.account.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: true } });
    await api(server, `/api/accounts/${wang.account.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: false } });
    const cookie = await signIn(server, 'wang');
    servers.track(await connectSignedIn(server, cookie));
  });
});

describe('inviting and resetting', () => {
  it('invites an agent with a one-time link that signs them in once they chose a password', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const invited = await api(server, '/api/accounts', {
      cookie: owner.cookie,
      body: { name: '小张', login: 'zhang', email: 'Zhang@Example.com', maxChats: 3 },
    });
    expect(invited).toMatchObject({
      status: 201,
      body: {
        account: { name: '小张', login: 'zhang', email: 'zhang@example.com', role: 'agent', maxChats: 3, passwordSet: false },
        invitePath: expect.stringMatching(/^\/setup\.html#token=[A-Za-z0-9_-]{43}$/),
      },
    });
    const token = (invited.body.invitePath as string).split('#token=')[1];
    expect((await api(server, '/api/links/inspect', { body: { token } })).body).toEqual({ purpose: 'invite', account: { name: '小张', login: 'zhang' } });
    expect((await api(server, '/api/invites/accept', { body: { token, password: 'short' } })).body).toMatchObject({ error: 'bad_password' });
    const accepted = await api(server, '/api/invites/accept', { body: { token, password: 'zhang password' } });
    expect(accepted).toMatchObject({ status: 200, body: { account: { login: 'zhang', passwordSet: true } } });
    expect((await api(server, '/api/auth/session', { cookie: cookieOf(accepted.headers) })).status).toBe(200);
    expect(await api(server, '/api/invites/accept', { body: { token, password: 'another password' } })).toMatchObject({
      status: 410,
      body: { error: 'bad_link' },
    });
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'zhang', password: 'zhang password' } })).status).toBe(200);
  });

  it('resets a password: the old one and every session stop working, and a new link sets another', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const wang = await signedIn(server, { name: 'Wang' });
    const agent = servers.track(await connectSignedIn(server, wang.cookie));
    const reset = await api(server, `/api/accounts/${wang.account.id}/reset-password`, { method: 'POST', cookie: owner.cookie });
    expect(reset.body).toMatchObject({ account: { passwordSet: false }, invitePath: expect.stringMatching(/^\/setup\.html#token=/) });
    expect(await agent.closed).toEqual({ code: 4403, reason: 'password reset: sign in again' });
    expect((await api(server, '/api/auth/sign-in', { body: { login: 'wang', password: TEST_PASSWORD } })).status).toBe(401);
    const token = (reset.body.invitePath as string).split('#token=')[1];
    expect((await api(server, '/api/invites/accept', { body: { token, password: 'a fresh password' } })).status).toBe(200);
  });
});

describe('changing accounts', () => {
  it('keeps admins from making or touching owners, and the last owner an enabled owner', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const admin = await signedIn(server, { name: 'Admin', role: 'admin' });
    const agent = await addAccount(server, { name: 'Agent' });
    const patch = (cookie: string, id: number, body: unknown) => api(server, `/api/accounts/${id}`, { method: 'PATCH', cookie, body });
    expect((await patch(admin.cookie, agent.id, { role: 'owner' })).status).toBe(403);
    expect((await patch(admin.cookie, owner.account.id, { role: 'agent' })).status).toBe(403);
    expect((await patch(admin.cookie, owner.account.id, { disabled: true })).status).toBe(403);
    expect((await api(server, `/api/accounts/${owner.account.id}/reset-password`, { method: 'POST', cookie: admin.cookie })).status).toBe(403);
    expect((await patch(admin.cookie, agent.id, { role: 'admin' })).body).toMatchObject({ account: { role: 'admin' } });
    expect(await patch(owner.cookie, owner.account.id, { role: 'admin' })).toMatchObject({ status: 409, body: { error: 'last_owner' } });
    expect((await patch(owner.cookie, admin.account.id, { role: 'owner' })).status).toBe(200);
    expect((await patch(admin.cookie, owner.account.id, { role: 'admin' })).status).toBe(200);
    // Nobody disables or resets themselves.
    expect((await patch(admin.cookie, admin.account.id, { disabled: true })).status).toBe(403);
  });

  it('takes maxChats from 1 to 20, and refuses a look-alike of a name already taken', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const agent = await addAccount(server, { name: 'Agent7' });
    const patch = (body: unknown) => api(server, `/api/accounts/${agent.id}`, { method: 'PATCH', cookie: owner.cookie, body });
    for (const bad of [0, 21, 1.5, '3']) expect((await patch({ maxChats: bad })).body).toMatchObject({ error: 'bad_max_chats' });
    expect((await patch({ maxChats: 20 })).body).toMatchObject({ account: { maxChats: 20 } });
    const cyrillic = await api(server, '/api/accounts', { cookie: owner.cookie, body: { name: 'Аgent7', login: 'other' } });
    expect(cyrillic).toMatchObject({ status: 409, body: { error: 'name_taken' } });
    expect((await api(server, '/api/accounts', { cookie: owner.cookie, body: { name: '系统', login: 'sys' } })).body).toMatchObject({ error: 'bad_name' });
    expect((await api(server, '/api/accounts', { cookie: owner.cookie, body: { name: 'New', login: 'agent7' } })).body).toMatchObject({ error: 'login_taken' });
    expect((await api(server, '/api/accounts', { cookie: owner.cookie, body: { name: 'New', login: 'BAD LOGIN' } })).body).toMatchObject({
      error: 'bad_login',
    });
  });

  it('shows the agent under the account’s name, whatever the console asks', async () => {
    const server = await servers.start(NO_KEY);
    const { cookie } = await signedIn(server, { name: '客服小王', login: 'wang', avatar: 'panda' });
    const agent = servers.track(await connectSignedIn(server, cookie, '&v=2&avatar=cat'));
    const customer = servers.track(await connectCustomer(server, 'alice', agent));
    expect(customer.frames.find((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-客服小王-将为您服务', avatar: 'panda' });
  });
});

describe('the audit log', () => {
  it('records account changes with actor, target, address and time, read newest first in pages', async () => {
    const server = await servers.start(NO_KEY);
    const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
    const agent = await addAccount(server, { name: 'Agent' });
    await api(server, `/api/accounts/${agent.id}`, { method: 'PATCH', cookie: owner.cookie, body: { role: 'admin', maxChats: 4 } });
    await api(server, `/api/accounts/${agent.id}`, { method: 'PATCH', cookie: owner.cookie, body: { disabled: true } });
    await api(server, '/api/tokens', { cookie: owner.cookie, body: { name: 'export' } });
    const first = await api(server, '/api/audit?limit=2', { cookie: owner.cookie });
    expect((first.body.entries as Array<{ action: string }>).map((e) => e.action)).toEqual(['api_token_created', 'account_disabled']);
    const second = await api(server, `/api/audit?limit=2&before=${first.body.nextBefore as string}`, { cookie: owner.cookie });
    const entries = second.body.entries as Array<Record<string, unknown>>;
    expect(entries.map((e) => e.action)).toEqual(['account_changed', 'sign_in']);
    expect(entries[0]).toMatchObject({
      actor: 'boss',
      target: 'agent',
      address: '127.0.0.1',
      detail: { role: ['agent', 'admin'], maxChats: [1, 4] },
      ts: expect.any(Number),
    });
    expect((await api(server, '/api/audit?limit=0', { cookie: owner.cookie })).status).toBe(400);
  });
});
