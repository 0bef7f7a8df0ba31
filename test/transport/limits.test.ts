import net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { agentUrl, connect, connectAgent, connectCustomer, getRoom, type TestClient } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

async function pair(env: Record<string, string> = {}) {
  server = await start(env);
  const agent = track(await connectAgent(server, 'alice'));
  const customer = track(await connectCustomer(server, 'bob', agent));
  return { server, agent, customer };
}

/** Sends a last good message and returns once the peer has it: anything relayed before is in. */
async function roundTrip(from: TestClient, to: TestClient): Promise<void> {
  from.send('sync');
  await from.nextMatching((f) => f.neiRong === 'sync');
  await to.nextMatching((f) => f.neiRong === 'sync');
}

describe('bad frames', () => {
  it.each([
    ['not json at all', 'bad_frame'],
    ['{"neiRong": 42}', 'bad_frame'],
    ['{"text": "hi"}', 'bad_frame'],
    ['[]', 'bad_frame'],
    ['{"neiRong": ""}', 'empty'],
    [JSON.stringify({ neiRong: 'x'.repeat(2001) }), 'too_long'],
  ])('answers %s with error %s to the sender only, relays nothing, and keeps the connection', async (raw, error) => {
    const { customer, agent } = await pair();
    customer.sendRaw(raw);
    expect(await customer.next()).toMatchObject({ shuiFaDe: '系统', type: 'error', error });
    await roundTrip(customer, agent);
    expect(agent.frames.filter((f) => f.type !== 'system' && f.neiRong !== 'sync')).toEqual([]);
  });

  it('accepts a message of exactly 2000 characters', async () => {
    const { customer, agent } = await pair();
    customer.send('好'.repeat(2000));
    expect((await customer.next()).neiRong).toHaveLength(2000);
    expect((await agent.next()).neiRong).toHaveLength(2000);
  });

  it('closes with 1009 on a frame over the payload limit', async () => {
    const { customer, agent } = await pair();
    customer.sendRaw(JSON.stringify({ neiRong: 'x'.repeat(70 * 1024) }));
    expect((await customer.closed).code).toBe(1009);
    expect(await agent.next()).toMatchObject({ event: 'peer_away', neiRong: '用户-bob-暂时离开' });
  });

  it('closes with 1003 on a binary frame', async () => {
    const { customer } = await pair();
    customer.sendRaw(Buffer.from('{"neiRong":"hi"}'), true);
    expect((await customer.closed).code).toBe(1003);
  });
});

describe('rate limit', () => {
  it('answers frames over the rate with rate_limited and relays none of them', async () => {
    const { customer, agent } = await pair({ RATE_BURST: '3', RATE_PER_SEC: '1', ABUSE_BURST: '50' });
    for (let i = 0; i < 6; i++) customer.send(`m${i}`);
    const got = [];
    for (let i = 0; i < 6; i++) got.push(await customer.next());
    expect(got.map((f) => f.error ?? f.neiRong)).toEqual(['m0', 'm1', 'm2', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect([await agent.next(), await agent.next(), await agent.next()].map((f) => f.neiRong)).toEqual(['m0', 'm1', 'm2']);
    expect(agent.unread()).toEqual([]);
    expect(customer.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection that keeps flooding with 1008', async () => {
    const { customer, agent } = await pair({ RATE_BURST: '2', RATE_PER_SEC: '1', ABUSE_BURST: '5' });
    for (let i = 0; i < 30; i++) customer.send(`flood${i}`);
    expect((await customer.closed).code).toBe(1008);
    expect((await agent.nextMatching((f) => f.type === 'system')).event).toBe('peer_away');
  });
});

describe('checks before a frame is read', () => {
  it('refuses a frame larger than any message could make it with too_long, unread', async () => {
    const { customer, agent } = await pair();
    // Valid JSON and a valid message, padded with white space past what 2,000 characters can take.
    customer.sendRaw(`{"neiRong":"hi","cid":"c1"${' '.repeat(40 * 1024)}}`);
    const refused = await customer.next();
    expect(refused).toMatchObject({ type: 'error', error: 'too_long' });
    expect(refused.cid).toBeUndefined();
    await roundTrip(customer, agent);
    expect(agent.frames.filter((f) => f.neiRong === 'hi')).toEqual([]);
  });

  it('refuses frames over the frame budget unread: their errors carry no cid', async () => {
    const { customer } = await pair({ RATE_BURST: '2', RATE_PER_SEC: '1', ABUSE_BURST: '50' });
    for (let i = 0; i < 12; i++) customer.send(`m${i}`, { cid: `c${i}` });
    const got = [];
    for (let i = 0; i < 12; i++) got.push(await customer.next());
    expect(got.slice(0, 2).map((f) => f.neiRong)).toEqual(['m0', 'm1']);
    const refused = got.slice(2);
    expect(refused.map((f) => f.error)).toEqual(Array(10).fill('rate_limited'));
    // Over the message budget but within the frame budget: read, so the page learns which message it was.
    expect(refused[0]?.cid).toBe('c2');
    expect(refused.at(-1)?.cid).toBeUndefined();
  });
});

describe('dead and slow peers', () => {
  it('terminates a client that stops answering pings, holds its place for grace, then cleans it up as a leave', async () => {
    // The agent answers pings too: the interval leaves room for a busy machine to answer in time.
    server = await start({ HEARTBEAT_MS: '250', GRACE_MS: '300' });
    const agent = track(await connectAgent(server, 'alice'));
    const answer = await getRoom(server, 'bob');
    // A raw client whose pong we suppress: ws answers pings automatically, so we stop it reading.
    const silent = new WebSocket(`${server.wsUrl}/?type=yonghu&name=bob&ticket=${answer.ticket}`, { autoPong: false });
    silent.on('error', () => {});
    await agent.nextMatching((f) => f.event === 'customer_entered');
    expect((await agent.next(5000)).event).toBe('peer_away');
    expect(await agent.next(5000)).toMatchObject({ neiRong: '用户-bob-已退出房间', event: 'customer_left', timeout: true });
    silent.terminate();
  });

  it('keeps a client that answers pings', async () => {
    // Short enough for several rounds, long enough that a pong delayed by a busy machine still counts.
    server = await start({ HEARTBEAT_MS: '1000' });
    const agent = track(await connectAgent(server, 'alice'));
    let pings = 0;
    agent.ws.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    expect(agent.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('spreads its pings over the round: connections opened together are pinged in different steps, each once a round', async () => {
    // Twenty steps of 100 ms. The eight connections take eight slots, in turn, and each step
    // pings one slot: their first pings fall in eight different steps, at least 700 ms apart.
    server = await start({ HEARTBEAT_MS: '2000' });
    const names = ['ann', 'ben', 'cal', 'dee', 'eve', 'fay', 'gus', 'hal'];
    const agents = await Promise.all(names.map(async (name) => track(await connectAgent(server, name))));
    const pingTimes = await Promise.all(
      agents.map(
        (agent) =>
          new Promise<number[]>((resolve) => {
            const times: number[] = [];
            agent.ws.on('ping', () => {
              times.push(Date.now());
              if (times.length === 2) resolve(times);
            });
          }),
      ),
    );
    const firsts = pingTimes.map((t) => t[0] as number);
    // In one tick the first pings would all land within a few ms of each other.
    expect(Math.max(...firsts) - Math.min(...firsts)).toBeGreaterThanOrEqual(500);
    for (const [first, second] of pingTimes) expect((second as number) - (first as number)).toBeGreaterThanOrEqual(1500);
  });

  it('cuts a consumer that stops reading once its send buffer passes the bound', async () => {
    const { agent, customer } = await pair({ MAX_BUFFERED_BYTES: '65536', RATE_BURST: '100000', RATE_PER_SEC: '100000' });
    // Stop reading at the TCP level: the server's buffer for the customer grows with every echo.
    (customer.ws as unknown as { _socket: net.Socket })._socket.pause();
    const big = '好'.repeat(2000);
    const left = agent.nextMatching((f) => f.event === 'peer_away', 15_000);
    // The agent gets its own echoes too: it reads them every few messages, so only the customer,
    // who reads nothing, passes the bound (50 echoes unread, 300 kB, could pass it on a busy machine).
    for (let i = 0; i < 2000 && server.gateway.size > 1; i++) {
      agent.send(big);
      if (i % 10 === 9) await new Promise<void>((r) => setImmediate(r));
    }
    expect((await left).neiRong).toBe('用户-bob-暂时离开');
  });
});

describe('robustness', () => {
  it('survives garbage on the WebSocket port and keeps serving', async () => {
    server = await start();
    const sock = net.connect(server.wsPort, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: nope\r\n\r\n');
    sock.write(Buffer.from([0xff, 0x00, 0x13, 0x37]));
    sock.resume(); // read the 400 answer so the end of the stream (and 'close') arrives
    await new Promise<void>((r) => sock.once('close', () => r()));
    const agent = track(connect(agentUrl(server, 'alice')));
    expect((await agent.next()).event).toBe('room_opened');
  });

  it('survives a client that vanishes mid-handshake', async () => {
    server = await start();
    const sock = net.connect(server.wsPort, '127.0.0.1');
    sock.on('error', () => {});
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write('GET /?type=kefu&name=a&key=x HTTP/1.1\r\nHost: x\r\n');
    sock.destroy();
    const agent = track(await connectAgent(server, 'alice'));
    expect(agent.ws.readyState).toBe(WebSocket.OPEN);
  });
});
