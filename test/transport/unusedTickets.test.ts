import { describe, expect, it } from 'vitest';
import { connect, connectAgent, connectCustomer, customerUrl, getRoom, type Frame, type TestClient } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;
let server: TestServer;

/** A server that believes X-Forwarded-For from loopback, so one test can speak from many addresses. */
const start = (env: Record<string, string> = {}) => servers.start({ TRUST_PROXY: 'loopback', ...env });

/** /getroom as if from another client address (the test server trusts loopback as a proxy). */
async function getRoomFrom(address: string, userName: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.httpUrl}/getroom?userName=${encodeURIComponent(userName)}`, { headers: { 'X-Forwarded-For': address } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

function presenceWhere(client: TestClient, pred: (f: Frame) => boolean): Promise<Frame> {
  return client.nextMatching((f) => f.type === 'presence' && pred(f));
}

describe('tickets nobody uses', () => {
  it('costs nothing: after 60 unused queue tickets a real customer is placed at once with the agent who frees up', async () => {
    server = await start({ TICKET_TTL_MS: '60000' });
    const alice = track(await connectAgent(server, 'alice'));
    const bob = track(await connectCustomer(server, 'bob', alice));
    // Crawlers, health probes, seed clients that give up on room:false: asked, never connected.
    for (let i = 0; i < 60; i++) expect(await getRoomFrom(`198.51.100.${i}`, `phantom${i}`)).toMatchObject({ room: false, position: 1 });
    await bob.close(1000);
    await alice.nextMatching((f) => f.event === 'customer_left');
    const real = await getRoomFrom('203.0.113.5', 'carol');
    expect(real).toMatchObject({ room: true, kefuName: 'alice' });
    const carol = track(connect(customerUrl(server, 'carol', real.ticket as string)));
    expect(await carol.next()).toMatchObject({ event: 'agent_assigned', agent: 'alice' });
  });

  it('shows agents and the queue as they are: an unused ticket makes nobody busy and nobody waiting', async () => {
    server = await start({ TICKET_TTL_MS: '60000' });
    const alice = track(await connectAgent(server, 'alice', '&v=2'));
    await presenceWhere(alice, (f) => f.waiting === 0);
    expect(await getRoom(server, 'phantom')).toMatchObject({ room: true, kefuName: 'alice' });
    for (let i = 0; i < 5; i++) await getRoomFrom(`198.51.100.${i}`, `p${i}`);
    // bob cannot have alice (reserved for the phantom's ticket): he waits, and he alone counts.
    const answer = await getRoomFrom('203.0.113.5', 'bob');
    const bob = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
    expect(await bob.next()).toMatchObject({ event: 'queue_position', position: 1 });
    const presence = await presenceWhere(alice, (f) => f.waiting === 1);
    expect(presence.agents).toEqual([expect.objectContaining({ name: 'alice', state: 'free' })]);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^kefu_queue_length 1$/m);
    expect(metrics).toMatch(/^kefu_rooms_busy 0$/m);
  }, 20_000);

  it('lets a reservation nobody uses lapse after TICKET_TTL_MS and gives the agent to the customer who waits', async () => {
    server = await start({ TICKET_TTL_MS: '300' });
    const alice = track(await connectAgent(server, 'alice'));
    expect(await getRoom(server, 'phantom')).toMatchObject({ room: true, kefuName: 'alice' });
    const answer = await getRoom(server, 'bob');
    expect(answer).toMatchObject({ room: false, position: 1 });
    const bob = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
    expect(await bob.next()).toMatchObject({ event: 'queue_position', position: 1 });
    expect(await bob.next()).toMatchObject({ event: 'agent_assigned', agent: 'alice' });
    await alice.nextMatching((f) => f.event === 'customer_entered' && f.customer === 'bob');
  });

  it('gives one address only its share of free agents as reservations, then queue tickets that seat on connect', async () => {
    server = await start({ TICKET_TTL_MS: '60000', RESERVATIONS_PER_ADDRESS: '2' });
    for (const name of ['a1', 'a2', 'a3', 'a4']) track(await connectAgent(server, name));
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await getRoomFrom('198.51.100.7', `c${i}`));
    expect(answers.map((a) => a.room)).toEqual([true, true, false, false]);
    // Another address still finds a free agent...
    expect(await getRoomFrom('203.0.113.5', 'other')).toMatchObject({ room: true });
    // ...and the first address's queue ticket seats its holder at once, an agent being free.
    const late = track(connect(customerUrl(server, 'c2', answers[2]?.ticket as string)));
    expect(await late.next()).toMatchObject({ event: 'agent_assigned' });
  });

  it('keeps IPv6 clients of one /64 to one share', async () => {
    server = await start({ TICKET_TTL_MS: '60000', RESERVATIONS_PER_ADDRESS: '1' });
    for (const name of ['a1', 'a2']) track(await connectAgent(server, name));
    expect(await getRoomFrom('2001:db8:1:2::1', 'x')).toMatchObject({ room: true });
    expect(await getRoomFrom('2001:db8:1:2:ffff::9', 'y')).toMatchObject({ room: false });
    expect(await getRoomFrom('2001:db8:1:3::1', 'z')).toMatchObject({ room: true });
  });

  it('closes 4429 a customer whose queue ticket is used after the queue filled up', async () => {
    server = await start({ QUEUE_MAX: '1' });
    const late = await getRoom(server, 'late');
    expect(late).toMatchObject({ room: false, position: 1 });
    const first = await getRoom(server, 'first');
    const waiting = track(connect(customerUrl(server, 'first', first.ticket as string)));
    expect(await waiting.next()).toMatchObject({ event: 'queue_position', position: 1 });
    const refused = track(connect(customerUrl(server, 'late', late.ticket as string)));
    expect(await refused.closed).toEqual({ code: 4429, reason: 'the queue is full, try again later' });
  });

  it('forgets a customer who closes the tab while waiting once their grace is over', async () => {
    // A closed tab and a reload look the same to the server: the place is kept for GRACE_MS.
    server = await start({ GRACE_MS: '150' });
    const one = await getRoom(server, 'one');
    const c1 = track(connect(customerUrl(server, 'one', one.ticket as string)));
    expect(await c1.next()).toMatchObject({ event: 'queue_position', position: 1 });
    const two = await getRoom(server, 'two');
    expect(two).toMatchObject({ position: 2 });
    const c2 = track(connect(customerUrl(server, 'two', two.ticket as string)));
    expect(await c2.next()).toMatchObject({ event: 'queue_position', position: 2 });
    c1.ws.terminate();
    expect(await c2.next()).toMatchObject({ event: 'queue_position', position: 1 });
    const alice = track(await connectAgent(server, 'alice'));
    expect(await c2.next()).toMatchObject({ event: 'agent_assigned', agent: 'alice' });
    expect((await alice.nextMatching((f) => f.event === 'customer_entered')).customer).toBe('two');
  });
});
