import { describe, expect, it } from 'vitest';
import { addAccount, api, connectSignedIn, connectWithCookie, signIn } from '../helpers/accounts.js';
import { connectCustomer } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

/** Two nodes sharing one Redis prefix and one Postgres schema, with accounts only (no shared key). */
async function twoNodes(extra: Record<string, string> = {}): Promise<[TestServer, TestServer]> {
  const cluster = clusterEnv({ KEFU_KEY: '', ...extra });
  defer(cluster.drop);
  return [await start(cluster.env), await start(cluster.env)];
}

describe('accounts on two nodes', () => {
  it('signs in on one node and is signed in on the other, socket and API alike', async () => {
    const [n1, n2] = await twoNodes();
    await addAccount(n1, { name: 'Wang' });
    const cookie = await signIn(n1, 'wang');
    expect((await api(n2, '/api/auth/session', { cookie })).body).toMatchObject({ account: { login: 'wang' } });
    track(await connectSignedIn(n2, cookie));
  });

  it('closes an agent’s socket on one node at once when an admin on the other disables them, and requeues their customer', async () => {
    const [n1, n2] = await twoNodes();
    await addAccount(n1, { name: 'Boss', role: 'owner' });
    const wang = await addAccount(n1, { name: 'Wang' });
    const agent = track(await connectSignedIn(n1, await signIn(n1, 'wang')));
    const customer = track(await connectCustomer(n1, 'alice', agent));
    const owner = await signIn(n2, 'boss');
    await api(n2, `/api/accounts/${wang.id}`, { method: 'PATCH', cookie: owner, body: { disabled: true } });
    expect(await agent.closed).toEqual({ code: 4403, reason: 'account disabled' });
    await customer.nextMatching((f) => f.event === 'peer_away');
    expect(await customer.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 1 });
  });

  it('hands the customer of an agent who dropped to the head of the queue at once when an admin on the other node disables them', async () => {
    const [n1, n2] = await twoNodes({ GRACE_MS: '60000' });
    await addAccount(n1, { name: 'Boss', role: 'owner' });
    const wang = await addAccount(n1, { name: 'Wang' });
    const cookie = await signIn(n1, 'wang');
    const agent = track(await connectSignedIn(n1, cookie));
    const customer = track(await connectCustomer(n2, 'alice', agent));
    const conversationId = customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId;
    agent.ws.terminate();
    await customer.nextMatching((f) => f.event === 'peer_away');
    const owner = await signIn(n2, 'boss');
    await api(n2, `/api/accounts/${wang.id}`, { method: 'PATCH', cookie: owner, body: { disabled: true } });
    expect(await customer.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 1, conversationId });
    expect((await track(connectWithCookie(n1, cookie)).closed).code).toBe(4401);
    // Both nodes heard the revocation; the customer was handed on once.
    await addAccount(n1, { name: 'Li' });
    track(await connectSignedIn(n1, await signIn(n1, 'li')));
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ conversationId });
    expect(customer.frames.filter((f) => f.event === 'requeued')).toHaveLength(1);
  });

  it('counts failed sign-ins across nodes (the lock is shared through Redis)', async () => {
    const [n1, n2] = await twoNodes({ SIGN_IN_FAILURES_PER_ACCOUNT: '2' });
    await addAccount(n1, { name: 'Wang' });
    expect((await api(n1, '/api/auth/sign-in', { body: { login: 'wang', password: 'wrong one' } })).status).toBe(401);
    expect((await api(n2, '/api/auth/sign-in', { body: { login: 'wang', password: 'wrong two' } })).status).toBe(401);
    expect((await api(n1, '/api/auth/sign-in', { body: { login: 'wang', password: 'wrong three' } })).status).toBe(429);
  });
});
