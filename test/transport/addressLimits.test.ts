import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createAddressLimit } from '../../src/transport/addressLimits.js';
import { connect, connectAgent, customerUrl } from '../helpers/client.js';
import { PNG } from '../helpers/images.js';
import { dropPrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

function getroom(server: TestServer, name: string, forwardedFor?: string): Promise<Response> {
  return fetch(
    `${server.httpUrl}/getroom?userName=${encodeURIComponent(name)}`,
    forwardedFor === undefined ? {} : { headers: { 'X-Forwarded-For': forwardedFor } },
  );
}

interface UpgradeAnswer {
  status: number;
  retryAfter?: string;
  body: string;
}

/** Tries an upgrade and says how it was answered: 101, or the refusal's status, Retry-After and body. */
function tryUpgrade(url: string): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    ws.once('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
    });
    ws.once('close', () => reject(new Error('closed without an answer')));
  });
}

describe('GET /getroom per client address', () => {
  it('answers 429 with Retry-After and rate_limited past GETROOM_PER_MINUTE', async () => {
    const server = await start({ GETROOM_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) expect((await getroom(server, `c${i}`)).status).toBe(200);
    const res = await getroom(server, 'c3');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toEqual({ error: 'rate_limited', message: expect.any(String) });
  });

  it('counts each client behind a trusted proxy by its X-Forwarded-For address', async () => {
    const server = await start({ GETROOM_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    for (let i = 0; i < 2; i++) expect((await getroom(server, `a${i}`, '198.51.100.7')).status).toBe(200);
    expect((await getroom(server, 'a2', '198.51.100.7')).status).toBe(429);
    expect((await getroom(server, 'b0', '198.51.100.8')).status).toBe(200);
  });

  it('counts an IPv6 client by its /64, whichever address in it it uses', async () => {
    const server = await start({ GETROOM_PER_MINUTE: '2', TRUST_PROXY: 'loopback' });
    expect((await getroom(server, 'a0', '2001:db8:1:2::1')).status).toBe(200);
    expect((await getroom(server, 'a1', '2001:db8:1:2::2')).status).toBe(200);
    expect((await getroom(server, 'a2', '2001:db8:1:2:ffff::9')).status).toBe(429);
    expect((await getroom(server, 'b0', '2001:db8:1:3::1')).status).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const server = await start({ GETROOM_PER_MINUTE: '2' });
    expect((await getroom(server, 'a0', '198.51.100.1')).status).toBe(200);
    expect((await getroom(server, 'a1', '198.51.100.2')).status).toBe(200);
    expect((await getroom(server, 'a2', '198.51.100.3')).status).toBe(429);
  });

  it('places dozens of customers asking at once from one address under the default limits', async () => {
    const server = await start({ QUEUE_MAX: '100' });
    track(await connectAgent(server, 'alice'));
    track(await connectAgent(server, 'dave'));
    const names = Array.from({ length: 60 }, (_, i) => `customer${i}`);
    const answers = await Promise.all(names.map(async (name) => ({ name, res: await getroom(server, name) })));
    expect(answers.map((a) => a.res.status)).toEqual(names.map(() => 200));
    const tickets = await Promise.all(answers.map(async (a) => ({ name: a.name, ticket: ((await a.res.json()) as { ticket: string }).ticket })));
    const customers = tickets.map((t) => track(connect(customerUrl(server, t.name, t.ticket))));
    await Promise.all(customers.map((c) => c.opened));
    const placed = await Promise.all(customers.map((c) => c.nextMatching((f) => f.event === 'agent_assigned' || f.event === 'queue_position')));
    expect(placed).toHaveLength(60);
  });
});

describe('WebSocket upgrades per client address', () => {
  it.each([
    ['the WebSocket port', (s: TestServer) => `${s.wsUrl}/`],
    ['/ws on the HTTP port', (s: TestServer) => `ws://127.0.0.1:${s.httpPort}/ws`],
  ])('answers an upgrade past UPGRADES_PER_MINUTE 429 with Retry-After before a WebSocket exists (%s)', async (_label, base) => {
    const server = await start({ UPGRADES_PER_MINUTE: '2' });
    const url = (name: string) => `${base(server)}?type=kefu&name=${name}&key=${TEST_KEY}`;
    expect((await tryUpgrade(url('alice'))).status).toBe(101);
    expect((await tryUpgrade(url('dave'))).status).toBe(101);
    const refused = await tryUpgrade(url('erin'));
    expect(refused).toMatchObject({ status: 429, retryAfter: '60' });
    expect(JSON.parse(refused.body)).toEqual({ error: 'rate_limited', message: expect.any(String) });
    expect(server.gateway.size).toBeLessThanOrEqual(2);
  });

  it('counts the two ports against one limit', async () => {
    const server = await start({ UPGRADES_PER_MINUTE: '2' });
    expect((await tryUpgrade(`${server.wsUrl}/?type=kefu&name=alice&key=${TEST_KEY}`)).status).toBe(101);
    expect((await tryUpgrade(`ws://127.0.0.1:${server.httpPort}/ws?type=kefu&name=dave&key=${TEST_KEY}`)).status).toBe(101);
    expect((await tryUpgrade(`${server.wsUrl}/?type=kefu&name=erin&key=${TEST_KEY}`)).status).toBe(429);
  });
});

describe('uploads and public POSTs per client address', () => {
  it('answers an upload past UPLOADS_PER_MINUTE 429 with Retry-After, before its bytes are read', async () => {
    const server = await start({ UPLOADS_PER_MINUTE: '1' });
    const upload = () =>
      fetch(`${server.httpUrl}/api/images?conversation=none`, {
        method: 'POST',
        body: new Uint8Array(PNG),
        headers: { 'Content-Type': 'image/png', Authorization: `Bearer ${TEST_KEY}` },
      });
    expect((await upload()).status).toBe(400);
    const res = await upload();
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await res.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('takes its count of offline messages from PUBLIC_POSTS_PER_MINUTE', async () => {
    const server = await start({ PUBLIC_POSTS_PER_MINUTE: '2' });
    const leave = () =>
      fetch(`${server.httpUrl}/api/offline-messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: '张三', contact: 'a@example.com', content: 'hi' }),
      });
    expect((await leave()).status).toBe(201);
    expect((await leave()).status).toBe(201);
    expect((await leave()).status).toBe(429);
  });

  it('counts refusals by limit in kefu_edge_refusals_total', async () => {
    const server = await start({ GETROOM_PER_MINUTE: '1' });
    await getroom(server, 'a');
    await getroom(server, 'b');
    await getroom(server, 'c');
    expect(await (await fetch(`${server.httpUrl}/metrics`)).text()).toContain('kefu_edge_refusals_total{reason="getroom"} 2');
  });
});

describe('limits shared through Redis', () => {
  it('counts an address across two servers on one Redis', async () => {
    const prefix = testPrefix();
    defer(async () => {
      const redis = new Redis(TEST_REDIS_URL);
      await dropPrefix(redis, prefix);
      redis.disconnect();
    });
    const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, STORE: 'memory', GETROOM_PER_MINUTE: '4' };
    const a = await start(env);
    const b = await start(env);
    expect((await getroom(a, 'c0')).status).toBe(200);
    expect((await getroom(b, 'c1')).status).toBe(200);
    expect((await getroom(a, 'c2')).status).toBe(200);
    expect((await getroom(b, 'c3')).status).toBe(200);
    expect((await getroom(a, 'c4')).status).toBe(429);
    expect((await getroom(b, 'c5')).status).toBe(429);
  });

  it('keeps counting in memory while Redis is unreachable: nobody refused for the outage, a flood still slowed', async () => {
    const proxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
    const redis = new Redis({ port: proxy.port, host: '127.0.0.1', enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => {});
    defer(async () => {
      redis.disconnect();
      await proxy.close();
    });
    await redis.connect();
    const limit = createAddressLimit('outage', { points: 3, windowSec: 60 }, redis, testPrefix());
    expect(await limit.take('198.51.100.1')).toEqual({ ok: true });
    await proxy.cut();
    const during = [];
    for (let i = 0; i < 4; i++) during.push(await limit.take('198.51.100.2'));
    expect(during.map((v) => v.ok)).toEqual([true, true, true, false]);
  });
});
