import { afterEach, describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf, type TestClient } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import { PNG } from '../helpers/images.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
const cleanups: Array<() => Promise<void>> = [];
const track = <T extends TestClient>(c: T): T => (clients.push(c), c);

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  for (const s of servers.splice(0)) await s.close();
  for (const d of cleanups.splice(0)) await d();
});

describe('images on two nodes', () => {
  it('takes an upload on one node, relays the image message across, and serves the bytes from the other', async () => {
    const cluster = clusterEnv();
    cleanups.push(cluster.drop);
    const n1 = await startTestServer(cluster.env);
    const n2 = await startTestServer(cluster.env);
    servers.push(n1, n2);
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
