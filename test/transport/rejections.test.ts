import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentUrl, connect, connectAgent, connectCustomer, customerUrl, getRoom } from '../helpers/client.js';
import { openSocket } from '../helpers/rawSocket.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

beforeEach(async () => {
  server = await start({ TICKET_TTL_MS: '60000' });
});

async function closeCodeOf(url: string) {
  const c = track(connect(url));
  return c.closed;
}

describe('connection rejections', () => {
  it.each([
    ['/?name=a', 'missing type'],
    ['/?type=boss&name=a', 'unknown type'],
    ['/?type=kefu&key=x', 'missing name'],
    ['/?type=kefu&name=%20%20&key=x', 'blank name'],
    [`/?type=kefu&name=${'x'.repeat(33)}&key=x`, 'overlong name'],
    ['/?type=kefu&name=a%0Ab&key=x', 'control character'],
    ['/?type=yonghu&name=%E7%B3%BB%E7%BB%9F&ticket=x', 'the reserved name 系统'],
  ])('closes %s with 4400 (%s)', async (path) => {
    const closed = await closeCodeOf(`${server.wsUrl}${path}`);
    expect(closed.code).toBe(4400);
    expect(closed.reason.length).toBeGreaterThan(0);
  });

  it('closes an agent with a wrong key with 4401', async () => {
    expect((await closeCodeOf(agentUrl(server, 'alice', 'wrong-key-123'))).code).toBe(4401);
  });

  it('closes an agent without a key with 4401', async () => {
    expect((await closeCodeOf(`${server.wsUrl}/?type=kefu&name=alice`)).code).toBe(4401);
  });

  it('closes a customer without a ticket with 4401', async () => {
    expect(await closeCodeOf(`${server.wsUrl}/?type=yonghu&name=bob`)).toEqual({ code: 4401, reason: 'missing ticket' });
  });

  it('closes a customer with a made-up ticket with 4401', async () => {
    track(await connectAgent(server, 'alice'));
    expect((await closeCodeOf(customerUrl(server, 'bob', 'AAAAAAAAAAAAAAAAAAAAAAAA'))).code).toBe(4401);
  });

  it('closes a customer reusing a ticket with 4401 and leaves the first customer seated', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const answer = await getRoom(server, 'bob');
    const first = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
    await first.next();
    await agent.next();
    expect(await closeCodeOf(customerUrl(server, 'bob', answer.ticket as string))).toEqual({
      code: 4401,
      reason: 'unknown or already used ticket',
    });
    first.send('still here');
    await first.next();
    expect((await agent.next()).neiRong).toBe('still here');
  });

  it('closes a customer presenting another name with the ticket with 4401: a name does not open a room', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const answer = await getRoom(server, 'bob');
    expect(await closeCodeOf(customerUrl(server, 'mallory', answer.ticket as string))).toEqual({
      code: 4401,
      reason: 'ticket belongs to another name',
    });
    const bob = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
    expect((await bob.next()).neiRong).toBe('客服-alice-将为您服务');
    expect((await agent.next()).neiRong).toBe('用户-bob-已进入房间');
  });

  it('closes a customer with an expired ticket with 4401 and gives the agent to the next customer', async () => {
    await server.close();
    // Long enough for carol to connect with her ticket on a busy machine, short for the test.
    server = await start({ TICKET_TTL_MS: '1500' });
    const agent = track(await connectAgent(server, 'alice'));
    const bob = await getRoom(server, 'bob');
    const carol = await getRoom(server, 'carol');
    expect(carol).toMatchObject({ room: false, position: 1 });
    // Carol waits; once bob's reservation lapses unused, alice is free and carol gets her.
    const waiting = track(connect(customerUrl(server, 'carol', carol.ticket as string)));
    expect(await waiting.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ neiRong: '客服-alice-将为您服务' });
    expect(await agent.next()).toMatchObject({ neiRong: '用户-carol-已进入房间' });
    expect(await closeCodeOf(customerUrl(server, 'bob', bob.ticket as string))).toEqual({ code: 4401, reason: 'ticket expired' });
  });

  it('closes a second agent with a name that is online with 4409 and leaves the first untouched', async () => {
    const first = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', first));
    expect((await closeCodeOf(agentUrl(server, 'alice'))).code).toBe(4409);
    customer.send('hello');
    await customer.next();
    expect((await first.next()).neiRong).toBe('hello');
  });

  it('refuses a cross-site WebSocket upgrade with 403 before any socket exists', async () => {
    const ws = new WebSocket(agentUrl(server, 'alice'), { headers: { Origin: 'https://evil.example' } });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
    expect(server.gateway.size).toBe(0);
  });

  it('answers a cross-site upgrade with a JSON forbidden_origin body and closes the connection', async () => {
    const socket = await openSocket(server.wsPort);
    socket.write(
      `GET /?type=kefu&name=alice&key=${TEST_KEY} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://evil.example\r\n` +
        'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    await socket.closed;
    const body = '{"error":"forbidden_origin","message":"origin not allowed"}';
    expect(socket.received).toBe(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
  });

  it('accepts an upgrade from a page served by this server', async () => {
    const c = track(connect(agentUrl(server, 'alice'), { Origin: `http://127.0.0.1:${server.httpPort}` }));
    expect((await c.next()).event).toBe('room_opened');
  });

  it('refuses an upgrade on the HTTP port outside /ws with 404', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/other?type=kefu&name=a&key=x`);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(status).toBe(404);
  });
});

describe('GET /getroom input', () => {
  it.each([
    ['', 'missing'],
    ['?userName=', 'empty'],
    ['?userName=%20', 'blank'],
    [`?userName=${'x'.repeat(33)}`, 'overlong'],
    ['?userName=a&userName=b', 'repeated'],
    ['?userName=a%00', 'control character'],
  ])('answers 400 with a JSON error for %s (%s)', async (query) => {
    const res = await fetch(`${server.httpUrl}/getroom${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: 'bad_name' });
  });

  it('answers { room: false } with a queue ticket when no agent is online', async () => {
    expect(await getRoom(server, 'bob')).toMatchObject({ room: false, position: 1, ticket: expect.any(String) });
  });

  it('answers 426 to plain HTTP on the WebSocket port', async () => {
    const res = await fetch(`http://127.0.0.1:${server.wsPort}/`);
    expect(res.status).toBe(426);
  });
});
