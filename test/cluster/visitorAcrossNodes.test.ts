import { describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import { TEST_KEY } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();
const VISITOR = 'Vq3_x-9aZk0mN7pQr2sT1u';

describe('visitor id on two nodes', () => {
  it('reaches the agent on the other node and the shared store for a customer who waited in the queue', async () => {
    const cluster = clusterEnv();
    defer(cluster.drop);
    const n1 = await start(cluster.env);
    const n2 = await start(cluster.env);
    const { ticket } = await getRoom(n1, 'bob');
    const customer = track(connect(`${customerUrl(n1, 'bob', ticket as string)}&visitor=${VISITOR}`));
    await customer.nextMatching((f) => f.event === 'queue_position');
    // Seated by node 2, which knows the customer only through the shared profile directory.
    const agent = track(await connectAgent(n2, 'alice'));
    const entered = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).toMatchObject({ customer: 'bob', visitorId: VISITOR });
    const res = await fetch(`${n1.httpUrl}/api/conversations?visitor=${VISITOR}`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(((await res.json()) as { conversations: unknown[] }).conversations).toMatchObject([{ id: entered.conversationId, visitorId: VISITOR }]);
  });
});
