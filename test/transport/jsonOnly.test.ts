import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, resumeTokenOf } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

const message = JSON.stringify({ name: '张三', contact: 'a@example.com', content: '请回电' });

/** What a cross-site form can send without a preflight: a JSON text labelled as something else. */
function post(path: string, body: string, contentType: string, token?: string, method = 'POST'): Promise<Response> {
  return fetch(`${server.httpUrl}${path}`, {
    method,
    headers: { 'Content-Type': contentType, ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
    body,
  });
}

async function openMessages(): Promise<unknown[]> {
  const res = await fetch(`${server.httpUrl}/api/offline-messages`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
  return ((await res.json()) as { messages: unknown[] }).messages;
}

describe('POSTs that take JSON accept only application/json', () => {
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses an offline message sent as %s with 415 and stores nothing',
    async (type) => {
      server = await start();
      const res = await post('/api/offline-messages', message, type);
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: 'unsupported_media_type', message: expect.any(String) });
      expect(await openMessages()).toEqual([]);
    },
  );

  it('takes an offline message sent as application/json; charset=utf-8', async () => {
    server = await start();
    expect((await post('/api/offline-messages', message, 'application/json; charset=utf-8')).status).toBe(201);
  });

  it('refuses marking an offline message handled with a text/plain body with 415', async () => {
    server = await start();
    await post('/api/offline-messages', message, 'application/json');
    const res = await post('/api/offline-messages/1/handled', JSON.stringify({ agent: 'alice' }), 'text/plain', TEST_KEY);
    expect(res.status).toBe(415);
    expect(((await openMessages()) as Array<{ handledAt: unknown }>)[0]?.handledAt).toBeNull();
  });

  it('still marks one handled with no body at all, as scripts do', async () => {
    server = await start();
    await post('/api/offline-messages', message, 'application/json');
    const res = await fetch(`${server.httpUrl}/api/offline-messages/1/handled`, { method: 'POST', headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(res.status).toBe(200);
  });

  it('refuses a rating sent as text/plain with 415', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    const bob = track(await connectCustomer(server, 'bob', agent));
    const res = await post('/api/me/rating', JSON.stringify({ score: 5 }), 'text/plain', resumeTokenOf(bob));
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
  });

  it.each(['POST', 'PUT', 'PATCH'])('refuses a canned reply %s sent as text/plain with 415', async (method) => {
    server = await start();
    const path = method === 'POST' ? '/api/canned-replies' : '/api/canned-replies/1';
    const res = await post(path, JSON.stringify({ shortcut: 'hi', title: 'Hi', body: 'Hello' }), 'text/plain', TEST_KEY, method);
    expect(res.status).toBe(415);
  });
});
