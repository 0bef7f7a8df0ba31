import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';
import type { Participant } from '../../src/domain/participant.js';
import type { Delivery } from '../../src/domain/roomEvent.js';
import { openMemoryStores } from '../../src/store/memory/stores.js';

function setup() {
  const stores = openMemoryStores();
  const broker = new Broker(new MemoryRoomRegistry(), stores, {
    ticketTtlMs: 60_000,
    graceMs: 60_000,
    queueMaxLength: 10,
    queueMaxWaitMs: 600_000,
    replayLimit: 1000,
    now: () => 1_000,
  });
  return { broker, stores };
}

async function agent(broker: Broker, name: string): Promise<Participant> {
  const a = await broker.admitAgent(`a-${name}`, name);
  if (!a.ok) throw new Error(a.refusal);
  return a.participant;
}

async function customer(broker: Broker, name: string): Promise<Participant> {
  const offer = await broker.requestRoom(name);
  if ('full' in offer) throw new Error('full');
  const c = await broker.admitCustomer(`c-${name}`, name, offer.ticket);
  if (!c.ok) throw new Error(c.refusal);
  return c.participant;
}

const kinds = (ds: Delivery[]) => ds.map((d) => `${d.to.join('+')}:${d.event.kind}`);

describe('Broker: an agent whose access was revoked', () => {
  it('hands their customer, told the agent is away, to the next free agent, and closes the room', async () => {
    const { broker, stores } = setup();
    const alice = await agent(broker, 'alice');
    await customer(broker, 'bob');
    await agent(broker, 'carol');
    const out = await broker.revokeAgent(alice);
    expect(kinds(out)).toEqual(['c-bob:peer_away', 'c-bob:requeued', 'c-bob:agent_assigned', 'a-carol:customer_entered']);
    expect(out[0]?.event).toMatchObject({ peer: 'alice', role: 'kefu' });
    // The conversation goes on with carol; alice's name is free again.
    const assigned = out[2]?.event as { conversationId: string };
    const conversation = await stores.conversations.getConversation(assigned.conversationId);
    expect(conversation).toMatchObject({ agent: 'carol', endedAt: null });
    expect((await broker.admitAgent('a-alice-2', 'alice')).ok).toBe(true);
  });

  it('puts the customer at the head of the queue, ahead of those who waited, while nobody is free', async () => {
    const { broker } = setup();
    const alice = await agent(broker, 'alice');
    await customer(broker, 'bob');
    const offer = await broker.requestRoom('dave');
    if ('full' in offer) throw new Error('full');
    await broker.admitCustomer('c-dave', 'dave', offer.ticket);
    const out = await broker.revokeAgent(alice);
    expect(kinds(out)).toEqual(['c-bob:peer_away', 'c-bob:requeued', 'c-dave:queue_position']);
    expect(out[1]?.event).toMatchObject({ position: 1 });
    expect(out[2]?.event).toMatchObject({ position: 2 });
  });

  it('ends the chat of a customer who is away themselves (a place in the queue needs a connection)', async () => {
    const { broker, stores } = setup();
    const alice = await agent(broker, 'alice');
    const bob = await customer(broker, 'bob');
    await broker.leave(bob, 'dropped');
    const out = await broker.revokeAgent(alice);
    expect(kinds(out)).toEqual([]);
    const page = await stores.conversations.listConversations(10);
    expect(page.conversations[0]).toMatchObject({ endReason: 'agent_left' });
  });

  it('just leaves when nobody is in the room', async () => {
    const { broker } = setup();
    const alice = await agent(broker, 'alice');
    expect(await broker.revokeAgent(alice)).toEqual([]);
    expect((await broker.admitAgent('a-alice-2', 'alice')).ok).toBe(true);
  });
});

describe('Broker: an agent away (dropped, within grace) whose access was revoked', () => {
  it('hands their customer to the next free agent at once and closes the room, once', async () => {
    const { broker, stores } = setup();
    const alice = await agent(broker, 'alice');
    await customer(broker, 'bob');
    await broker.leave(alice, 'dropped');
    await agent(broker, 'carol');
    const out = await broker.revokeAwayAgent('alice');
    expect(kinds(out)).toEqual(['c-bob:requeued', 'c-bob:agent_assigned', 'a-carol:customer_entered']);
    const assigned = out[1]?.event as { conversationId: string };
    expect(await stores.conversations.getConversation(assigned.conversationId)).toMatchObject({ agent: 'carol', endedAt: null });
    // A second node hearing the same revocation finds nothing left to do.
    expect(await broker.revokeAwayAgent('alice')).toEqual([]);
    // The room held for alice is gone: coming back opens a new, empty one.
    const back = await broker.admitAgent('a-alice-2', 'alice');
    expect(back.ok && back.deliveries.map((d) => d.event.kind)).toEqual(['room_opened']);
  });

  it('puts the customer at the head of the queue, ahead of those who waited, while nobody is free', async () => {
    const { broker } = setup();
    const alice = await agent(broker, 'alice');
    await customer(broker, 'bob');
    const offer = await broker.requestRoom('dave');
    if ('full' in offer) throw new Error('full');
    await broker.admitCustomer('c-dave', 'dave', offer.ticket);
    await broker.leave(alice, 'dropped');
    const out = await broker.revokeAwayAgent('alice');
    expect(kinds(out)).toEqual(['c-bob:requeued', 'c-dave:queue_position']);
    expect(out[0]?.event).toMatchObject({ position: 1 });
    expect(out[1]?.event).toMatchObject({ position: 2 });
  });

  it('ends the chat of a customer who is away too', async () => {
    const { broker, stores } = setup();
    const alice = await agent(broker, 'alice');
    const bob = await customer(broker, 'bob');
    await broker.leave(alice, 'dropped');
    await broker.leave(bob, 'dropped');
    expect(await broker.revokeAwayAgent('alice')).toEqual([]);
    const page = await stores.conversations.listConversations(10);
    expect(page.conversations[0]).toMatchObject({ endReason: 'agent_left' });
  });

  it('leaves a connected agent to the revocation of their socket', async () => {
    const { broker } = setup();
    await agent(broker, 'alice');
    await customer(broker, 'bob');
    expect(await broker.revokeAwayAgent('alice')).toEqual([]);
  });
});
