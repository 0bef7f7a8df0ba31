import { beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf, sendAcked, type TestClient } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;
let agent: TestClient;
let bob: TestClient;
let token: string;

beforeEach(async () => {
  server = await start();
  // A protocol-2 console: it is told when its customer rates.
  agent = track(await connectAgent(server, 'alice', '&v=2'));
  bob = track(await connectCustomer(server, 'bob', agent));
  token = resumeTokenOf(bob);
  await sendAcked(bob, 'thanks', 'b1');
});

async function rate(body: unknown, bearer: string | null = token): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (bearer !== null) headers.Authorization = `Bearer ${bearer}`;
  const res = await fetch(`${server.httpUrl}/api/me/rating`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const get = async (path: string, bearer = TEST_KEY) => {
  const res = await fetch(`${server.httpUrl}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

/** Bob leaves on purpose and the agent has seen it, so the conversation has ended. */
async function bobLeaves(): Promise<void> {
  await bob.close(1000);
  await agent.nextMatching((f) => f.event === 'customer_left');
}

describe('rating a conversation', () => {
  it('stores a rating with the conversation after the customer left, shown in the transcripts API', async () => {
    await bobLeaves();
    const res = await rate({ score: 4, comment: '  回复很快  ' });
    expect(res).toEqual({ status: 201, json: { rating: { score: 4, comment: '回复很快', ratedAt: expect.any(Number) } } });
    const list = await get('/api/conversations');
    const conversations = list.json.conversations as Array<Record<string, unknown>>;
    expect(conversations[0]).toMatchObject({ customer: 'bob', endReason: 'customer_left', rating: { score: 4, comment: '回复很快' } });
    const one = await get(`/api/conversations/${conversations[0]?.id as string}/messages`);
    expect(one.json).toMatchObject({ conversation: { rating: { score: 4, comment: '回复很快' } }, messages: [{ content: 'thanks' }] });
  });

  it('tells the agent\u2019s protocol-2 console that the customer rated', async () => {
    await bobLeaves();
    await rate({ score: 5, comment: '<img src=x onerror=window.__pwned=1>' });
    const f = await agent.nextMatching((x) => x.event === 'rated');
    expect(f).toMatchObject({
      type: 'system',
      shuiFaDe: '系统',
      neiRong: '用户-bob-评价了本次服务:5 星',
      customer: 'bob',
      score: 5,
      comment: '<img src=x onerror=window.__pwned=1>',
    });
  });

  it('says nothing about ratings to a seed (protocol 1) console', async () => {
    await bobLeaves();
    await agent.close(1000);
    const seedAgent = track(await connectAgent(server, 'dave'));
    const carol = track(await connectCustomer(server, 'carol', seedAgent));
    expect((await rate({ score: 3 }, resumeTokenOf(carol))).status).toBe(201);
    // Frames to one socket keep their order: had a rated frame been sent, it would come first.
    await sendAcked(carol, 'after rating', 'c1');
    await seedAgent.nextMatching((f) => f.neiRong === 'after rating');
    expect(seedAgent.frames.map((f) => f.event ?? f.type)).toEqual(['room_opened', 'customer_entered', 'message']);
  });

  it('accepts a rating after the agent left and the customer was dismissed', async () => {
    await agent.close(1000);
    await bob.closed;
    expect((await rate({ score: 2 })).status).toBe(201);
  });

  it('answers 409 already_rated to a second rating and keeps the first', async () => {
    await bobLeaves();
    expect((await rate({ score: 5 })).status).toBe(201);
    expect(await rate({ score: 1, comment: 'again' })).toMatchObject({ status: 409, json: { error: 'already_rated' } });
    const list = await get('/api/conversations');
    expect((list.json.conversations as Array<Record<string, unknown>>)[0]).toMatchObject({ rating: { score: 5, comment: null } });
  });

  it.each([
    ['no token', null],
    ['a forged token', 'forged-token'],
    ['the agent key', TEST_KEY],
  ])('answers 401 to %s', async (_label, bearer) => {
    expect(await rate({ score: 5 }, bearer)).toMatchObject({ status: 401, json: { error: 'unauthorized' } });
  });

  it.each([
    ['score 0', { score: 0 }, 'bad_score'],
    ['score 6', { score: 6 }, 'bad_score'],
    ['a fractional score', { score: 3.5 }, 'bad_score'],
    ['a score as a string', { score: '4' }, 'bad_score'],
    ['no score', { comment: 'hi' }, 'bad_score'],
    ['a comment over 500 characters', { score: 4, comment: '字'.repeat(501) }, 'bad_comment'],
    ['a comment that is not a string', { score: 4, comment: 42 }, 'bad_comment'],
    ['a body that is not an object', [4], 'bad_json'],
    ['malformed JSON', '{"score":', 'bad_json'],
  ])('answers 400 to %s and stores nothing', async (_label, body, error) => {
    expect(await rate(body)).toMatchObject({ status: 400, json: { error } });
    expect((await rate({ score: 4, comment: '字'.repeat(500) })).status).toBe(201);
  });
});

describe('ratings summary', () => {
  it('gives each agent\u2019s count, average and distribution', async () => {
    await bobLeaves();
    await rate({ score: 4 });
    const carol = track(await connectCustomer(server, 'carol', agent));
    await rate({ score: 5 }, resumeTokenOf(carol));
    expect(await get('/api/ratings/summary')).toEqual({
      status: 200,
      json: { agents: [{ agent: 'alice', count: 2, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } }] },
    });
  });

  it('answers 401 without the agent key, including to a customer token', async () => {
    expect((await get('/api/ratings/summary', 'wrong-key-wrong')).status).toBe(401);
    expect((await get('/api/ratings/summary', token)).status).toBe(401);
  });
});
