import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../../src/cluster/memoryRoomRegistry.js';
import { Broker } from '../../src/domain/broker.js';
import { parseFaq, type Faq } from '../../src/domain/faq.js';
import type { Participant } from '../../src/domain/participant.js';
import type { Delivery } from '../../src/domain/roomEvent.js';
import type { ConversationStore, NewMessage } from '../../src/store/conversationStore.js';
import type { SqliteConversationStore } from '../../src/store/sqlite/conversationStore.js';
import { openSqliteStores } from '../../src/store/sqlite/stores.js';

const botFaq = parseFaq({ fallback: '请稍候', entries: [{ keywords: ['营业时间'], answer: '9:00-21:00' }] });
if (!botFaq.ok) throw new Error(botFaq.error);

function setup(options: { ttl?: number; grace?: number; queueMax?: number; replayLimit?: number; faq?: Faq } = {}) {
  let now = 1_000;
  const stores = openSqliteStores(':memory:');
  const broker = new Broker(new MemoryRoomRegistry(), stores, {
    ticketTtlMs: options.ttl ?? 60_000,
    graceMs: options.grace ?? 60_000,
    queueMaxLength: options.queueMax ?? 10,
    queueMaxWaitMs: 600_000,
    replayLimit: options.replayLimit ?? 1000,
    faq: () => options.faq ?? (botFaq.ok ? botFaq.faq : ({} as never)),
    now: () => now,
  });
  return { broker, stores, store: stores.conversations, advance: (ms: number) => (now += ms) };
}

function admitted(a: Awaited<ReturnType<Broker['admitAgent']>>): { participant: Participant; deliveries: Delivery[] } {
  if (!a.ok) throw new Error(`refused: ${a.refusal}`);
  return a;
}

async function seated(broker: Broker, agentName = 'alice', customerName = 'bob') {
  const agent = admitted(await broker.admitAgent(`a-${agentName}`, agentName)).participant;
  const offer = await broker.requestRoom(customerName);
  if (!offer.room) throw new Error('no room');
  const c = admitted(await broker.admitCustomer(`c-${customerName}`, customerName, offer.ticket));
  const first = c.deliveries[0]?.event;
  const resume = first?.kind === 'agent_assigned' ? (first.resume as string) : '';
  const conversationId = first?.kind === 'agent_assigned' ? first.conversationId : '';
  return { agent, customer: c.participant, deliveries: c.deliveries, resume, conversationId };
}

const kinds = (ds: Delivery[]) => ds.map((d) => `${d.to.join('+')}:${d.event.kind}`);

describe('Broker: placement', () => {
  it('tells the agent their room is open', async () => {
    const { broker } = setup();
    expect(admitted(await broker.admitAgent('a1', 'alice')).deliveries).toEqual([{ to: ['a1'], event: { kind: 'room_opened', agent: 'alice' } }]);
  });

  it('offers a free agent with a long random ticket', async () => {
    const { broker } = setup();
    await broker.admitAgent('a1', 'alice');
    const offer = await broker.requestRoom('bob');
    expect(offer).toMatchObject({ room: true, kefuName: 'alice' });
    expect(offer.room && offer.ticket.length).toBeGreaterThanOrEqual(22);
  });

  it('announces a seated customer to both sides and gives the customer a resume token', async () => {
    const { broker, store } = setup();
    const { deliveries, resume } = await seated(broker);
    expect(kinds(deliveries)).toEqual(['c-bob:agent_assigned', 'a-alice:customer_entered']);
    expect(resume.length).toBeGreaterThanOrEqual(32);
    const page = await store.listConversations(10);
    expect(page.conversations).toMatchObject([{ agent: 'alice', customer: 'bob', endedAt: null }]);
  });

  it('queues customers who connect when no agent is free and says full past the bound', async () => {
    const { broker } = setup({ queueMax: 2 });
    const waitFor = async (name: string, session: string, position: number) => {
      const offer = await broker.requestRoom(name);
      expect(offer).toMatchObject({ room: false, position });
      if (offer.room || !('ticket' in offer)) throw new Error();
      expect(admitted(await broker.admitCustomer(session, name, offer.ticket)).deliveries[0]?.event).toMatchObject({ kind: 'queue_position', position });
    };
    await waitFor('a', 'c1', 1);
    await waitFor('b', 'c2', 2);
    expect(await broker.requestRoom('c')).toEqual({ room: false, full: true, agentsOnline: 0 });
  });

  it('seats the first waiting customer with an agent who comes online', async () => {
    const { broker } = setup();
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error();
    const waiting = admitted(await broker.admitCustomer('c1', 'bob', offer.ticket));
    expect(waiting.participant.room).toBeUndefined();
    expect(waiting.deliveries[0]?.event).toMatchObject({ kind: 'queue_position', position: 1 });
    const agent = admitted(await broker.admitAgent('a1', 'alice'));
    expect(kinds(agent.deliveries)).toEqual(['a1:room_opened', 'c1:agent_assigned', 'a1:customer_entered']);
  });

  it('refuses a second agent with the same name', async () => {
    const { broker } = setup();
    await broker.admitAgent('a1', 'alice');
    expect(await broker.admitAgent('a2', 'alice')).toEqual({ ok: false, refusal: 'name_taken' });
  });

  it('refuses unknown, reused, foreign and expired tickets', async () => {
    const { broker, advance } = setup({ ttl: 1000 });
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
});

describe('Broker: messages', () => {
  it('stores a message and delivers one event to sender and peer with id, seq and cid', async () => {
    const { broker } = setup();
    const { customer } = await seated(broker);
    const [d] = await broker.postMessage(customer, 'hi', 'c-1');
    expect(d?.to).toEqual(['c-bob', 'a-alice']);
    expect(d?.event).toMatchObject({ kind: 'message', sender: 'bob', role: 'yonghu', content: 'hi', seq: 1, cid: 'c-1' });
  });

  it('acks a resent cid again with the original id and seq and does not relay it twice', async () => {
    const { broker } = setup();
    const { customer } = await seated(broker);
    const [first] = await broker.postMessage(customer, 'hi', 'c-1');
    const [again] = await broker.postMessage(customer, 'hi', 'c-1');
    expect(again?.to).toEqual(['c-bob']);
    expect(again?.event).toMatchObject({ duplicate: true, seq: 1, id: (first?.event as { id: number } | undefined)?.id });
    const [next] = await broker.postMessage(customer, 'next', 'c-2');
    expect(next?.event).toMatchObject({ seq: 2 });
  });

  it('keeps cids of the two sides apart', async () => {
    const { broker } = setup();
    const { agent, customer } = await seated(broker);
    await broker.postMessage(customer, 'from bob', '1');
    const [d] = await broker.postMessage(agent, 'from alice', '1');
    expect(d?.event).toMatchObject({ seq: 2, content: 'from alice' });
    expect(d?.to).toEqual(['a-alice', 'c-bob']);
  });

  it('only echoes, unstored, a message from an agent alone in the room', async () => {
    const { broker } = setup();
    const a = admitted(await broker.admitAgent('a1', 'alice'));
    const [d] = await broker.postMessage(a.participant, 'anyone?', 'x');
    expect(d).toEqual({ to: ['a1'], event: { kind: 'message', sender: 'alice', role: 'kefu', content: 'anyone?', ts: 1000, cid: 'x' } });
  });

  it("echoes a waiting customer's question, unstored, and has the bot answer it from the FAQ", async () => {
    const { broker } = setup();
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error();
    expect(offer).toMatchObject({ position: 1, agentsOnline: 0 });
    const w = admitted(await broker.admitCustomer('c1', 'bob', offer.ticket));
    expect(await broker.postMessage(w.participant, '营业时间?', 'q1')).toEqual([
      { to: ['c1'], event: { kind: 'message', sender: 'bob', role: 'yonghu', content: '营业时间?', ts: 1000, cid: 'q1' } },
      { to: ['c1'], event: { kind: 'bot', content: '9:00-21:00', matched: true, ts: 1000 } },
    ]);
  });

  it("brings a queued customer's questions to the bot to the agent who takes them, after customer_entered", async () => {
    const { broker } = setup();
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error();
    const w = admitted(await broker.admitCustomer('c1', 'bob', offer.ticket));
    await broker.postMessage(w.participant, '营业时间');
    const a = admitted(await broker.admitAgent('a1', 'alice'));
    expect(kinds(a.deliveries)).toEqual(['a1:room_opened', 'c1:agent_assigned', 'a1:customer_entered', 'a1:bot_history']);
    expect(a.deliveries[3]?.event).toEqual({
      kind: 'bot_history',
      customer: 'bob',
      conversationId: w.participant.conversationId,
      exchanges: [{ question: '营业时间', answer: '9:00-21:00', matched: true, ts: 1000 }],
    });
  });

  it('gives the fallback with the queue position and how many agents are online when nothing matches', async () => {
    const { broker } = setup();
    const alice = admitted(await broker.admitAgent('a1', 'alice')).participant;
    const first = await broker.requestRoom('first');
    if (!first.room) throw new Error();
    admitted(await broker.admitCustomer('c0', 'first', first.ticket));
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error();
    expect(offer).toMatchObject({ position: 1, agentsOnline: 1 });
    const w = admitted(await broker.admitCustomer('c1', 'bob', offer.ticket));
    const [, answer] = await broker.postMessage(w.participant, 'hello?');
    expect(answer).toEqual({ to: ['c1'], event: { kind: 'bot', content: '请稍候', matched: false, ts: 1000, position: 1, agentsOnline: 1 } });
    // The agent has gone: the fallback says so (no agent at all).
    await broker.leave(alice, 'deliberate');
    const [, again] = await broker.postMessage(w.participant, 'hello?');
    expect(again?.event).toMatchObject({ kind: 'bot', matched: false, agentsOnline: 0 });
  });

  it('gives a new agent the open offline messages right after their room opens, and tells agents online of a new one', async () => {
    const { broker, stores } = setup();
    const left = await broker.leaveOfflineMessage({ name: 'bob', contact: 'bob@example.com', content: 'call me' });
    expect(left.deliveries).toEqual([]);
    const a = admitted(await broker.admitAgent('a1', 'alice'));
    expect(kinds(a.deliveries)).toEqual(['a1:room_opened', 'a1:offline_messages']);
    expect(a.deliveries[1]?.event).toMatchObject({ messages: [{ name: 'bob', contact: 'bob@example.com', content: 'call me', createdAt: 1000 }] });
    const live = await broker.leaveOfflineMessage({ name: 'carol', contact: '13800138000', content: 'hi' });
    expect(live.deliveries).toEqual([{ to: ['a1'], event: { kind: 'offline_messages', messages: [live.message], live: true } }]);
    await stores.offlineMessages.markOfflineMessageHandled(left.message.id, 'alice', 1000);
    await stores.offlineMessages.markOfflineMessageHandled(live.message.id, 'alice', 1000);
    expect(kinds(admitted(await broker.admitAgent('a2', 'dave')).deliveries)).toEqual(['a2:room_opened']);
  });

  it('relays to the peer\u2019s new connection when the peer came back while the message was being stored', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    // A store that takes its time, as PostgreSQL does: the append lands when the test says so.
    const inner = openSqliteStores(':memory:');
    const slow: ConversationStore = Object.assign(Object.create(inner.conversations) as SqliteConversationStore, {
      appendMessage: (m: NewMessage) => gate.then(() => inner.conversations.appendMessage(m)),
    });
    const broker = new Broker(
      new MemoryRoomRegistry(),
      { ...inner, conversations: slow },
      {
        ticketTtlMs: 60_000,
        graceMs: 60_000,
        queueMaxLength: 10,
        queueMaxWaitMs: 600_000,
        replayLimit: 1000,
      },
    );
    const { agent, customer, resume } = await seated(broker);
    await broker.leave(customer, 'dropped');
    const sending = broker.postMessage(agent, 'while you were away');
    const back = admitted(await broker.resumeCustomer('c2', 'bob', resume, 0));
    expect(back.deliveries.some((d) => d.event.kind === 'message')).toBe(false);
    open();
    const [d] = await sending;
    expect(d?.to).toEqual(['a-alice', 'c2']);
  });

  it('numbers a sender\u2019s messages in the order they came when their room lookups answer out of order', async () => {
    const registry = new MemoryRoomRegistry();
    const stores = openSqliteStores(':memory:');
    const broker = new Broker(registry, stores, { ticketTtlMs: 60_000, graceMs: 60_000, queueMaxLength: 10, queueMaxWaitMs: 600_000, replayLimit: 1000 });
    const { customer } = await seated(broker);
    // The first message's lookup answers only once the second's has: as two registry round trips may.
    const getRoom = registry.getRoom.bind(registry);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let lookups = 0;
    registry.getRoom = async (agent) => {
      const n = ++lookups;
      if (n === 1) await held;
      const view = await getRoom(agent);
      if (n === 2) release();
      return view;
    };
    const first = broker.postMessage(customer, 'one', 'c1');
    const second = broker.postMessage(customer, 'two', 'c2');
    expect((await first)[0]?.event).toMatchObject({ kind: 'message', content: 'one', seq: 1 });
    expect((await second)[0]?.event).toMatchObject({ kind: 'message', content: 'two', seq: 2 });
  });

  it('answers unavailable, with the cid and nothing stored, when the registry throws', async () => {
    const registry = new MemoryRoomRegistry();
    const stores = openSqliteStores(':memory:');
    const broker = new Broker(registry, stores, { ticketTtlMs: 60_000, graceMs: 60_000, queueMaxLength: 10, queueMaxWaitMs: 600_000, replayLimit: 1000 });
    const { customer } = await seated(broker);
    registry.getRoom = () => {
      throw new Error('registry broken');
    };
    expect(await broker.postMessage(customer, 'lost?', 'z')).toEqual([{ to: ['c-bob'], event: { kind: 'refused', error: 'unavailable', cid: 'z' } }]);
    expect((await stores.conversations.listConversations(1)).conversations[0]?.messageCount).toBe(0);
  });

  it('answers store_failed, with no ack, when the store cannot take the message', async () => {
    const { broker, stores } = setup();
    const { customer } = await seated(broker);
    await stores.close();
    expect(await broker.postMessage(customer, 'lost?', 'z')).toEqual([{ to: ['c-bob'], event: { kind: 'refused', error: 'store_failed', cid: 'z' } }]);
  });
});

describe('Broker: leaving, dropping and resuming', () => {
  it('frees the room when the customer leaves on purpose and ends the conversation', async () => {
    const { broker, store } = setup();
    const { customer } = await seated(broker);
    expect(kinds(await broker.leave(customer, 'deliberate'))).toEqual(['a-alice:customer_left']);
    expect((await store.listConversations(1)).conversations[0]).toMatchObject({ endReason: 'customer_left' });
    expect(await broker.requestRoom('carol')).toMatchObject({ room: true, kefuName: 'alice' });
  });

  it('removes the room when the agent leaves on purpose and dismisses the customer', async () => {
    const { broker, store } = setup();
    const { agent } = await seated(broker);
    expect(kinds(await broker.leave(agent, 'deliberate'))).toEqual(['c-bob:agent_left', 'c-bob:dismissed']);
    expect((await store.listConversations(1)).conversations[0]).toMatchObject({ endReason: 'agent_left' });
    expect(await broker.requestRoom('carol')).toMatchObject({ room: false, position: 1 });
  });

  it('holds a dropped customer\u2019s seat, stores messages meanwhile, and replays them on resume', async () => {
    const { broker } = setup();
    const { agent, customer, resume } = await seated(broker);
    await broker.postMessage(customer, 'one');
    expect(kinds(await broker.leave(customer, 'dropped'))).toEqual(['a-alice:peer_away']);
    const [stored] = await broker.postMessage(agent, 'two');
    expect(stored?.to).toEqual(['a-alice']);
    const back = admitted(await broker.resumeCustomer('c2', 'bob', resume, 1));
    expect(back.deliveries.map((d) => (d.event.kind === 'message' ? `msg:${d.event.seq}:${d.event.content}` : `${d.to}:${d.event.kind}`))).toEqual([
      'c2:agent_assigned',
      'c2:resumed',
      'msg:2:two',
      'a-alice:peer_back',
    ]);
    const [live] = await broker.postMessage(back.participant, 'three');
    expect(live?.to).toEqual(['c2', 'a-alice']);
  });

  it('refuses a forged or foreign resume token', async () => {
    const { broker } = setup();
    const { customer, resume } = await seated(broker);
    await broker.leave(customer, 'dropped');
    expect(await broker.resumeCustomer('x', 'bob', 'forged-token')).toEqual({ ok: false, refusal: 'bad_resume' });
    expect(await broker.resumeCustomer('x', 'mallory', resume)).toEqual({ ok: false, refusal: 'bad_resume' });
  });

  it('says recovered: false instead of leaving a gap when too much was missed', async () => {
    const { broker } = setup({ replayLimit: 2 });
    const { agent, customer, resume } = await seated(broker);
    await broker.leave(customer, 'dropped');
    for (const m of ['a', 'b', 'c']) await broker.postMessage(agent, m);
    const back = admitted(await broker.resumeCustomer('c2', 'bob', resume, 0));
    expect(back.deliveries.find((d) => d.event.kind === 'resumed')?.event).toMatchObject({ recovered: false, lastSeq: 3 });
    expect(back.deliveries.some((d) => d.event.kind === 'message')).toBe(false);
  });

  it('says recovered: false to a client claiming a seq the store never had', async () => {
    const { broker } = setup();
    const { customer, resume } = await seated(broker);
    await broker.leave(customer, 'dropped');
    const back = admitted(await broker.resumeCustomer('c2', 'bob', resume, 99));
    expect(back.deliveries.find((d) => d.event.kind === 'resumed')?.event).toMatchObject({ recovered: false, lastSeq: 0 });
  });

  it('after grace, a dropped customer leaves as in the seed', async () => {
    const { broker, advance, store } = setup({ grace: 500 });
    const { customer, resume, conversationId } = await seated(broker);
    await broker.leave(customer, 'dropped');
    expect(await broker.tick()).toEqual([]);
    advance(500);
    expect(await broker.tick()).toEqual([{ to: ['a-alice'], event: { kind: 'customer_left', customer: 'bob', conversationId, timeout: true } }]);
    expect((await store.listConversations(1)).conversations[0]).toMatchObject({ endReason: 'customer_timeout' });
    expect(await broker.resumeCustomer('c2', 'bob', resume)).toEqual({ ok: false, refusal: 'bad_resume' });
  });

  it('resumes a dropped agent with the conversation, and after grace dismisses the customer', async () => {
    const { broker, advance } = setup({ grace: 500 });
    const { agent, customer } = await seated(broker);
    await broker.postMessage(customer, 'hello');
    expect(kinds(await broker.leave(agent, 'dropped'))).toEqual(['c-bob:peer_away']);
    const back = admitted(await broker.admitAgent('a2', 'alice'));
    expect(kinds(back.deliveries)).toEqual(['a2:customer_entered', 'a2:resumed', 'a2:message', 'c-bob:peer_back']);
    await broker.leave(back.participant, 'dropped');
    advance(500);
    expect(kinds(await broker.tick())).toEqual(['c-bob:agent_left', 'c-bob:dismissed']);
  });

  it('restores open conversations after a restart so both sides can resume', async () => {
    const { broker, stores } = setup();
    const { customer, resume } = await seated(broker);
    await broker.postMessage(customer, 'before the crash');
    let clock = 5_000;
    const restarted = new Broker(new MemoryRoomRegistry(), stores, {
      ticketTtlMs: 1000,
      graceMs: 1000,
      queueMaxLength: 1,
      queueMaxWaitMs: 1000,
      replayLimit: 100,
      now: () => clock,
    });
    expect(await restarted.restore()).toBe(1);
    clock += 10;
    const c = admitted(await restarted.resumeCustomer('c2', 'bob', resume, 0));
    expect(c.deliveries.filter((d) => d.event.kind === 'message').map((d) => (d.event as { content: string }).content)).toEqual(['before the crash']);
    const a = admitted(await restarted.admitAgent('a2', 'alice'));
    expect(kinds(a.deliveries)).toContain('a2:customer_entered');
    // bob came back after the restart: he was told who serves him then, and never that alice had gone.
    expect(kinds(a.deliveries)).not.toContain('c2:peer_back');
  });

  it('tells a customer connected when the agent dropped that the agent is back, and not one who came back since', async () => {
    const { broker, advance } = setup();
    const { agent, customer, resume } = await seated(broker);
    await broker.leave(agent, 'dropped');
    advance(10);
    const back = admitted(await broker.admitAgent('a2', 'alice'));
    expect(kinds(back.deliveries)).toContain('c-bob:peer_back');
    await broker.leave(back.participant, 'dropped');
    advance(10);
    await broker.leave(customer, 'dropped');
    advance(10);
    admitted(await broker.resumeCustomer('c2', 'bob', resume));
    advance(10);
    expect(kinds(admitted(await broker.admitAgent('a3', 'alice')).deliveries)).not.toContain('c2:peer_back');
  });
});

describe('Broker: a customer who drops while waiting', () => {
  it('shows the agent the wait from first joining the queue, not from coming back to it', async () => {
    const { broker, advance } = setup();
    const offer = await broker.requestRoom('bob');
    if (offer.room || !('ticket' in offer)) throw new Error('expected a queue ticket');
    const first = admitted(await broker.admitCustomer('c1', 'bob', offer.ticket));
    const place = first.deliveries[0]?.event;
    const token = place?.kind === 'queue_position' ? (place.resume as string) : '';
    advance(5_000);
    expect(await broker.leave(first.participant, 'dropped')).toEqual([]);
    advance(1_000);
    const back = admitted(await broker.resumeCustomer('c2', 'bob', token));
    expect(back.deliveries[0]?.event).toEqual({ kind: 'queue_position', position: 1, resume: token });
    advance(1_000);
    const agent = admitted(await broker.admitAgent('a1', 'alice'));
    const entered = agent.deliveries.find((d) => d.event.kind === 'customer_entered')?.event;
    expect(entered).toMatchObject({ customer: 'bob', waitedMs: 7_000 });
  });
});

describe('Broker: handing a customer back to the queue', () => {
  it('frees the agent, queues the customer first, and places them with the next agent in the same conversation', async () => {
    const { broker, store } = setup();
    const { agent, customer } = await seated(broker);
    await broker.postMessage(customer, 'hello', 'c1');
    const back = await broker.transfer(agent, undefined);
    expect(kinds(back)).toEqual(['a-alice:customer_requeued', 'c-bob:requeued']);
    const requeued = back[1]?.event;
    const conversationId = requeued?.kind === 'requeued' ? requeued.conversationId : '';
    const dave = admitted(await broker.admitAgent('a-dave', 'dave'));
    expect(kinds(dave.deliveries)).toEqual(['a-dave:room_opened', 'c-bob:agent_assigned', 'a-dave:customer_entered', 'a-dave:message']);
    expect(dave.deliveries[3]?.event).toMatchObject({ content: 'hello', seq: 1, replay: true });
    expect(await store.getConversation(conversationId)).toMatchObject({ agent: 'dave', endedAt: null, messageCount: 1 });
  });

  it('ends the conversation when the handed-back customer leaves the queue', async () => {
    const { broker, store } = setup();
    const { agent, customer } = await seated(broker);
    const back = await broker.transfer(agent, undefined);
    const requeued = back[1]?.event;
    const conversationId = requeued?.kind === 'requeued' ? requeued.conversationId : '';
    await broker.leave({ ...customer, room: undefined, conversationId } as Participant, 'deliberate');
    expect(await store.getConversation(conversationId)).toMatchObject({ endReason: 'customer_left' });
  });
});
