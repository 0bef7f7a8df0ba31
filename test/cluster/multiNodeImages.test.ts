import { describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import { PNG } from '../helpers/images.js';
import { TEST_KEY } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

describe('images on two nodes', () => {
  it('takes an upload on one node, relays the image message across, and serves the bytes from the other', async () => {
    const cluster = clusterEnv();
    defer(cluster.drop);
    const n1 = await start(cluster.env);
    const n2 = await start(cluster.env);
    const agent = track(await connectAgent(n2, 'alice'));
    const answer = await getRoom(n1, 'bob');
    const customer = track(connect(customerUrl(n1, 'bob', answer.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.nextMatching((f) => f.event === 'customer_entered');

    const res = await fetch(`${n1.httpUrl}/api/images`, {
      method: 'POST',
      body: new Uint8Array(PNG),
      headers: { Authorization: `Bearer ${resumeTokenOf(customer)}` },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    customer.ws.send(JSON.stringify({ type: 'image', image: id, cid: 'i1' }));
    expect(await customer.nextMatching((f) => f.cid === 'i1')).toMatchObject({ seq: 1, image: { id } });
    const relayed = await agent.nextMatching((f) => f.type === 'message');
    const url = (relayed.image as { url: string }).url;
    // Node 2 never saw the upload: the bytes come from the shared database, the signature from the shared key.
    const fromOther = await fetch(`${n2.httpUrl}${url}`);
    expect(fromOther.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await fromOther.arrayBuffer()), PNG)).toBe(0);
    expect((await fetch(`${n2.httpUrl}/api/images/${id}`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })).status).toBe(200);
  });
});
