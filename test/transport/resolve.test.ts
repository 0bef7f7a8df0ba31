import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, getRoom, sendAcked, type Frame } from '../helpers/client.js';
import { listedConversation, openInbox, queueCustomer, seatCustomer, sendFrame, storedMessages } from '../helpers/inbox.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;
let server: TestServer;

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  server = await servers.start({ RATE_BURST: '1000', RATE_PER_SEC: '1000', RESERVATIONS_PER_ADDRESS: '100', ...env });
  return server;
}

describe('resolving a conversation', () => {
  it('lets the customer go while they are sending: every acked message is stored, agent_left resolved then close 1000, and the next waiting customer takes the slot', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 1, track);
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await queueCustomer(server, 'carol', track);
    const sent = 40;
    for (let i = 0; i < sent; i++) bob.client.send(`line ${i}`, { cid: `b${i}` });
    // Resolved mid-stream: as soon as the first of bob's lines reaches the agent.
    await alice.client.nextMatching((f) => f.type === 'message' && f.shuiFaDe === 'bob');
    sendFrame(alice.client, { type: 'resolve', conversationId: bob.conversationId });

    const closed = await bob.client.closed;
    expect(closed).toEqual({ code: 1000, reason: 'agent left' });
    const frames = bob.client.frames;
    const left = frames.findIndex((f) => f.event === 'agent_left');
    expect(frames[left]).toMatchObject({
      neiRong: '客服-Alice-已退出房间',
      shuiFaDe: '系统',
      agent: 'Alice',
      conversationId: bob.conversationId,
      resolved: true,
    });
    expect(frames[left + 1]).toMatchObject({ type: 'close', neiRong: 'close', shuiFaDe: 'code' });
    expect(frames.slice(left + 2)).toEqual([]);

    const acked = frames.filter((f) => f.type === 'message' && f.role === 'yonghu').map((f) => f.cid);
    expect(acked.length).toBeGreaterThan(0);
    const stored = await storedMessages(server, alice.cookie, bob.conversationId);
    const storedCids = new Set(stored.map((m) => m.cid));
    for (const cid of acked) expect(storedCids.has(cid as string)).toBe(true);
    // Stored in the order sent, with no gap.
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));

    expect(await alice.client.nextMatching((f) => f.event === 'conversation_resolved')).toMatchObject({
      conversationId: bob.conversationId,
      customer: 'bob',
      neiRong: '用户-bob-的会话已结束',
      shuiFaDe: '系统',
    });
    expect(await carol.client.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Alice' });
    expect(await alice.client.nextMatching((f) => f.event === 'customer_entered')).toMatchObject({ customer: 'carol' });
    expect(await listedConversation(server, alice.cookie, bob.conversationId)).toMatchObject({ endReason: 'resolved', endedAt: expect.any(Number) });
  });

  it('resolves one of several conversations and leaves the others going', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await seatCustomer(server, 'carol', track);
    sendFrame(alice.client, { type: 'resolve', conversationId: carol.conversationId });
    expect(await carol.client.nextMatching((f) => f.event === 'agent_left')).toMatchObject({ resolved: true });
    await alice.client.nextMatching((f) => f.event === 'conversation_resolved');
    // One seat left: the conversation may be left out again.
    expect(await sendAcked(alice.client, 'still with bob', 'a1')).toMatchObject({ type: 'message', conversationId: bob.conversationId });
    expect(await bob.client.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'still with bob' });
    // The freed slot takes the next customer at once.
    expect(await getRoom(server, 'dave')).toMatchObject({ room: true, kefuName: 'Alice' });
  });

  it('refuses a resolve of a conversation not seated with the agent, and one from a customer', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    sendFrame(alice.client, { type: 'resolve', conversationId: 'not-mine' });
    expect(await alice.client.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'unknown_conversation', conversationId: 'not-mine' });
    sendFrame(bob.client, { type: 'resolve', conversationId: bob.conversationId });
    expect(await bob.client.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'agents_only' });
    expect(await sendAcked(bob.client, 'still here', 'b1')).toMatchObject({ type: 'message', seq: 1 });
  });

  it('lets a seed agent resolve their one conversation without naming it', async () => {
    await start();
    const seed = track(await connectAgent(server, 'seed'));
    const bob = track(await connectCustomer(server, 'bob', seed));
    sendFrame(seed, { type: 'resolve' });
    expect(await bob.nextMatching((f: Frame) => f.event === 'agent_left')).toMatchObject({ agent: 'seed', resolved: true });
    expect((await bob.closed).code).toBe(1000);
    expect(await seed.nextMatching((f) => f.event === 'conversation_resolved')).toMatchObject({ customer: 'bob' });
  });
});

describe('agent status', () => {
  it('passes an away agent by, keeps their chats going, and back online gives them the head of the queue', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    sendFrame(alice.client, { type: 'status', status: 'away' });
    expect(await alice.client.nextMatching((f) => f.event === 'status')).toMatchObject({ status: 'away', neiRong: '状态:离开', shuiFaDe: '系统' });
    // A free slot, but the agent is away: the next customer waits.
    const carol = await queueCustomer(server, 'carol', track);
    expect(carol.position).toBe(1);
    // The chat already going goes on.
    await sendAcked(bob.client, 'are you there?', 'b1');
    expect(await alice.client.nextMatching((f) => f.type === 'message' && f.shuiFaDe === 'bob')).toMatchObject({ neiRong: 'are you there?' });
    sendFrame(alice.client, { type: 'status', status: 'online' });
    expect(await alice.client.nextMatching((f) => f.event === 'status')).toMatchObject({ status: 'online', neiRong: '状态:在线' });
    expect(await carol.client.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Alice' });
    expect(await alice.client.nextMatching((f) => f.event === 'customer_entered')).toMatchObject({ customer: 'carol' });
  });

  it('refuses a status that is neither online nor away with bad_status', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    sendFrame(alice.client, { type: 'status', status: 'busy' });
    expect(await alice.client.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'bad_status', neiRong: 'status 只能是 online 或 away' });
    expect(await getRoom(server, 'bob')).toMatchObject({ room: true, kefuName: 'Alice' });
  });
});
