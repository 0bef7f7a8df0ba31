import { describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf, resumeUrl, sendAcked } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

/** Two nodes sharing one Redis prefix and one Postgres schema. */
async function twoNodes(extra: Record<string, string> = {}): Promise<[TestServer, TestServer]> {
  const cluster = clusterEnv({ RATE_BURST: '1000', RATE_PER_SEC: '1000', ...extra });
  defer(cluster.drop);
  const a = await start(cluster.env);
  const b = await start(cluster.env);
  return [a, b];
}

describe('two nodes', () => {
  it('carries team messages, presence and a transfer between agents on different nodes', async () => {
    const [n1, n2] = await twoNodes();
    const alice = track(await connectAgent(n1, 'alice', '&v=2'));
    const answer = await getRoom(n1, 'bob');
    const customer = track(connect(`${customerUrl(n1, 'bob', answer.ticket as string)}&v=2`));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await alice.nextMatching((f) => f.event === 'customer_entered');
    await sendAcked(customer, 'before the transfer', 'c1');
    const dave = track(await connectAgent(n2, 'dave', '&v=2'));
    // Presence on node 2 sees alice serving on node 1.
    await dave.nextMatching((f) => f.type === 'presence' && JSON.stringify(f.agents).includes('"name":"alice","state":"serving"'));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'dave, can you take bob?', cid: 't1' }));
    expect(await dave.nextMatching((f) => f.type === 'team')).toMatchObject({ shuiFaDe: 'alice', neiRong: 'dave, can you take bob?' });
    alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'dave', transferredFrom: 'alice' });
    expect(await dave.nextMatching((f) => f.neiRong === 'before the transfer')).toMatchObject({ seq: 1, replay: true });
    expect(await sendAcked(customer, 'after the transfer', 'c2')).toMatchObject({ seq: 2 });
    expect(await dave.nextMatching((f) => f.type === 'message' && f.replay === undefined)).toMatchObject({ neiRong: 'after the transfer', seq: 2 });
  });

  it('keeps the queue place of a customer who dropped on node 1 and comes back on node 2, then seats them with an agent on node 1', async () => {
    const [n1, n2] = await twoNodes({ GRACE_MS: '60000' });
    const answer = await getRoom(n1, 'bob');
    const bob = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    expect(await bob.nextMatching((f) => f.event === 'queue_position')).toMatchObject({ position: 1 });
    const carolTicket = await getRoom(n1, 'carol');
    const carol = track(connect(customerUrl(n1, 'carol', carolTicket.ticket as string)));
    expect(await carol.nextMatching((f) => f.event === 'queue_position')).toMatchObject({ position: 2 });
    const token = resumeTokenOf(bob);
    bob.ws.terminate();
    await bob.closed;
    const back = track(connect(resumeUrl(n2, 'bob', token)));
    expect(await back.next()).toMatchObject({ event: 'queue_position', position: 1, resume: token });
    track(await connectAgent(n1, 'alice'));
    expect(await back.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-alice-将为您服务' });
    expect(await carol.nextMatching((f) => f.event === 'queue_position')).toMatchObject({ position: 1 });
  });

  it('answers a customer waiting on node 1 with the bot, and carries an offline message to agents on node 2', async () => {
    const [n1, n2] = await twoNodes();
    const answer = await getRoom(n1, 'bob');
    expect(answer).toMatchObject({ room: false, agentsOnline: 0 });
    const bob = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    await bob.nextMatching((f) => f.event === 'queue_position');
    bob.send('营业时间');
    expect(await bob.nextMatching((f) => f.type === 'bot')).toMatchObject({ matched: true, shuiFaDe: '小助手' });
    const left = await fetch(`${n1.httpUrl}/api/offline-messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bob', contact: 'bob@example.com', content: 'call me' }),
    });
    expect(left.status).toBe(201);
    // The next agent, on the other node, finds it in PostgreSQL.
    const alice = track(await connectAgent(n2, 'alice', '&v=2'));
    expect(await alice.nextMatching((f) => f.type === 'offline_messages')).toMatchObject({ offlineMessages: [{ name: 'bob', content: 'call me' }] });
    // One left while alice is online, on node 1, reaches her on node 2 at once.
    await fetch(`${n1.httpUrl}/api/offline-messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'carol', contact: '13800138000', content: 'me too' }),
    });
    expect(await alice.nextMatching((f) => f.type === 'offline_messages')).toMatchObject({ live: true, offlineMessages: [{ name: 'carol' }] });
  });

  it('places a customer on node 1 with an agent on node 2 and relays both ways with acks', async () => {
    const [n1, n2] = await twoNodes();
    const agent = track(await connectAgent(n2, 'alice', '&avatar=owl'));
    const answer = await getRoom(n1, 'bob');
    expect(answer).toMatchObject({ room: true, kefuName: 'alice' });
    const customer = track(connect(`${customerUrl(n1, 'bob', answer.ticket as string)}&avatar=panda`));
    // Each side's avatar crosses nodes through the shared profile directory.
    expect(await customer.next()).toMatchObject({ neiRong: '客服-alice-将为您服务', avatar: 'owl' });
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已进入房间', avatar: 'panda' });
    expect(await sendAcked(customer, 'from node 1', 'c1')).toMatchObject({ seq: 1 });
    expect(await agent.next()).toMatchObject({ neiRong: 'from node 1', seq: 1, shuiFaDe: 'bob' });
    expect(await sendAcked(agent, 'from node 2', 'a1')).toMatchObject({ seq: 2 });
    expect(await customer.next()).toMatchObject({ neiRong: 'from node 2', seq: 2 });
  });

  it('resumes a customer who drops on node 1 and comes back on node 2', async () => {
    const [n1, n2] = await twoNodes();
    const agent = track(await connectAgent(n1, 'alice'));
    const answer = await getRoom(n1, 'bob');
    const customer = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.next();
    const token = resumeTokenOf(customer);
    customer.ws.terminate();
    expect((await agent.next()).event).toBe('peer_away');
    await sendAcked(agent, 'while you were away', 'a1');
    const back = track(connect(resumeUrl(n2, 'bob', token, 0)));
    expect(await back.nextMatching((f) => f.event === 'resumed')).toMatchObject({ recovered: true, lastSeq: 1 });
    expect(await back.next()).toMatchObject({ neiRong: 'while you were away', replay: true });
    expect((await agent.next()).event).toBe('peer_back');
    await sendAcked(back, 'back on node 2', 'c1');
    expect((await agent.next()).neiRong).toBe('back on node 2');
  });

  it('queues on one node and places with an agent who comes online on the other', async () => {
    const [n1, n2] = await twoNodes();
    const answer = await getRoom(n1, 'bob');
    expect(answer).toMatchObject({ room: false, position: 1 });
    const waiting = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    expect((await waiting.next()).event).toBe('queue_position');
    const agent = track(await connectAgent(n2, 'alice'));
    expect((await waiting.next()).neiRong).toBe('客服-alice-将为您服务');
    expect((await agent.next()).neiRong).toBe('用户-bob-已进入房间');
    await waiting.close(1000);
    expect((await agent.next()).neiRong).toBe('用户-bob-已退出房间');
  });

  it('dismisses the customer on node 1 when the agent on node 2 leaves', async () => {
    const [n1, n2] = await twoNodes();
    const agent = track(await connectAgent(n2, 'alice'));
    const answer = await getRoom(n1, 'bob');
    const customer = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    await customer.next();
    await agent.close(1000);
    expect((await customer.next()).neiRong).toBe('客服-alice-已退出房间');
    expect(await customer.next()).toMatchObject({ neiRong: 'close', shuiFaDe: 'code' });
    expect((await customer.closed).code).toBe(1000);
  });

  it('refuses a second agent with a name online on the other node (4409)', async () => {
    const [n1, n2] = await twoNodes();
    track(await connectAgent(n1, 'alice'));
    const dup = track(connect(`${n2.wsUrl}/?type=kefu&name=alice&key=${TEST_KEY}`));
    expect((await dup.closed).code).toBe(4409);
  });

  it('never puts two customers in one room when both nodes race for placements', async () => {
    // One test client asks for all of them: its share of reservations must not be what limits placement here.
    const [n1, n2] = await twoNodes({ QUEUE_MAX: '1000', RESERVATIONS_PER_ADDRESS: '100' });
    for (let i = 0; i < 4; i++) track(await connectAgent(i % 2 ? n1 : n2, `agent${i}`));
    const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => getRoom(i % 2 ? n1 : n2, `c${i}`)));
    const placed = answers.filter((a) => a.room).map((a) => a.kefuName);
    expect(placed.sort()).toEqual(['agent0', 'agent1', 'agent2', 'agent3']);
    // The others connect with their queue tickets to either node at once: each takes one place.
    const positions = await Promise.all(
      answers.flatMap((a, i) => {
        if (a.room) return [];
        const node = i % 3 ? n1 : n2;
        const c = track(connect(`${node.wsUrl}/?type=yonghu&name=c${i}&ticket=${encodeURIComponent(a.ticket as string)}`));
        return [c.nextMatching((f) => f.event === 'queue_position').then((f) => f.position as number)];
      }),
    );
    expect(positions.sort((x, y) => x - y)).toEqual(Array.from({ length: 76 }, (_, i) => i + 1));
  });

  it('reports its dependencies on /healthz and counts on /metrics', async () => {
    const [n1] = await twoNodes();
    track(await connectAgent(n1, 'alice'));
    const health = await (await fetch(`${n1.httpUrl}/healthz`)).json();
    expect(health).toMatchObject({
      ok: true,
      dependencies: { registry: { kind: 'redis', state: 'ok' }, store: { kind: 'postgres', state: 'ok' }, bus: { kind: 'redis', state: 'ok' } },
    });
    const metrics = await (await fetch(`${n1.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^kefu_connections\{role="kefu"\} 1$/m);
    expect(metrics).toMatch(/^kefu_rooms 1$/m);
  });
});
