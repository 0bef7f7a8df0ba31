import { describe, expect, it } from 'vitest';
import { api, connectWithCookie } from '../helpers/accounts.js';
import { connectAgent, getRoom, sendAcked, type Frame, type TestClient } from '../helpers/client.js';
import { openInbox, queueCustomer, seatCustomer, sendFrame } from '../helpers/inbox.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;
let server: TestServer;

async function start(env: Record<string, string> = {}): Promise<TestServer> {
  server = await servers.start({ RATE_BURST: '1000', RATE_PER_SEC: '1000', RESERVATIONS_PER_ADDRESS: '100', ...env });
  return server;
}

const isMessage = (f: Frame) => f.type === 'message';

describe('an agent with several chats', () => {
  it('seats as many customers as the account takes, and routes each message by conversationId to its customer', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 3, track);
    expect(alice.opened).toMatchObject({ event: 'room_opened', capacity: 3, status: 'online' });
    expect(alice.inbox).toMatchObject({ type: 'inbox', conversations: [], capacity: 3, status: 'online', neiRong: '当前会话 0 个', shuiFaDe: '系统' });
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await seatCustomer(server, 'carol', track);
    const dave = await seatCustomer(server, 'dave', track);
    expect([bob.agent, carol.agent, dave.agent]).toEqual(['Alice', 'Alice', 'Alice']);
    expect(new Set([bob.conversationId, carol.conversationId, dave.conversationId]).size).toBe(3);
    // The room is full: the fourth waits.
    expect(await getRoom(server, 'erin')).toMatchObject({ room: false, position: 1 });

    const toCarol = await sendAcked(alice.client, 'for carol', 'a1');
    expect(toCarol).toMatchObject({ type: 'error', error: 'conversation_required', cid: 'a1' });
    alice.client.send('for carol', { cid: 'a2', conversationId: carol.conversationId });
    expect(await alice.client.nextMatching((f) => f.cid === 'a2')).toMatchObject({ seq: 1, conversationId: carol.conversationId });
    expect(await carol.client.nextMatching(isMessage)).toMatchObject({ neiRong: 'for carol', conversationId: carol.conversationId, seq: 1 });

    expect(await sendAcked(dave.client, 'from dave', 'd1')).toMatchObject({ seq: 1, conversationId: dave.conversationId });
    expect(await alice.client.nextMatching((f) => isMessage(f) && f.shuiFaDe === 'dave')).toMatchObject({ conversationId: dave.conversationId });

    // Only carol got alice's message; bob and dave got none.
    expect(bob.client.frames.filter(isMessage)).toEqual([]);
    expect(dave.client.frames.filter((f) => isMessage(f) && f.shuiFaDe === 'Alice')).toEqual([]);
  });

  it('refuses a frame that names no conversation with conversation_required, and one not seated with unknown_conversation, storing nothing', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    // One seat: the conversation may be left out.
    expect(await sendAcked(alice.client, 'only one', 'a1')).toMatchObject({ type: 'message', seq: 1, conversationId: bob.conversationId });
    const carol = await seatCustomer(server, 'carol', track);
    expect(await sendAcked(alice.client, 'which one?', 'a2')).toMatchObject({ type: 'error', error: 'conversation_required', cid: 'a2' });
    alice.client.send('nobody', { cid: 'a3', conversationId: 'no-such-conversation' });
    expect(await alice.client.nextMatching((f) => f.cid === 'a3')).toMatchObject({
      type: 'error',
      error: 'unknown_conversation',
      conversationId: 'no-such-conversation',
    });
    sendFrame(alice.client, { type: 'typing' });
    expect(await alice.client.nextMatching((f) => f.type === 'error' && f.cid === undefined)).toMatchObject({ error: 'conversation_required' });
    sendFrame(alice.client, { type: 'transfer', to: 'Dave' });
    expect(await alice.client.nextMatching((f) => f.type === 'error' && f.cid === undefined)).toMatchObject({ error: 'conversation_required' });
    // Nothing of it was stored: carol's first message is seq 1, and she never heard "which one?".
    alice.client.send('hello carol', { cid: 'a4', conversationId: carol.conversationId });
    expect(await carol.client.nextMatching(isMessage)).toMatchObject({ neiRong: 'hello carol', seq: 1 });
    expect(bob.client.frames.filter(isMessage).map((f) => f.neiRong)).toEqual(['only one']);
  });

  it('transfers the one conversation a frame names, and hands another back to the queue, leaving the rest seated', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 3, track);
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await seatCustomer(server, 'carol', track);
    const dave = await seatCustomer(server, 'dave', track);
    const erin = await openInbox(server, 'Erin', 1, track);
    sendFrame(alice.client, { type: 'transfer', to: 'Erin', conversationId: carol.conversationId });
    expect(await carol.client.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Erin', transferredFrom: 'Alice' });
    expect(await alice.client.nextMatching((f) => f.event === 'customer_transferred')).toMatchObject({
      customer: 'carol',
      conversationId: carol.conversationId,
    });
    expect(await erin.client.nextMatching((f) => f.event === 'customer_entered')).toMatchObject({ conversationId: carol.conversationId });
    // Erin is full now: a second transfer to her is refused, naming the conversation.
    sendFrame(alice.client, { type: 'transfer', to: 'Erin', conversationId: dave.conversationId });
    expect(await alice.client.nextMatching((f) => f.type === 'error')).toMatchObject({ error: 'agent_unavailable', conversationId: dave.conversationId });
    sendFrame(alice.client, { type: 'transfer', conversationId: dave.conversationId });
    expect(await dave.client.nextMatching((f) => f.event === 'requeued')).toMatchObject({ agent: 'Alice', conversationId: dave.conversationId });
    expect(await alice.client.nextMatching((f) => f.event === 'customer_requeued')).toMatchObject({ customer: 'dave', conversationId: dave.conversationId });
    // Bob, the one left, is still Alice's: her message needs no conversationId now.
    expect(await sendAcked(alice.client, 'just you now', 'a1')).toMatchObject({ type: 'message', conversationId: bob.conversationId });
    expect(await bob.client.nextMatching(isMessage)).toMatchObject({ neiRong: 'just you now' });
  });

  it('keeps a seed agent beside protocol-2 agents to one customer and exactly the seed notices', async () => {
    await start();
    const seed = track(await connectAgent(server, 'seed'));
    await openInbox(server, 'Alice', 2, track);
    const customers = [];
    for (const name of ['c1', 'c2', 'c3']) customers.push(await seatCustomer(server, name, track));
    expect(customers.filter((c) => c.agent === 'seed')).toHaveLength(1);
    expect(customers.filter((c) => c.agent === 'Alice')).toHaveLength(2);
    expect(await getRoom(server, 'c4')).toMatchObject({ room: false });
    const mine = customers.find((c) => c.agent === 'seed') as { client: TestClient };
    seed.send('hi there', { cid: 's1' });
    expect(await mine.client.nextMatching(isMessage)).toMatchObject({ neiRong: 'hi there', shuiFaDe: 'seed', seq: 1 });
    await seed.nextMatching((f) => f.cid === 's1');
    // What the seed console saw: the seed's notices and its own message, nothing of protocol 2.
    expect(seed.frames.map((f) => [f.type, f.event ?? null, f.neiRong])).toEqual([
      ['system', 'room_opened', '客服-seed-已上线,等待用户接入'],
      ['system', 'customer_entered', expect.stringMatching(/^用户-c\d-已进入房间$/)],
      ['message', null, 'hi there'],
    ]);
    expect(Object.keys(seed.frames[0] as Frame).sort()).toEqual(['agent', 'event', 'neiRong', 'shuiFaDe', 'ts', 'type']);
  });

  it('shows each agent’s status, chats and capacity in presence, and the customers waiting', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const agentOf = (f: Frame) => (f.agents as Array<Record<string, unknown>>).find((a) => a.name === 'Alice');
    await seatCustomer(server, 'bob', track);
    const one = await alice.client.nextMatching((f) => f.type === 'presence' && agentOf(f)?.chats === 1);
    expect(agentOf(one)).toEqual({ name: 'Alice', state: 'free', status: 'online', chats: 1, capacity: 2 });
    await seatCustomer(server, 'carol', track);
    await queueCustomer(server, 'dave', track);
    const full = await alice.client.nextMatching((f) => f.type === 'presence' && f.waiting === 1);
    expect(agentOf(full)).toEqual({ name: 'Alice', state: 'serving', status: 'online', chats: 2, capacity: 2 });
    expect(full.queue).toEqual([{ customer: 'dave', position: 1 }]);
    sendFrame(alice.client, { type: 'status', status: 'away' });
    const away = await alice.client.nextMatching((f) => f.type === 'presence' && agentOf(f)?.status === 'away');
    expect(agentOf(away)).toMatchObject({ state: 'serving', status: 'away', chats: 2 });
  });

  it('replays every seat’s missed messages, each with its conversationId, when an agent with several chats comes back', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await seatCustomer(server, 'carol', track);
    await sendAcked(bob.client, 'bob before', 'b1');
    await alice.client.nextMatching((f) => f.cid === 'b1');
    alice.client.ws.terminate();
    for (const c of [bob, carol]) {
      expect(await c.client.nextMatching((f) => f.event === 'peer_away')).toMatchObject({ peer: 'Alice', conversationId: c.conversationId });
    }
    await sendAcked(bob.client, 'bob while away', 'b2');
    await sendAcked(carol.client, 'carol while away', 'c1');

    const back = track(connectWithCookie(server, alice.cookie));
    const inbox = await back.nextMatching((f) => f.type === 'inbox');
    expect(inbox).toMatchObject({ capacity: 2, status: 'online', neiRong: '当前会话 2 个' });
    expect(inbox.conversations).toEqual([
      expect.objectContaining({ conversationId: bob.conversationId, customer: 'bob', away: false }),
      expect.objectContaining({ conversationId: carol.conversationId, customer: 'carol', away: false }),
    ]);
    const resumed = back.frames.filter((f) => f.event === 'resumed');
    expect(resumed.map((f) => [f.conversationId, f.recovered])).toEqual([
      [bob.conversationId, true],
      [carol.conversationId, true],
    ]);
    const replayed = back.frames.filter((f) => isMessage(f) && f.replay === true).map((f) => [f.conversationId, f.neiRong]);
    expect(replayed).toEqual([
      [bob.conversationId, 'bob before'],
      [bob.conversationId, 'bob while away'],
      [carol.conversationId, 'carol while away'],
    ]);
    expect(back.frames.some((f) => f.event === 'room_opened')).toBe(false);
    for (const c of [bob, carol]) {
      expect(await c.client.nextMatching((f) => f.event === 'peer_back')).toMatchObject({ peer: 'Alice', conversationId: c.conversationId });
    }
    back.send('still here', { cid: 'a1', conversationId: carol.conversationId });
    expect(await carol.client.nextMatching((f) => isMessage(f) && f.shuiFaDe === 'Alice')).toMatchObject({ neiRong: 'still here', seq: 2 });
  });

  it('hands every customer of an agent who signs out to the head of the queue in seat order, for the next agent', async () => {
    await start();
    const alice = await openInbox(server, 'Alice', 2, track);
    const bob = await seatCustomer(server, 'bob', track);
    const carol = await seatCustomer(server, 'carol', track);
    expect((await api(server, '/api/auth/sign-out', { method: 'POST', cookie: alice.cookie })).status).toBe(204);
    expect((await alice.client.closed).code).toBe(4403);
    expect(await bob.client.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 1, conversationId: bob.conversationId });
    expect(await carol.client.nextMatching((f) => f.event === 'requeued')).toMatchObject({ position: 2, conversationId: carol.conversationId });
    expect(bob.client.frames.find((f) => f.event === 'peer_away')).toMatchObject({ conversationId: bob.conversationId });
    const dave = await openInbox(server, 'Dave', 2, track);
    for (const c of [bob, carol]) {
      expect(await c.client.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Dave', conversationId: c.conversationId });
    }
    const entered = await dave.client.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).toMatchObject({ customer: 'bob', conversationId: bob.conversationId });
  });
});
