import { describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, customerUrl, getRoom, resumeTokenOf, resumeUrl, sendAcked } from '../helpers/client.js';
import { clusterEnv, TEST_DATABASE_URL } from '../helpers/cluster.js';
import { freePort, spawnRedis, spawnServer } from '../helpers/process.js';
import { TEST_KEY, tempDataDir } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

describe('a node dies', () => {
  it('treats its agent as dropped on the surviving node: peer_away, then the leave, and nothing acked is lost', async () => {
    const cluster = clusterEnv({ NODE_TTL_MS: '500', GRACE_MS: '1500' });
    defer(cluster.drop);
    const spawnNode = async () => {
      const p = await spawnServer({ httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() }, cluster.env);
      defer(async () => {
        p.child.kill('SIGKILL');
        await p.exited;
      });
      return p;
    };
    const doomed = await spawnNode();
    const survivor = await spawnNode();
    const agent = track(await connectAgent(doomed.server, 'alice'));
    const answer = await getRoom(survivor.server, 'bob');
    const customer = track(connect(customerUrl(survivor.server, 'bob', answer.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.nextMatching((f) => f.event === 'customer_entered');
    const acked: string[] = [];
    for (let i = 0; i < 10; i++) {
      acked.push((await sendAcked(customer, `c${i}`, `c${i}`)).neiRong);
      acked.push((await sendAcked(agent, `a${i}`, `a${i}`)).neiRong);
    }
    doomed.child.kill('SIGKILL');
    expect(await customer.nextMatching((f) => f.type === 'system', 10_000)).toMatchObject({ event: 'peer_away' });
    expect((await customer.nextMatching((f) => f.type === 'system', 10_000)).neiRong).toBe('客服-alice-已退出房间');
    expect((await customer.closed).code).toBe(1000);
    const list = (await (await fetch(`${survivor.server.httpUrl}/api/conversations`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })).json()) as {
      conversations: Array<{ id: string; endReason: string }>;
    };
    expect(list.conversations[0]?.endReason).toBe('agent_timeout');
    const messages = (await (
      await fetch(`${survivor.server.httpUrl}/api/conversations/${list.conversations[0]?.id}/messages`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })
    ).json()) as { messages: Array<{ content: string }> };
    expect(messages.messages.map((m) => m.content)).toEqual(acked);
  });
});

describe('Redis goes away and comes back', () => {
  it('answers sends with an error and no ack while down, reports it on /healthz, and recovers by itself', async () => {
    const port = await freePort();
    let redis = await spawnRedis(port);
    const cluster = clusterEnv({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_BURST: '1000', RATE_PER_SEC: '1000' });
    defer(async () => {
      await redis.stop();
    });
    const n1 = await start(cluster.env);
    const n2 = await start(cluster.env);
    const agent = track(await connectAgent(n2, 'alice'));
    const answer = await getRoom(n1, 'bob');
    const customer = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.next();
    await sendAcked(customer, 'before', 'c0');
    await agent.next();
    const token = resumeTokenOf(customer);

    await redis.stop();
    // Until the client notices the connection is gone a send may still fail either way; both are errors, never acks.
    const during = await sendAcked(customer, 'during the outage', 'c1');
    expect(during).toMatchObject({ type: 'error', error: 'unavailable', cid: 'c1' });
    const health = await fetch(`${n1.httpUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, dependencies: { registry: { state: 'down' } } });

    redis = await spawnRedis(port);
    // Both nodes ask their clients to come back once the bus is back (1013), then everyone resumes.
    expect((await customer.closed).code).toBe(1013);
    expect((await agent.closed).code).toBe(1013);
    await expect.poll(async () => (await fetch(`${n1.httpUrl}/healthz`)).status, { timeout: 10_000 }).toBe(200);
    const agentBack = track(connect(`${agentUrl(n2, 'alice')}&since=1`));
    expect(await agentBack.nextMatching((f) => f.event === 'resumed')).toMatchObject({ recovered: true, lastSeq: 1 });
    const customerBack = track(connect(resumeUrl(n1, 'bob', token, 1)));
    expect(await customerBack.nextMatching((f) => f.event === 'resumed')).toMatchObject({ recovered: true });
    expect(await sendAcked(customerBack, 'during the outage', 'c1')).toMatchObject({ seq: 2 });
    expect(await agentBack.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'during the outage', seq: 2 });
  }, 30_000);
});

describe('PostgreSQL goes away and comes back', () => {
  it('answers sends with store_failed and no ack while down, reports it on /healthz, and stores the resend after', async () => {
    const target = new URL(TEST_DATABASE_URL);
    const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    defer(() => proxy.close());
    target.port = String(proxy.port);
    const cluster = clusterEnv({ DATABASE_URL: target.toString(), RATE_BURST: '1000', RATE_PER_SEC: '1000' });
    // Cleanup talks to the database directly, not through the proxy.
    defer(cluster.drop);
    const node = await start(cluster.env);
    const agent = track(await connectAgent(node, 'alice'));
    const answer = await getRoom(node, 'bob');
    const customer = track(connect(customerUrl(node, 'bob', answer.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(await sendAcked(customer, 'before', 'c0')).toMatchObject({ seq: 1 });
    await agent.nextMatching((f) => f.type === 'message');

    await proxy.cut();
    expect(await sendAcked(customer, 'during the outage', 'c1')).toMatchObject({ type: 'error', error: 'store_failed', cid: 'c1' });
    const health = await fetch(`${node.httpUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, dependencies: { store: { kind: 'postgres', state: 'down' } } });
    // Nothing reached the agent: a message that was not stored is not relayed.
    expect(agent.unread()).toEqual([]);

    await proxy.restore();
    await expect.poll(async () => (await fetch(`${node.httpUrl}/healthz`)).status, { timeout: 10_000 }).toBe(200);
    expect(await sendAcked(customer, 'during the outage', 'c1')).toMatchObject({ type: 'message', seq: 2 });
    expect(await agent.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'during the outage', seq: 2 });
  }, 30_000);
});
