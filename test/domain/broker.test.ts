import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';

function setup(ttl = 60_000) {
  let now = 1_000;
  const broker = new Broker(new MemoryRoomRegistry(), { ticketTtlMs: ttl, now: () => now });
  return { broker, advance: (ms: number) => (now += ms) };
}

async function seated(broker: Broker) {
  const agent = await broker.admitAgent('a1', 'alice');
  const offer = await broker.requestRoom('bob');
  if (!agent.ok || !offer.room) throw new Error('setup failed');
  const customer = await broker.admitCustomer('c1', 'bob', offer.ticket);
  if (!customer.ok) throw new Error('setup failed');
  return { agent: agent.participant, customer: customer.participant, customerDeliveries: customer.deliveries };
}

describe('Broker', () => {
  it('tells the agent their room is open', async () => {
    const { broker } = setup();
    const a = await broker.admitAgent('a1', 'alice');
    expect(a.ok && a.deliveries).toEqual([{ to: ['a1'], event: { kind: 'room_opened', agent: 'alice' } }]);
  });

  it('offers no room when no agent is online', async () => {
    const { broker } = setup();
    expect(await broker.requestRoom('bob')).toEqual({ room: false });
  });

  it('offers a free agent with a long random ticket', async () => {
    const { broker } = setup();
    await broker.admitAgent('a1', 'alice');
    const offer = await broker.requestRoom('bob');
    expect(offer).toMatchObject({ room: true, kefuName: 'alice' });
    expect(offer.room && offer.ticket.length).toBeGreaterThanOrEqual(22);
  });

  it('announces a seated customer to both sides', async () => {
    const { broker } = setup();
    const { customerDeliveries } = await seated(broker);
    expect(customerDeliveries).toEqual([
      { to: ['c1'], event: { kind: 'agent_assigned', agent: 'alice' } },
      { to: ['a1'], event: { kind: 'customer_entered', customer: 'bob' } },
    ]);
  });

  it('echoes a message to its sender and relays it to the peer in one delivery', async () => {
    const { broker } = setup();
    const { customer } = await seated(broker);
    const [d] = await broker.send(customer, 'hi');
    expect(d?.to).toEqual(['c1', 'a1']);
    expect(d?.event).toMatchObject({ kind: 'message', sender: 'bob', role: 'yonghu', content: 'hi' });
  });

  it('only echoes when the agent is alone', async () => {
    const { broker } = setup();
    const a = await broker.admitAgent('a1', 'alice');
    if (!a.ok) throw new Error();
    const [d] = await broker.send(a.participant, 'anyone?');
    expect(d?.to).toEqual(['a1']);
  });

  it('frees the room when the customer leaves and tells the agent', async () => {
    const { broker } = setup();
    const { customer } = await seated(broker);
    expect(await broker.leave(customer)).toEqual([{ to: ['a1'], event: { kind: 'customer_left', customer: 'bob' } }]);
    expect(await broker.requestRoom('carol')).toMatchObject({ room: true, kefuName: 'alice' });
  });

  it('removes the room when the agent leaves and dismisses the customer', async () => {
    const { broker } = setup();
    const { agent } = await seated(broker);
    expect(await broker.leave(agent)).toEqual([
      { to: ['c1'], event: { kind: 'agent_left', agent: 'alice' } },
      { to: ['c1'], event: { kind: 'dismissed' } },
    ]);
    expect(await broker.requestRoom('carol')).toEqual({ room: false });
  });

  it('no longer relays from a customer whose agent left', async () => {
    const { broker } = setup();
    const { agent, customer } = await seated(broker);
    await broker.leave(agent);
    const [d] = await broker.send(customer, 'hello?');
    expect(d?.to).toEqual(['c1']);
  });

  it('refuses a second agent with the same name', async () => {
    const { broker } = setup();
    await broker.admitAgent('a1', 'alice');
    expect(await broker.admitAgent('a2', 'alice')).toEqual({ ok: false, refusal: 'name_taken' });
  });

  it('refuses unknown, reused, foreign and expired tickets', async () => {
    const { broker, advance } = setup(1000);
    await broker.admitAgent('a1', 'alice');
    expect(await broker.admitCustomer('x', 'bob', 'nope')).toEqual({ ok: false, refusal: 'unknown_ticket' });
    const offer = await broker.requestRoom('bob');
    if (!offer.room) throw new Error();
    expect(await broker.admitCustomer('x', 'mallory', offer.ticket)).toEqual({ ok: false, refusal: 'wrong_name' });
    expect((await broker.admitCustomer('c1', 'bob', offer.ticket)).ok).toBe(true);
    expect(await broker.admitCustomer('c2', 'bob', offer.ticket)).toEqual({ ok: false, refusal: 'unknown_ticket' });
    await broker.admitAgent('a2', 'dave');
    const late = await broker.requestRoom('carol');
    if (!late.room) throw new Error();
    advance(1000);
    expect(await broker.admitCustomer('c3', 'carol', late.ticket)).toEqual({ ok: false, refusal: 'expired_ticket' });
  });

  it('frees the agent again once a reservation expires unused', async () => {
    const { broker, advance } = setup(1000);
    await broker.admitAgent('a1', 'alice');
    expect((await broker.requestRoom('bob')).room).toBe(true);
    expect((await broker.requestRoom('carol')).room).toBe(false);
    advance(1001);
    expect(await broker.requestRoom('carol')).toMatchObject({ room: true, kefuName: 'alice' });
  });
});
