import { beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf, sendAcked, type TestClient } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;
let bob: TestClient;
let carol: TestClient;

beforeEach(async () => {
  server = await start();
  track(await connectAgent(server, 'alice'));
  track(await connectAgent(server, 'dave'));
  bob = track(await connectCustomer(server, 'bob'));
  carol = track(await connectCustomer(server, 'carol'));
  await sendAcked(bob, 'bob secret', 'b1');
  await sendAcked(carol, 'carol secret', 'c1');
});

const get = (path: string, token?: string) => fetch(`${server.httpUrl}${path}`, token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } });

describe('transcripts API for agents', () => {
  it('lists conversations newest first, paged', async () => {
    const first = await get('/api/conversations?limit=1', TEST_KEY);
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { conversations: Array<{ customer: string }>; nextBefore: string };
    expect(page1.conversations.map((c) => c.customer)).toEqual(['carol']);
    const page2 = (await (await get(`/api/conversations?limit=1&before=${page1.nextBefore}`, TEST_KEY)).json()) as {
      conversations: Array<{ customer: string; messageCount: number }>;
      nextBefore: string | null;
    };
    expect(page2.conversations).toMatchObject([{ customer: 'bob', messageCount: 1 }]);
    expect(page2.nextBefore).toBeNull();
  });

  it('reads one conversation\u2019s messages in seq order', async () => {
    const list = (await (await get('/api/conversations', TEST_KEY)).json()) as { conversations: Array<{ id: string; customer: string }> };
    const bobs = list.conversations.find((c) => c.customer === 'bob');
    const res = await get(`/api/conversations/${bobs?.id}/messages`, TEST_KEY);
    expect(await res.json()).toMatchObject({ conversation: { customer: 'bob' }, messages: [{ seq: 1, content: 'bob secret', sender: 'bob' }] });
  });

  it.each([
    ['no token', undefined],
    ['a wrong key', 'wrong-key-wrong'],
    ['a customer resume token', 'RESUME'],
  ])('answers 401 to %s', async (_l, token) => {
    const t = token === 'RESUME' ? resumeTokenOf(bob) : token;
    expect((await get('/api/conversations', t)).status).toBe(401);
    expect((await get('/api/conversations/x/messages', t)).status).toBe(401);
  });

  it.each(['?limit=0', '?limit=abc', '?limit=201', '?before=x'])('answers 400 to %s', async (q) => {
    const res = await get(`/api/conversations${q}`, TEST_KEY);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_query' });
  });

  it('answers 404 for an unknown conversation', async () => {
    expect((await get('/api/conversations/00000000-0000-0000-0000-000000000000/messages', TEST_KEY)).status).toBe(404);
  });
});

describe('transcripts API for customers', () => {
  it('gives a customer their own current conversation through their resume token', async () => {
    const res = await get('/api/me/messages', resumeTokenOf(bob));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).toEqual(['bob secret']);
  });

  it('reaches no other conversation: the conversation comes from the token, not from the URL', async () => {
    const list = (await (await get('/api/conversations', TEST_KEY)).json()) as { conversations: Array<{ id: string; customer: string }> };
    const carols = list.conversations.find((c) => c.customer === 'carol')?.id;
    const bobToken = resumeTokenOf(bob);
    expect((await get(`/api/conversations/${carols}/messages`, bobToken)).status).toBe(401);
    const res = await get(`/api/me/messages?conversationId=${carols}`, bobToken);
    const body = (await res.json()) as { messages: Array<{ content: string }> };
    expect(body.messages.map((m) => m.content)).toEqual(['bob secret']);
  });

  it('answers 401 to a forged token and to the token of an ended conversation', async () => {
    expect((await get('/api/me/messages', 'forged')).status).toBe(401);
    expect((await get('/api/me/messages')).status).toBe(401);
    const token = resumeTokenOf(carol);
    await carol.close(1000);
    await expect.poll(async () => (await get('/api/me/messages', token)).status).toBe(401);
  });
});
