import { describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, connectCustomer, getRoom, customerUrl, sendAcked, type Frame, type TestClient } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;
let server: TestServer;

const V2 = '&v=2';
const isPresence = (f: Frame) => f.type === 'presence';

async function start(env: Record<string, string> = {}) {
  server = await servers.start({ RATE_BURST: '1000', RATE_PER_SEC: '1000', ...env });
  return server;
}

/** Waits for a presence frame that satisfies `pred` (presence is sent whenever it changes). */
function presenceWhere(client: TestClient, pred: (f: Frame) => boolean): Promise<Frame> {
  return client.nextMatching((f) => isPresence(f) && pred(f));
}

const stateOf = (f: Frame, name: string) => (f.agents as Array<{ name: string; state: string }>).find((a) => a.name === name)?.state;

describe('typing', () => {
  it('relays a customer typing to a protocol-2 agent, at most once a second', async () => {
    await start();
    const agent = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', agent, V2));
    customer.sendRaw('{"type":"typing"}');
    customer.sendRaw('{"type":"typing"}');
    customer.sendRaw('{"type":"typing"}');
    await sendAcked(customer, 'after typing', 'm1');
    const got = await agent.nextMatching((f) => f.neiRong === 'after typing');
    const seen = agent.frames.filter((f) => f.type === 'typing');
    expect(seen).toEqual([expect.objectContaining({ type: 'typing', shuiFaDe: 'bob', role: 'yonghu', neiRong: '' })]);
    expect(got.seq).toBe(1);
  });

  it('never sends typing frames to a seed client, which would show them as empty lines', async () => {
    await start();
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent, V2));
    customer.sendRaw('{"type":"typing"}');
    await sendAcked(customer, 'hello', 'm1');
    await agent.nextMatching((f) => f.neiRong === 'hello');
    expect(agent.frames.some((f) => f.type === 'typing' || f.type === 'presence')).toBe(false);
  });
});

describe('typing limits', () => {
  it('does not spend the message budget on typing frames', async () => {
    await start({ RATE_BURST: '1', RATE_PER_SEC: '1' });
    const agent = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', agent, V2));
    customer.sendRaw('{"type":"typing"}');
    expect(await sendAcked(customer, 'right after typing', 'm1')).toMatchObject({ type: 'message', seq: 1 });
  });

  it('closes a connection that floods typing frames with 1008', async () => {
    await start({ ABUSE_BURST: '5' });
    const agent = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', agent, V2));
    for (let i = 0; i < 50; i++) customer.sendRaw('{"type":"typing"}');
    expect((await customer.closed).code).toBe(1008);
  });
});

describe('presence', () => {
  it('shows a protocol-2 agent every online agent, who is serving, and the queue, as it changes', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    expect(await presenceWhere(alice, (f) => f.online === 1)).toMatchObject({ shuiFaDe: '系统', agents: [{ name: 'alice', state: 'free' }], waiting: 0 });
    track(await connectAgent(server, 'dave'));
    await presenceWhere(alice, (f) => f.online === 2);
    const bob = track(await connectCustomer(server, 'bob'));
    const carol = track(await connectCustomer(server, 'carol'));
    const both = await presenceWhere(alice, (f) => stateOf(f, 'alice') === 'serving' && stateOf(f, 'dave') === 'serving');
    expect(both).toMatchObject({ online: 2, waiting: 0 });
    const erinTicket = await getRoom(server, 'erin');
    const erin = track(connect(customerUrl(server, 'erin', erinTicket.ticket as string)));
    expect(await presenceWhere(alice, (f) => f.waiting === 1)).toMatchObject({ neiRong: '在线客服 2 人,排队 1 人' });
    await erin.close();
    await presenceWhere(alice, (f) => f.waiting === 0);
    await bob.close();
    await carol.close();
  });

  it('marks an agent who dropped as away', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave'));
    await presenceWhere(alice, (f) => stateOf(f, 'dave') === 'free');
    dave.ws.terminate();
    expect(await presenceWhere(alice, (f) => stateOf(f, 'dave') === 'away')).toMatchObject({ online: 1 });
  });
});

describe('team channel', () => {
  it('delivers a team message to every protocol-2 agent and acks it to the sender, and to no customer', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave', V2));
    const customer = track(await connectCustomer(server, 'bob', undefined, V2));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: '谁能帮我看一下', cid: 't1' }));
    const ack = await alice.nextMatching((f) => f.cid === 't1');
    expect(ack).toMatchObject({ type: 'team', neiRong: '谁能帮我看一下', shuiFaDe: 'alice', id: expect.any(Number) });
    expect(await dave.nextMatching((f) => f.type === 'team')).toMatchObject({ neiRong: '谁能帮我看一下', shuiFaDe: 'alice', id: ack.id });
    await sendAcked(customer, 'ping', 'c1');
    expect(customer.frames.some((f) => f.type === 'team')).toBe(false);
  });

  it('delivers a private note only to its addressee and its sender', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave', V2));
    const erin = track(await connectAgent(server, 'erin', V2));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'just for dave', to: 'dave', cid: 'n1' }));
    expect(await dave.nextMatching((f) => f.type === 'team')).toMatchObject({ neiRong: 'just for dave', to: 'dave' });
    await alice.nextMatching((f) => f.cid === 'n1');
    erin.sendRaw(JSON.stringify({ type: 'team', neiRong: 'to all', cid: 'e1' }));
    await erin.nextMatching((f) => f.cid === 'e1');
    expect(erin.frames.filter((f) => f.type === 'team').map((f) => f.neiRong)).toEqual(['to all']);
  });

  it('refuses a note to an agent who is not online, and team frames from a customer', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'hello?', to: 'nobody', cid: 'x' }));
    expect(await alice.nextMatching((f) => f.cid === 'x')).toMatchObject({ type: 'error', error: 'agent_unavailable' });
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    customer.sendRaw(JSON.stringify({ type: 'team', neiRong: 'let me in', cid: 'y' }));
    expect(await customer.nextMatching((f) => f.cid === 'y')).toMatchObject({ type: 'error', error: 'agents_only' });
    customer.sendRaw(JSON.stringify({ type: 'transfer', to: 'alice' }));
    expect(await customer.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'agents_only' });
  });

  it('answers a resent team cid with the stored message, delivered once', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave', V2));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'once', cid: 'd' }));
    const first = await alice.nextMatching((f) => f.cid === 'd');
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'once', cid: 'd' }));
    expect(await alice.nextMatching((f) => f.cid === 'd' && f.duplicate === true)).toMatchObject({ id: first.id });
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'next', cid: 'e' }));
    await dave.nextMatching((f) => f.neiRong === 'next');
    expect(dave.frames.filter((f) => f.type === 'team').map((f) => f.neiRong)).toEqual(['once', 'next']);
  });

  it('gives an agent who connects the team history they may read', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave', V2));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'for all', cid: 'a' }));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'for dave', to: 'dave', cid: 'b' }));
    await dave.nextMatching((f) => f.neiRong === 'for dave');
    await alice.nextMatching((f) => f.cid === 'b');
    const erin = track(connect(agentUrl(server, 'erin') + V2));
    await erin.nextMatching((f) => f.event === 'room_opened');
    const history = await erin.nextMatching((f) => f.type === 'team');
    expect(history).toMatchObject({ neiRong: 'for all', replay: true });
    await dave.close();
    const back = track(connect(agentUrl(server, 'dave') + V2));
    await back.nextMatching((f) => f.neiRong === 'for dave' && f.replay === true);
    expect(back.frames.filter((f) => f.type === 'team').map((f) => f.neiRong)).toEqual(['for all', 'for dave']);
  });
});

describe('transfer', () => {
  it('hands the customer to a free agent who gets the whole conversation; the customer is told and keeps chatting', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    await sendAcked(customer, 'question one', 'q1');
    await sendAcked(alice, 'answer one', 'a1');
    const dave = track(await connectAgent(server, 'dave', V2));
    alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
    expect(await alice.nextMatching((f) => f.event === 'customer_transferred')).toMatchObject({
      neiRong: '用户-bob-已转接给客服-dave-',
      transferredTo: 'dave',
    });
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned' && f.transferredFrom === 'alice')).toMatchObject({
      neiRong: '客服-dave-将为您服务',
      agent: 'dave',
    });
    expect(await dave.nextMatching((f) => f.event === 'customer_entered')).toMatchObject({ neiRong: '用户-bob-已进入房间', transferredFrom: 'alice' });
    await dave.nextMatching((f) => f.neiRong === 'answer one');
    expect(dave.frames.filter((f) => f.type === 'message').map((f) => [f.neiRong, f.seq, f.replay])).toEqual([
      ['question one', 1, true],
      ['answer one', 2, true],
    ]);
    const ack = await sendAcked(customer, 'question two', 'q2');
    expect(ack.seq).toBe(3);
    expect(await dave.nextMatching((f) => f.neiRong === 'question two')).toMatchObject({ seq: 3 });
    expect(alice.frames.some((f) => f.neiRong === 'question two')).toBe(false);
    // alice is free again: the next customer is placed with her.
    track(await connectCustomer(server, 'carol', alice));
  });

  it('refuses a transfer to a busy or unknown agent, or without a customer, and keeps the customer', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const dave = track(await connectAgent(server, 'dave', V2));
    track(await connectCustomer(server, 'bob'));
    track(await connectCustomer(server, 'carol'));
    const entered = await Promise.all([alice, dave].map((a) => a.nextMatching((f) => f.event === 'customer_entered')));
    const withBob = entered[0]?.customer === 'bob' ? alice : dave;
    const other = withBob === alice ? 'dave' : 'alice';
    withBob.sendRaw(JSON.stringify({ type: 'transfer', to: other }));
    expect(await withBob.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'agent_unavailable' });
    withBob.sendRaw(JSON.stringify({ type: 'transfer', to: 'nobody' }));
    expect(await withBob.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'agent_unavailable' });
    withBob.sendRaw(JSON.stringify({ type: 'transfer', to: 'a\nb' }));
    expect(await withBob.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'bad_target' });
    const erin = track(await connectAgent(server, 'erin', V2));
    erin.sendRaw(JSON.stringify({ type: 'transfer', to: 'alice' }));
    expect(await erin.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'no_customer' });
  });
});

describe('back to the queue', () => {
  it('hands the customer back: they wait first in line, the agent is free, and the next agent gets the whole conversation', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    expect(await sendAcked(customer, '我的订单没到', 'c1')).toMatchObject({ seq: 1 });
    await alice.nextMatching((f) => f.neiRong === '我的订单没到');
    alice.sendRaw(JSON.stringify({ type: 'transfer' }));
    expect(await alice.nextMatching((f) => f.event === 'customer_requeued')).toMatchObject({ neiRong: '用户-bob-已转回排队', customer: 'bob' });
    const requeued = await customer.nextMatching((f) => f.event === 'requeued');
    expect(requeued).toMatchObject({ neiRong: '客服-alice-已将您转回排队,您当前排在第 1 位,请稍候', position: 1, agent: 'alice' });
    // While waiting the customer is answered by the bot, not relayed to alice.
    customer.send('营业时间', { cid: 'q1' });
    expect(await customer.nextMatching((f) => f.type === 'bot')).toMatchObject({ shuiFaDe: '小助手' });
    // alice takes the next new customer; bob is never handed back to her.
    const carol = track(await connectCustomer(server, 'carol', alice, V2));
    expect(carol.frames.find((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'alice' });
    const dave = track(connect(agentUrl(server, 'dave') + V2));
    const entered = await dave.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).toMatchObject({ customer: 'bob', conversationId: requeued.conversationId });
    expect(await dave.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: '我的订单没到', seq: 1, replay: true });
    expect(await customer.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'dave', conversationId: requeued.conversationId });
    // Same conversation, next seq.
    expect(await sendAcked(customer, '还在吗', 'c2')).toMatchObject({ seq: 2 });
    expect(await dave.nextMatching((f) => f.neiRong === '还在吗')).toMatchObject({ seq: 2 });
    const list = (await (await fetch(`${server.httpUrl}/api/conversations`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })).json()) as {
      conversations: Array<{ id: string; agent: string; customer: string }>;
    };
    expect(list.conversations.find((c) => c.id === requeued.conversationId)).toMatchObject({ agent: 'dave', customer: 'bob', endedAt: null });
  });

  it('ends the conversation of a handed-back customer who leaves the queue', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    alice.sendRaw(JSON.stringify({ type: 'transfer' }));
    const { conversationId } = await customer.nextMatching((f) => f.event === 'requeued');
    await customer.close(1000);
    await expect
      .poll(async () => {
        const res = await fetch(`${server.httpUrl}/api/conversations/${conversationId as string}/messages`, {
          headers: { Authorization: `Bearer ${TEST_KEY}` },
        });
        return ((await res.json()) as { conversation: { endReason: string | null } }).conversation.endReason;
      })
      .toBe('customer_left');
  });

  it('refuses to hand back a customer who dropped, or from an empty room', async () => {
    await start({ GRACE_MS: '60000' });
    const alice = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    customer.ws.terminate();
    await alice.nextMatching((f) => f.event === 'peer_away');
    alice.sendRaw(JSON.stringify({ type: 'transfer' }));
    expect(await alice.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'customer_away', neiRong: '用户暂时离开,回来后才能转回排队' });
    const dave = track(await connectAgent(server, 'dave', V2));
    dave.sendRaw(JSON.stringify({ type: 'transfer' }));
    expect(await dave.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'no_customer' });
  });
});

describe('unread while away', () => {
  it('tells an agent who comes back how many customer messages arrived meanwhile', async () => {
    await start();
    const alice = track(await connectAgent(server, 'alice', V2));
    const customer = track(await connectCustomer(server, 'bob', alice, V2));
    await sendAcked(customer, 'm1', 'c1');
    await alice.nextMatching((f) => f.neiRong === 'm1');
    alice.ws.terminate();
    await customer.nextMatching((f) => f.event === 'peer_away');
    await sendAcked(customer, 'm2', 'c2');
    await sendAcked(customer, 'm3', 'c3');
    const back = track(connect(`${agentUrl(server, 'alice')}${V2}&since=1`));
    expect(await back.nextMatching((f) => f.event === 'resumed')).toMatchObject({ recovered: true, unread: 2, lastSeq: 3 });
  });
});
