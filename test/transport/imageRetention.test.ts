import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf, type Frame, type TestClient } from '../helpers/client.js';
import { PNG } from '../helpers/images.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

/** How long a clean-up on the server's timer may take to come round on a busy machine. */
const EVENTUALLY = { timeout: 10_000 };

const { start, track } = useServers();
let server: TestServer;

async function seat(name: string): Promise<TestClient> {
  const agent = track(await connectAgent(server, `${name}-agent`));
  const customer = track(await connectCustomer(server, name, agent));
  return customer;
}

async function uploadAs(customer: TestClient): Promise<string> {
  const res = await fetch(`${server.httpUrl}/api/images`, {
    method: 'POST',
    body: new Uint8Array(PNG),
    headers: { Authorization: `Bearer ${resumeTokenOf(customer)}` },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function send(customer: TestClient, image: string, cid: string): Promise<Frame> {
  customer.ws.send(JSON.stringify({ type: 'image', image, cid }));
  return customer.nextMatching((f) => f.cid === cid);
}

/** What an agent gets for the image: 200 while it is kept, 404 once removed. */
const statusOf = async (id: string): Promise<number> =>
  (await fetch(`${server.httpUrl}/api/images/${id}`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })).status;

const filesOf = (id: string): string[] => fs.readdirSync(path.join(server.config.dataDir, 'images')).filter((n) => n.startsWith(id));

describe('image clean-up', () => {
  it('removes an image never sent IMAGE_UNSENT_TTL_MS after its upload, and keeps one a message refers to', async () => {
    // Long enough that the sent image is surely sent within it, even on a busy machine.
    server = await start({ IMAGE_UNSENT_TTL_MS: '2000' });
    const bob = await seat('bob');
    const sent = await uploadAs(bob);
    expect(await send(bob, sent, 's1')).toMatchObject({ type: 'message', image: { id: sent } });
    // Uploaded after the sent one: by the time it is removed, the sent one was due too, were it unsent.
    const unsent = await uploadAs(bob);
    await expect.poll(() => statusOf(unsent), EVENTUALLY).toBe(404);
    expect(filesOf(unsent)).toEqual([]);
    expect(await statusOf(sent)).toBe(200);
  });

  it('refuses to send an image the clean-up removed, as bad_image', async () => {
    server = await start({ IMAGE_UNSENT_TTL_MS: '300' });
    const bob = await seat('bob');
    const late = await uploadAs(bob);
    await expect.poll(() => statusOf(late), EVENTUALLY).toBe(404);
    expect(await send(bob, late, 'l1')).toMatchObject({ type: 'error', error: 'bad_image' });
  });

  it('removes a conversation\u2019s images once it ended IMAGE_RETENTION_MS ago, and keeps an open one\u2019s however old', async () => {
    server = await start({ IMAGE_RETENTION_MS: '300' });
    const bob = await seat('bob');
    const carol = await seat('carol');
    const bobs = await uploadAs(bob);
    await send(bob, bobs, 'b1');
    const carols = await uploadAs(carol);
    await send(carol, carols, 'c1');
    await bob.close(1000);
    await expect.poll(() => statusOf(bobs), EVENTUALLY).toBe(404);
    expect(filesOf(bobs)).toEqual([]);
    expect(await statusOf(carols)).toBe(200);
  });
});
