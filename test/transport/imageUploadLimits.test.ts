import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf } from '../helpers/client.js';
import { blackPng, CLAIMS_4G_BY_4G, PNG, pngOfSize } from '../helpers/images.js';
import { RawUpload } from '../helpers/rawUpload.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

/** How long a state reached through the server's event loop may take on a busy machine. */
const EVENTUALLY = { timeout: 10_000 };

const { start, track, defer } = useServers();
let server: TestServer;

/** A server with `env`, and a customer seated with an agent: the customer's resume token. */
async function seated(env: Record<string, string> = {}): Promise<string> {
  server = await start(env);
  const alice = track(await connectAgent(server, 'alice'));
  const bob = track(await connectCustomer(server, 'bob', alice));
  return resumeTokenOf(bob);
}

async function anotherCustomer(name: string): Promise<string> {
  const agent = track(await connectAgent(server, `${name}-agent`));
  const customer = track(await connectCustomer(server, name, agent));
  return resumeTokenOf(customer);
}

const upload = (body: Buffer, token: string) =>
  fetch(`${server.httpUrl}/api/images`, { method: 'POST', body: new Uint8Array(body), headers: { Authorization: `Bearer ${token}` } });

const raw = (options: { token: string; contentLength?: number }): RawUpload => {
  const r = new RawUpload(server, options);
  defer(() => r.socket.destroy());
  return r;
};

/** What the upload folder holds: images, their facts, and any temp file. */
const stored = (): string[] => {
  const dir = path.join(server.config.dataDir, 'images');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe('image uploads judged by their header', () => {
  it('refuses a valid 20000 × 20000 PNG with 422 too_many_pixels and the limit, keeping nothing', async () => {
    const token = await seated();
    const bomb = blackPng(20000, 20000);
    expect(bomb.length).toBeLessThan(100_000);
    const res = await upload(bomb, token);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'too_many_pixels', maxPixels: 50_000_000 });
    expect(stored()).toEqual([]);
  });

  it('refuses the 33-byte PNG that claims 4294967295 × 4294967295 pixels', async () => {
    const token = await seated();
    expect(CLAIMS_4G_BY_4G.length).toBe(33);
    const res = await upload(CLAIMS_4G_BY_4G, token);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'too_many_pixels' });
  });

  it('takes an image of exactly MAX_IMAGE_PIXELS and refuses one pixel row more', async () => {
    const token = await seated({ MAX_IMAGE_PIXELS: String(100 * 100) });
    const res = await upload(blackPng(100, 100), token);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ width: 100, height: 100 });
    expect(await (await upload(blackPng(100, 101), token)).json()).toMatchObject({ error: 'too_many_pixels', maxPixels: 10_000 });
  });

  it.each([
    ['a GIF whose screen is 0 × 0', Buffer.from('R0lGODlhAAAAAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')],
    ['a PNG that ends after its signature', PNG.subarray(0, 12)],
    ['a JPEG whose first segment is image data, with no frame header', Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2, 1, 2, 3])],
  ])('refuses %s with 422 no_dimensions, saying why', async (_label, bytes) => {
    const token = await seated();
    const res = await upload(bytes, token);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('no_dimensions');
    expect(body.message).toMatch(/no usable width and height/);
  });

  it('answers a refused upload at once, before the rest of its body is sent, and closes the connection', async () => {
    const token = await seated();
    const up = raw({ token, contentLength: 5 * 1024 * 1024 });
    await up.send(CLAIMS_4G_BY_4G);
    const res = await up.response;
    expect(res.status).toBe(422);
    expect(res.headers.connection).toBe('close');
    await up.closed;
  });
});

describe('image uploads streamed to the store', () => {
  it('cuts an upload sent without a length off as it passes MAX_IMAGE_BYTES, and keeps nothing of it', async () => {
    const token = await seated({ MAX_IMAGE_BYTES: String(64 * 1024) });
    const up = raw({ token });
    await up.send(PNG);
    await up.send(Buffer.alloc(100 * 1024));
    // The body never ends: the answer comes from the bytes that passed the limit.
    const res = await up.response;
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'too_large', maxBytes: 64 * 1024 });
    await up.closed;
    expect(stored()).toEqual([]);
  });

  it('refuses a declared Content-Length over MAX_IMAGE_BYTES before any of the body arrives', async () => {
    const token = await seated({ MAX_IMAGE_BYTES: String(64 * 1024) });
    const up = raw({ token, contentLength: 64 * 1024 + 1 });
    expect((await up.response).status).toBe(413);
    await up.closed;
  });

  it('keeps nothing, not even a temp file, of an upload whose client goes away midway', async () => {
    const token = await seated();
    const up = raw({ token, contentLength: 1024 * 1024 });
    await up.send(pngOfSize(200 * 1024));
    await expect.poll(() => stored().filter((n) => n.endsWith('.tmp')), EVENTUALLY).toHaveLength(1);
    up.socket.destroy();
    await expect.poll(() => stored(), EVENTUALLY).toEqual([]);
    // Its places under the caps were given back: uploads go on as before.
    expect((await upload(PNG, token)).status).toBe(201);
    expect((await upload(PNG, token)).status).toBe(201);
  });

  it('stores an image that arrives in many small chunks whole, byte for byte', async () => {
    const token = await seated();
    const image = pngOfSize(300 * 1024);
    const up = raw({ token });
    for (let at = 0; at < image.length; at += 7000) await up.send(image.subarray(at, at + 7000));
    up.end();
    const res = await up.response;
    expect(res.status).toBe(201);
    const { id, bytes } = JSON.parse(res.body) as { id: string; bytes: number };
    expect(bytes).toBe(image.length);
    const back = await fetch(`${server.httpUrl}/api/images/${id}`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(Buffer.compare(Buffer.from(await back.arrayBuffer()), image)).toBe(0);
  });
});

describe('image quotas', () => {
  // Each image counts as its bytes plus 4096: two of 10,000 bytes take 28,192 of 30,000.
  const QUOTA = '30000';

  it('refuses with 507 quota_exceeded (quota: conversation) what has no room in the conversation\u2019s quota, and no other conversation\u2019s upload', async () => {
    const bob = await seated({ IMAGE_CONVERSATION_QUOTA_BYTES: QUOTA });
    expect((await upload(pngOfSize(10_000), bob)).status).toBe(201);
    // 11,808 bytes of room left: this one is cut off as it passes them.
    const over = await upload(pngOfSize(20_000), bob);
    expect(over.status).toBe(507);
    expect(await over.json()).toMatchObject({ error: 'quota_exceeded', quota: 'conversation', quotaBytes: 30_000 });
    expect((await upload(pngOfSize(10_000), bob)).status).toBe(201);
    // Full: refused before any of the body is read.
    expect(await (await upload(PNG, bob)).json()).toMatchObject({ error: 'quota_exceeded', quota: 'conversation' });
    expect((await upload(pngOfSize(10_000), await anotherCustomer('carol'))).status).toBe(201);
    expect(stored().filter((n) => n.endsWith('.json'))).toHaveLength(3);
  });

  it('refuses with 507 quota_exceeded (quota: server) what has no room in the server\u2019s quota', async () => {
    const bob = await seated({ IMAGE_TOTAL_QUOTA_BYTES: QUOTA });
    const carol = await anotherCustomer('carol');
    expect((await upload(pngOfSize(10_000), bob)).status).toBe(201);
    expect((await upload(pngOfSize(10_000), carol)).status).toBe(201);
    const res = await upload(pngOfSize(10_000), carol);
    expect(res.status).toBe(507);
    expect(await res.json()).toMatchObject({ error: 'quota_exceeded', quota: 'server', quotaBytes: 30_000 });
  });
});
