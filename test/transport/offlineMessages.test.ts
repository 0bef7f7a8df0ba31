import { describe, expect, it } from 'vitest';
import { connect, agentUrl, connectAgent } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

const good = { name: '张三', contact: 'zhangsan@example.com', content: '请回电,订单 123 没有收到' };

function leave(body: unknown, raw?: string): Promise<Response> {
  return fetch(`${server.httpUrl}/api/offline-messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
}

/** GET the list; `token` null sends no Authorization header. */
function list(query = '', token: string | null = TEST_KEY): Promise<Response> {
  return fetch(`${server.httpUrl}/api/offline-messages${query}`, token === null ? {} : { headers: { Authorization: `Bearer ${token}` } });
}

function markHandled(id: number | string, agent?: string, token = TEST_KEY): Promise<Response> {
  return fetch(`${server.httpUrl}/api/offline-messages/${id}/handled`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(agent === undefined ? {} : { agent }),
  });
}

interface Listed {
  messages: Array<Record<string, unknown>>;
  nextBefore: string | null;
}

describe('leaving an offline message', () => {
  it('stores a valid message and answers 201 with its id', async () => {
    server = await start();
    const res = await leave(good);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ id: expect.any(Number), createdAt: expect.any(Number) });
    const body = (await (await list()).json()) as Listed;
    expect(body.messages).toEqual([{ id: expect.any(Number), ...good, createdAt: expect.any(Number), handledAt: null, handledBy: null }]);
  });

  it('accepts a phone number as the contact', async () => {
    server = await start();
    expect((await leave({ ...good, contact: '+86 138-0013-8000' })).status).toBe(201);
  });

  it.each([
    ['a body that is not JSON', undefined, '{"name": ', 'bad_json'],
    ['a JSON array', [good], undefined, 'bad_json'],
    ['a missing name', { contact: good.contact, content: 'x' }, undefined, 'bad_name'],
    ["the bot's name", { ...good, name: '小助手' }, undefined, 'bad_name'],
    ['a missing contact', { name: '张三', content: 'x' }, undefined, 'bad_contact'],
    ['a contact that is neither mail nor phone', { ...good, contact: 'call me maybe' }, undefined, 'bad_contact'],
    ['markup as the contact', { ...good, contact: '<script>alert(1)</script>@x.com' }, undefined, 'bad_contact'],
    ['an empty message', { ...good, content: '   ' }, undefined, 'empty'],
    ['a message over 1000 characters', { ...good, content: '长'.repeat(1001) }, undefined, 'too_long'],
  ])('refuses %s with 400', async (_label, body, raw, error) => {
    server = await start();
    const res = await leave(body, raw);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error, message: expect.any(String) });
    expect(((await (await list()).json()) as Listed).messages).toEqual([]);
  });

  it('refuses a body over 16 kB with 413', async () => {
    server = await start();
    const res = await leave({ ...good, content: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'too_large' });
  });

  it('keeps 1000 characters (not UTF-16 units) as the limit, and keeps markup as plain text', async () => {
    server = await start();
    const xss = `<img src=x onerror="alert(1)">${'😀'.repeat(900)}`;
    expect((await leave({ ...good, name: '<b>x</b>', content: xss })).status).toBe(201);
    expect(((await (await list()).json()) as Listed).messages[0]).toMatchObject({ name: '<b>x</b>', content: xss });
  });

  it('limits one address to 5 messages at once, then answers 429 with Retry-After', async () => {
    server = await start();
    for (let i = 0; i < 5; i++) expect((await leave({ ...good, content: `m${i}` })).status).toBe(201);
    const res = await leave(good);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toMatchObject({ error: 'rate_limited' });
  });
});

describe('offline messages API for agents', () => {
  it('answers 401 without the agent key, to listing and to marking handled', async () => {
    server = await start();
    await leave(good);
    expect((await list('', null)).status).toBe(401);
    expect((await list('', 'wrong-key-000')).status).toBe(401);
    expect((await markHandled(1, 'alice', 'wrong-key-000')).status).toBe(401);
  });

  it('lists newest first, paged, all or only the open ones, and marks one handled', async () => {
    server = await start();
    for (const content of ['a', 'b', 'c']) await leave({ ...good, content });
    const p1 = (await (await list('?limit=2')).json()) as Listed;
    expect(p1.messages.map((m) => m.content)).toEqual(['c', 'b']);
    const p2 = (await (await list(`?limit=2&before=${p1.nextBefore}`)).json()) as Listed;
    expect(p2).toMatchObject({ messages: [{ content: 'a' }], nextBefore: null });
    const b = p1.messages[1] as { id: number };
    const handled = await markHandled(b.id, 'alice');
    expect(handled.status).toBe(200);
    expect(await handled.json()).toMatchObject({ content: 'b', handledBy: 'alice', handledAt: expect.any(Number) });
    expect(((await (await list('?status=open')).json()) as Listed).messages.map((m) => m.content)).toEqual(['c', 'a']);
  });

  it('refuses bad queries with 400 and an unknown id with 404', async () => {
    server = await start();
    for (const q of ['?limit=0', '?limit=201', '?before=x', '?status=done']) expect((await list(q)).status, q).toBe(400);
    expect((await markHandled('abc')).status).toBe(400);
    expect((await markHandled(1, '系统')).status).toBe(400);
    expect((await markHandled(999)).status).toBe(404);
  });
});

describe('offline messages in the agent console', () => {
  it('gives the open messages to the next agent who comes online, right after room_opened (protocol 2)', async () => {
    server = await start();
    await leave(good);
    await leave({ ...good, content: '<script>alert(1)</script>' });
    const agent = track(await connectAgent(server, 'alice', '&v=2'));
    const frame = await agent.nextMatching((f) => f.type === 'offline_messages');
    expect(frame).toMatchObject({ shuiFaDe: '系统', neiRong: '客服不在线时有 2 条留言待处理' });
    expect((frame.offlineMessages as Array<{ content: string; contact: string }>).map((m) => [m.content, m.contact])).toEqual([
      ['<script>alert(1)</script>', good.contact],
      [good.content, good.contact],
    ]);
  });

  it('no longer gives a message once it is marked handled', async () => {
    server = await start();
    const { id } = (await (await leave(good)).json()) as { id: number };
    await markHandled(id, 'alice');
    const agent = track(await connectAgent(server, 'alice', '&v=2'));
    agent.send('ping');
    const echo = await agent.nextMatching((f) => f.type === 'message' || f.type === 'offline_messages');
    expect(echo.type).toBe('message');
  });

  it('shows a message left while an agent is online to that agent at once', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice', '&v=2'));
    await leave(good);
    expect(await agent.nextMatching((f) => f.type === 'offline_messages')).toMatchObject({ live: true, neiRong: '用户-张三-留言了', offlineMessages: [good] });
  });

  it('never sends offline_messages to a seed console, which would show it as a chat line', async () => {
    server = await start();
    await leave(good);
    const agent = track(connect(agentUrl(server, 'alice')));
    expect(await agent.next()).toMatchObject({ event: 'room_opened' });
    await leave(good);
    agent.send('ping');
    expect(await agent.next()).toMatchObject({ type: 'message', neiRong: 'ping' });
  });
});
