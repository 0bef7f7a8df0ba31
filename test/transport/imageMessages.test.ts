import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, connectAgent, connectCustomer, resumeTokenOf, resumeUrl, type Frame, type TestClient } from '../helpers/client.js';
import { PNG, SAMPLES } from '../helpers/images.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;
let alice: TestClient;
let bob: TestClient;

beforeEach(async () => {
  server = await start();
  alice = track(await connectAgent(server, 'alice'));
  bob = track(await connectCustomer(server, 'bob', alice));
});

async function uploadAs(token: string, body: Buffer = PNG, query = ''): Promise<{ id: string }> {
  const res = await fetch(`${server.httpUrl}/api/images${query}`, {
    method: 'POST',
    body: new Uint8Array(body),
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

async function sendImage(client: TestClient, image: string, cid: string): Promise<Frame> {
  client.ws.send(JSON.stringify({ type: 'image', image, cid }));
  return client.nextMatching((f) => f.cid === cid && (f.type === 'message' || f.type === 'error'));
}

describe('image messages', () => {
  it('acks a customer\u2019s image with seq and cid and relays it to the agent, readable as text too', async () => {
    const { id } = await uploadAs(resumeTokenOf(bob));
    const ack = await sendImage(bob, id, 'i1');
    expect(ack).toMatchObject({ type: 'message', neiRong: '[图片]', shuiFaDe: 'bob', role: 'yonghu', seq: 1, cid: 'i1' });
    expect(ack.image).toMatchObject({ id, mime: 'image/png', bytes: PNG.length, width: 1, height: 1 });
    const relayed = await alice.nextMatching((f) => f.type === 'message');
    expect(relayed).toMatchObject({ neiRong: '[图片]', shuiFaDe: 'bob', seq: 1, image: { id, mime: 'image/png' } });
    // The frame's URL opens the image.
    const res = await fetch(`${server.httpUrl}${(relayed.image as { url: string }).url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it('carries an agent\u2019s image to the customer', async () => {
    const conversationId = bob.frames.find((f) => f.event === 'agent_assigned')?.conversationId as string;
    const { id } = await uploadAs(TEST_KEY, SAMPLES['image/webp'], `?conversation=${conversationId}`);
    expect(await sendImage(alice, id, 'a1')).toMatchObject({ seq: 1, image: { id, mime: 'image/webp' } });
    expect(await bob.nextMatching((f) => f.type === 'message')).toMatchObject({ shuiFaDe: 'alice', role: 'kefu', image: { id } });
  });

  it('acks a resent image frame again without relaying it twice', async () => {
    const { id } = await uploadAs(resumeTokenOf(bob));
    const first = await sendImage(bob, id, 'i1');
    const again = await sendImage(bob, id, 'i1');
    expect(again).toMatchObject({ seq: first.seq, id: first.id, duplicate: true, image: { id } });
    await sendImage(bob, id, 'i2');
    const relayed = [await alice.nextMatching((f) => f.type === 'message'), await alice.nextMatching((f) => f.type === 'message')];
    expect(relayed.map((f) => f.cid)).toEqual(['i1', 'i2']);
  });

  it('replays an image message on resume, with a URL that works', async () => {
    const { id } = await uploadAs(resumeTokenOf(bob));
    await sendImage(bob, id, 'i1');
    const token = resumeTokenOf(bob);
    bob.ws.terminate();
    await alice.nextMatching((f) => f.event === 'peer_away');
    const back = track(connect(resumeUrl(server, 'bob', token)));
    await back.opened;
    const replayed = await back.nextMatching((f) => f.type === 'message');
    expect(replayed).toMatchObject({ replay: true, seq: 1, neiRong: '[图片]', image: { id, mime: 'image/png' } });
    expect((await fetch(`${server.httpUrl}${(replayed.image as { url: string }).url}`)).status).toBe(200);
  });

  it('lists the image, with a URL, in the transcripts API', async () => {
    const { id } = await uploadAs(resumeTokenOf(bob));
    await sendImage(bob, id, 'i1');
    const res = await fetch(`${server.httpUrl}/api/me/messages`, { headers: { Authorization: `Bearer ${resumeTokenOf(bob)}` } });
    const body = (await res.json()) as { messages: Array<{ content: string; image: { id: string; url: string } }> };
    expect(body.messages[0]).toMatchObject({ content: '[图片]', image: { id } });
    expect(body.messages[0]?.image.url).toMatch(/^\/api\/images\//);
  });

  it('rejects an unknown image id with bad_image and its cid, and relays nothing', async () => {
    expect(await sendImage(bob, 'A'.repeat(22), 'x1')).toMatchObject({ type: 'error', error: 'bad_image', cid: 'x1', shuiFaDe: '系统' });
    expect(await sendImage(bob, '../etc/passwd', 'x2')).toMatchObject({ type: 'error', error: 'bad_image', cid: 'x2' });
    expect(alice.unread().filter((f) => f.type === 'message')).toEqual([]);
  });

  it('rejects an image uploaded into another conversation with bad_image', async () => {
    const dave = track(await connectAgent(server, 'dave'));
    const carol = track(await connectCustomer(server, 'carol', dave));
    const { id } = await uploadAs(resumeTokenOf(carol));
    expect(await sendImage(bob, id, 'x1')).toMatchObject({ type: 'error', error: 'bad_image', cid: 'x1' });
    expect(await sendImage(alice, id, 'x2')).toMatchObject({ type: 'error', error: 'bad_image', cid: 'x2' });
    expect(alice.unread().filter((f) => f.type === 'message')).toEqual([]);
  });

  it('keeps the connection open after a rejected image frame', async () => {
    await sendImage(bob, 'nope', 'x1');
    expect(bob.ws.readyState).toBe(WebSocket.OPEN);
  });
});
