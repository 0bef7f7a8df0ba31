import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connectSignedIn, signedIn } from '../helpers/accounts.js';
import { connectCustomer, resumeTokenOf, sendAcked, type TestClient } from '../helpers/client.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

// One server: three conversations, read by an admin and by two agents.
let server: TestServer;
const cookies: Record<string, string> = {};
const V1 = 'visitor-one-0123456789';
const V2 = 'visitor-two-0123456789';
/** Conversation ids: c1 Ann with V1 (ended, rated 5), c2 Ben with V1 (ended, rated 2), c3 Ben with V2 (open). */
const ids: Record<string, string> = {};
let ben: TestClient;
let startedBetween: number;

/** A customer's chat with the agent on `agent`: one message, then (unless kept open) the customer leaves and rates it. */
async function chat(agent: TestClient, customer: string, visitor: string, text: string, score?: number): Promise<string> {
  const c = await connectCustomer(server, customer, agent, `&visitor=${visitor}`);
  await sendAcked(c, text, 'm1');
  const entered = agent.frames.filter((f) => f.event === 'customer_entered' && f.customer === customer).pop();
  if (score !== undefined) {
    const token = resumeTokenOf(c);
    await c.close(1000);
    await agent.nextMatching((f) => f.event === 'customer_left');
    const rated = await fetch(`${server.httpUrl}/api/me/rating`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ score }),
    });
    if (rated.status !== 201) throw new Error(`rating answered ${rated.status}`);
  }
  return entered?.conversationId as string;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, role] of [
    ['Ann', 'agent'],
    ['Ben', 'agent'],
    ['Boss', 'admin'],
  ] as const) {
    cookies[name] = (await signedIn(server, { name, role })).cookie;
  }
  const ann = await connectSignedIn(server, cookies.Ann as string);
  ids.c1 = await chat(ann, 'c1', V1, '我要退款 please, my REFUND is late', 5);
  ann.ws.terminate();
  startedBetween = Date.now();
  ben = await connectSignedIn(server, cookies.Ben as string);
  ids.c2 = await chat(ben, 'c2', V1, '发票 invoice question', 2);
  ids.c3 = await chat(ben, 'c3', V2, '机密退款 secret refund');
});

afterAll(async () => {
  ben?.ws.terminate();
  await server?.close();
});

interface Listed {
  id: string;
  visitorId?: string;
  rating: { score: number } | null;
  matches?: Array<{ seq: number; sender: string; role: string; snippet: string }>;
}
async function list(who: string, query: string): Promise<Listed[]> {
  const res = await api(server, `/api/conversations?${query}`, who === 'key' ? { token: TEST_KEY } : { cookie: cookies[who] as string });
  if (res.status !== 200) throw new Error(`listing answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.conversations as Listed[];
}
const listedIds = async (who: string, query: string) => (await list(who, query)).map((c) => c.id);
const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe('GET /api/conversations filters and search', () => {
  it('finds Chinese and English text, with the matching messages and a snippet', async () => {
    expect(await listedIds('Boss', q('退款'))).toEqual([ids.c3, ids.c1]);
    expect(await listedIds('Boss', q('发票'))).toEqual([ids.c2]);
    expect(await listedIds('Boss', q('Refund'))).toEqual([ids.c3, ids.c1]);
    expect(await listedIds('Boss', q('  my refund  '))).toEqual([ids.c1]);
    const [c1] = await list('Boss', q('refund is'));
    expect(c1).toMatchObject({ id: ids.c1, visitorId: V1, rating: { score: 5 } });
    expect(c1?.matches).toEqual([
      { id: expect.any(Number), seq: 1, sender: 'c1', role: 'yonghu', ts: expect.any(Number), snippet: '我要退款 please, my REFUND is late' },
    ]);
    expect((await list('Boss', 'limit=5'))[0]).not.toHaveProperty('matches');
  });

  it('filters by agent, status, rating, visitor and start time', async () => {
    expect(await listedIds('Boss', 'agent=Ben')).toEqual([ids.c3, ids.c2]);
    expect(await listedIds('Boss', 'status=open')).toEqual([ids.c3]);
    expect(await listedIds('Boss', 'status=ended&rating=2')).toEqual([ids.c2]);
    expect(await listedIds('Boss', `visitor=${V1}`)).toEqual([ids.c2, ids.c1]);
    expect(await listedIds('Boss', `from=${startedBetween}`)).toEqual([ids.c3, ids.c2]);
    expect(await listedIds('Boss', `to=${startedBetween}`)).toEqual([ids.c1]);
    expect(await listedIds('key', `${q('退款')}&agent=Ann`)).toEqual([ids.c1]);
  });

  it('shows an agent a hit only in a conversation they may read', async () => {
    expect(await listedIds('Ann', q('退款'))).toEqual([ids.c1]);
    expect(await listedIds('Ann', q('secret'))).toEqual([]);
    expect(await listedIds('Ann', q('密'))).toEqual([]);
    expect(await listedIds('Ann', 'agent=Ben')).toEqual([]);
    expect(await listedIds('Ann', '')).toEqual([ids.c1]);
  });

  it('lists every conversation of a visitor an agent served, and nothing of one they did not', async () => {
    expect(await listedIds('Ann', `visitor=${V1}`)).toEqual([ids.c2, ids.c1]);
    expect(await listedIds('Ann', `visitor=${V2}`)).toEqual([]);
    expect(await listedIds('Ben', `visitor=${V1}`)).toEqual([ids.c2, ids.c1]);
    const annV1 = await api(server, `/api/conversations/${ids.c2}/messages`, { cookie: cookies.Ann as string });
    expect(annV1.status).toBe(200);
    expect(annV1.body).toMatchObject({ messages: [{ content: '发票 invoice question' }] });
    expect((await api(server, `/api/conversations/${ids.c3}/messages`, { cookie: cookies.Ann as string })).status).toBe(404);
  });

  it.each([
    ['rating=6', 'bad_filter'],
    ['rating=', 'bad_filter'],
    ['status=closed', 'bad_filter'],
    ['from=yesterday', 'bad_filter'],
    ['from=2000&to=1000', 'bad_filter'],
    ['q=', 'bad_filter'],
    ['q=%20%20', 'bad_filter'],
    [`q=${'x'.repeat(101)}`, 'bad_filter'],
    ['q=a%00b', 'bad_filter'],
    ['agent=Ann&agent=Ben', 'bad_filter'],
    ['agent=', 'bad_filter'],
    ['visitor=short', 'bad_visitor'],
  ])('answers 400 to %s', async (query, error) => {
    const res = await api(server, `/api/conversations?${query}`, { cookie: cookies.Boss as string });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error });
  });
});
