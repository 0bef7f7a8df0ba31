import { beforeEach, describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf, sendAcked } from '../helpers/client.js';
import { postgresEnv } from '../helpers/cluster.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

// U+0000 is valid JSON and SQLite keeps it, but PostgreSQL's text columns refuse it: a message
// holding one got store_failed on every resend, and the HTTP routes answered 500. Every text a
// client can get stored must be refused with its own error code on both stores alike.
const STORES: Array<[string, () => { env: Record<string, string>; drop: () => Promise<void> }]> = [
  ['SQLite', () => ({ env: {}, drop: async () => {} })],
  ['PostgreSQL', postgresEnv],
];

describe.each(STORES)('U+0000 from a client, %s store', (_store, storeEnv) => {
  const { start, track, defer } = useServers();
  let server: TestServer;

  beforeEach(async () => {
    const store = storeEnv();
    defer(store.drop);
    server = await start({ ...store.env, MAX_MESSAGE_CHARS: '100' });
  });

  const agentGet = async (path: string): Promise<Record<string, unknown>> =>
    (await (await fetch(`${server.httpUrl}${path}`, { headers: { Authorization: `Bearer ${TEST_KEY}` } })).json()) as Record<string, unknown>;

  const post = async (path: string, body: unknown, bearer?: string, method = 'POST'): Promise<{ status: number; json: Record<string, unknown> }> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (bearer !== undefined) headers.Authorization = `Bearer ${bearer}`;
    const res = await fetch(`${server.httpUrl}${path}`, { method, headers, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('answers a chat message holding U+0000 with bad_char and its cid, and neither stores nor relays it', async () => {
    const agent = track(await connectAgent(server, 'alice', '&v=2'));
    const bob = track(await connectCustomer(server, 'bob', agent));
    bob.send('a\u0000b', { cid: 'n1' });
    expect(await bob.nextMatching((f) => f.cid === 'n1')).toMatchObject({
      type: 'error',
      error: 'bad_char',
      shuiFaDe: '系统',
      neiRong: '消息不能包含空字符(U+0000)',
    });
    // The next message is the first the agent gets and the only one stored.
    await sendAcked(bob, 'after', 'n2');
    expect((await agent.nextMatching((f) => f.type === 'message')).neiRong).toBe('after');
    const res = await fetch(`${server.httpUrl}/api/me/messages`, { headers: { Authorization: `Bearer ${resumeTokenOf(bob)}` } });
    const { messages } = (await res.json()) as { messages: Array<{ content: string }> };
    expect(messages.map((m) => m.content)).toEqual(['after']);
  });

  it('answers a team note holding U+0000 with bad_char and its cid, and neither stores nor relays it', async () => {
    const alice = track(await connectAgent(server, 'alice', '&v=2'));
    const dave = track(await connectAgent(server, 'dave', '&v=2'));
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'x\u0000', cid: 't1' }));
    expect(await alice.nextMatching((f) => f.cid === 't1')).toMatchObject({ type: 'error', error: 'bad_char' });
    alice.sendRaw(JSON.stringify({ type: 'team', neiRong: 'after', cid: 't2' }));
    await alice.nextMatching((f) => f.cid === 't2' && f.type === 'team');
    expect((await dave.nextMatching((f) => f.type === 'team')).neiRong).toBe('after');
    // A console that connects now gets the team history: only the note that was accepted.
    const erin = track(await connectAgent(server, 'erin', '&v=2'));
    await erin.nextMatching((f) => f.type === 'team' && f.neiRong === 'after');
    expect(erin.frames.filter((f) => f.type === 'team').map((f) => f.neiRong)).toEqual(['after']);
  });

  it('answers an offline message whose text holds U+0000 with 400 bad_char and stores nothing', async () => {
    const res = await post('/api/offline-messages', { name: '张三', contact: 'zs@example.com', content: '请回电\u0000' });
    expect(res).toMatchObject({ status: 400, json: { error: 'bad_char', message: expect.any(String) } });
    expect((await agentGet('/api/offline-messages')).messages).toEqual([]);
  });

  it.each([
    ['contact', 'bad_contact', { name: '张三', contact: 'zs\u0000@example.com', content: 'hi' }],
    ['name', 'bad_name', { name: '张\u0000三', contact: 'zs@example.com', content: 'hi' }],
  ])('answers an offline message whose %s holds U+0000 with 400 %s and stores nothing', async (_field, error, body) => {
    expect(await post('/api/offline-messages', body)).toMatchObject({ status: 400, json: { error } });
    expect((await agentGet('/api/offline-messages')).messages).toEqual([]);
  });

  it('answers a canned reply whose body holds U+0000 with 400 bad_body, on create and on edit, and stores nothing', async () => {
    expect(await post('/api/canned-replies', { shortcut: 'hi', title: 'Hi', body: '您好\u0000' }, TEST_KEY)).toMatchObject({
      status: 400,
      json: { error: 'bad_body' },
    });
    expect(await agentGet('/api/canned-replies')).toEqual({ cannedReplies: [] });
    const made = await post('/api/canned-replies', { shortcut: 'hi', title: 'Hi', body: '您好' }, TEST_KEY);
    expect(made.status).toBe(201);
    const edit = await post(`/api/canned-replies/${made.json.id as number}`, { body: '您好\u0000' }, TEST_KEY, 'PATCH');
    expect(edit).toMatchObject({ status: 400, json: { error: 'bad_body' } });
    expect(await agentGet('/api/canned-replies')).toMatchObject({ cannedReplies: [{ body: '您好' }] });
  });

  it('answers a canned reply whose title holds U+0000 with 400 bad_title', async () => {
    expect(await post('/api/canned-replies', { shortcut: 'hi', title: 'H\u0000i', body: '您好' }, TEST_KEY)).toMatchObject({
      status: 400,
      json: { error: 'bad_title' },
    });
  });

  it('answers a rating whose comment holds U+0000 with 400 bad_comment and stores nothing', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const bob = track(await connectCustomer(server, 'bob', agent));
    const token = resumeTokenOf(bob);
    expect(await post('/api/me/rating', { score: 5, comment: '很好\u0000' }, token)).toMatchObject({ status: 400, json: { error: 'bad_comment' } });
    // Not rated yet: a clean rating is still taken.
    expect((await post('/api/me/rating', { score: 5, comment: '很好' }, token)).status).toBe(201);
  });

  it('answers 404 for a conversation id holding U+0000', async () => {
    const res = await fetch(`${server.httpUrl}/api/conversations/a%00b/messages`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers an agent upload into a conversation id holding U+0000 with 400 no_conversation', async () => {
    const res = await fetch(`${server.httpUrl}/api/images?conversation=a%00b`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_KEY}` },
      body: new Uint8Array(8),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'no_conversation' });
  });
});
