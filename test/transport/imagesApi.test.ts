import { beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf, type TestClient } from '../helpers/client.js';
import { DISGUISED, PNG, SAMPLES, pngOfSize } from '../helpers/images.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;
let bob: TestClient;
let carol: TestClient;

beforeEach(async () => {
  server = await start({ MAX_IMAGE_BYTES: '2048' });
  track(await connectAgent(server, 'alice'));
  track(await connectAgent(server, 'dave'));
  bob = track(await connectCustomer(server, 'bob'));
  carol = track(await connectCustomer(server, 'carol'));
});

interface Uploaded {
  id: string;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
  url: string;
}

const upload = (body: Buffer, token?: string, contentType = 'image/png', query = '') =>
  fetch(`${server.httpUrl}/api/images${query}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { 'Content-Type': contentType, ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
  });

const fetchImage = (path: string, token?: string) =>
  fetch(`${server.httpUrl}${path}`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

async function uploadAs(customer: TestClient, body: Buffer = PNG): Promise<Uploaded> {
  const res = await upload(body, resumeTokenOf(customer));
  expect(res.status).toBe(201);
  return (await res.json()) as Uploaded;
}

function conversationOf(customer: TestClient): string {
  return customer.frames.find((f) => f.event === 'agent_assigned')?.conversationId as string;
}

describe('POST /api/images', () => {
  it.each(Object.entries(SAMPLES))('stores a %s from a customer and says what it is', async (mime, bytes) => {
    // Sent with a misleading label: the bytes decide.
    const res = await upload(bytes, resumeTokenOf(bob), 'application/octet-stream');
    expect(res.status).toBe(201);
    const body = (await res.json()) as Uploaded;
    expect(body).toMatchObject({ mime, bytes: bytes.length, width: 1, height: 1 });
    expect(body.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(body.url).toMatch(new RegExp(`^/api/images/${body.id}\\?exp=\\d+&sig=[A-Za-z0-9_-]+$`));
  });

  it('stores an agent\u2019s image in the conversation they name', async () => {
    const res = await upload(PNG, TEST_KEY, 'image/png', `?conversation=${conversationOf(bob)}`);
    expect(res.status).toBe(201);
  });

  it.each(Object.entries(DISGUISED))('refuses %s sent as image/png with 415 not_an_image', async (_l, bytes) => {
    const res = await upload(bytes, resumeTokenOf(bob), 'image/png');
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'not_an_image' });
  });

  it('refuses an empty upload with 415', async () => {
    expect((await upload(Buffer.alloc(0), resumeTokenOf(bob))).status).toBe(415);
  });

  it('refuses an image over MAX_IMAGE_BYTES with 413 too_large and the limit', async () => {
    const res = await upload(pngOfSize(2049), resumeTokenOf(bob));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too_large', maxBytes: 2048 });
    expect((await upload(pngOfSize(2048), resumeTokenOf(bob))).status).toBe(201);
  });

  it.each([
    ['no token', undefined],
    ['a wrong key', 'wrong-key-wrong'],
    ['a forged resume token', 'forged-token'],
  ])('answers 401 to %s', async (_l, token) => {
    const res = await upload(PNG, token);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  it('answers 400 no_conversation to an agent who names no conversation, or an unknown one', async () => {
    expect(await (await upload(PNG, TEST_KEY)).json()).toMatchObject({ error: 'no_conversation' });
    const res = await upload(PNG, TEST_KEY, 'image/png', '?conversation=00000000-0000-0000-0000-000000000000');
    expect(res.status).toBe(400);
  });
});

describe('GET /api/images/limits', () => {
  it('tells the pages the size limit and the accepted types, to anyone', async () => {
    const res = await fetch(`${server.httpUrl}/api/images/limits`);
    expect(await res.json()).toEqual({ maxBytes: 2048, types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] });
  });
});

describe('GET /api/images/:id', () => {
  it('serves the image to a holder of its signed URL, with safe headers', async () => {
    const { url } = await uploadAs(bob);
    const res = await fetchImage(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('cache-control')).toMatch(/^private\b/);
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), PNG)).toBe(0);
  });

  it('serves it to the conversation\u2019s customer and to agents by bearer token', async () => {
    const { id } = await uploadAs(bob);
    expect((await fetchImage(`/api/images/${id}`, resumeTokenOf(bob))).status).toBe(200);
    expect((await fetchImage(`/api/images/${id}`, TEST_KEY)).status).toBe(200);
  });

  it('shows another customer\u2019s image to nobody else: 404, the same as no image at all', async () => {
    const { id } = await uploadAs(bob);
    const other = await fetchImage(`/api/images/${id}`, resumeTokenOf(carol));
    const none = await fetchImage(`/api/images/${'A'.repeat(22)}`, resumeTokenOf(carol));
    expect([other.status, none.status]).toEqual([404, 404]);
    expect(await other.json()).toEqual(await none.json());
  });

  it('answers 401 to a stranger, a forged or altered signature and an expired URL', async () => {
    const { id, url } = await uploadAs(bob);
    expect((await fetchImage(`/api/images/${id}`)).status).toBe(401);
    expect((await fetchImage(`/api/images/${id}`, 'forged-token')).status).toBe(401);
    const altered = url.replace(/sig=(.)/, (_m, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
    expect((await fetchImage(altered)).status).toBe(401);
    const exp = Number(/exp=(\d+)/.exec(url)?.[1]);
    expect((await fetchImage(url.replace(/exp=\d+/, `exp=${exp + 1}`))).status).toBe(401);
    expect((await fetchImage(`/api/images/${id}?exp=${Date.now() - 1}&sig=x`)).status).toBe(401);
    // A URL signed for one image opens no other.
    const other = await uploadAs(carol);
    expect((await fetchImage(url.replace(id, other.id))).status).toBe(401);
  });

  it('lets a customer fetch nothing once the conversation ended', async () => {
    const { id } = await uploadAs(carol);
    const token = resumeTokenOf(carol);
    await carol.close(1000);
    await expect.poll(async () => (await fetchImage(`/api/images/${id}`, token)).status).toBe(401);
    expect((await fetchImage(`/api/images/${id}`, TEST_KEY)).status).toBe(200);
  });
});
