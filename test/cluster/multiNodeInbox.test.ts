import { describe, expect, it } from 'vitest';
import { customersAtOnce } from '../helpers/capacityRace.js';
import { clusterEnv } from '../helpers/cluster.js';
import { openInbox, seatCustomer, sendFrame } from '../helpers/inbox.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

describe('agents with several chats on two nodes', () => {
  it('seats exactly as many customers as the capacities add up to when both nodes place at once', async () => {
    const cluster = clusterEnv({
      RATE_BURST: '1000',
      RATE_PER_SEC: '1000',
      RESERVATIONS_PER_ADDRESS: '1000',
      GETROOM_PER_MINUTE: '10000',
      UPGRADES_PER_MINUTE: '10000',
      MAX_SOCKETS_PER_ADDRESS: '1000',
    });
    defer(cluster.drop);
    const n1 = await start(cluster.env);
    const n2 = await start(cluster.env);
    const capacities: Record<string, number> = { Alice: 3, Dave: 2, Erin: 1, Finn: 4 };
    let i = 0;
    for (const [name, capacity] of Object.entries(capacities)) await openInbox(i++ % 2 === 0 ? n1 : n2, name, capacity, track);
    const outcome = await customersAtOnce([n1, n2], 10 + 8, track);
    expect(Object.fromEntries(outcome.seatedWith)).toEqual(capacities);
    expect(outcome.waiting).toBe(8);
  });

  it('routes by conversationId and resolves across nodes: the customer on the other node is let go and the slot refills', async () => {
    const cluster = clusterEnv({ RATE_BURST: '1000', RATE_PER_SEC: '1000', RESERVATIONS_PER_ADDRESS: '100' });
    defer(cluster.drop);
    const n1 = await start(cluster.env);
    const n2 = await start(cluster.env);
    const alice = await openInbox(n1, 'Alice', 2, track);
    const bob = await seatCustomer(n2, 'bob', track);
    const carol = await seatCustomer(n1, 'carol', track);
    alice.client.send('for bob', { cid: 'a1', conversationId: bob.conversationId });
    expect(await bob.client.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'for bob', conversationId: bob.conversationId });
    sendFrame(alice.client, { type: 'resolve', conversationId: bob.conversationId });
    expect(await bob.client.nextMatching((f) => f.event === 'agent_left')).toMatchObject({ resolved: true, conversationId: bob.conversationId });
    expect((await bob.client.closed).code).toBe(1000);
    await alice.client.nextMatching((f) => f.event === 'conversation_resolved');
    expect((await seatCustomer(n2, 'dave', track)).agent).toBe('Alice');
    expect(carol.client.frames.some((f) => f.event === 'agent_left')).toBe(false);
  });
});
