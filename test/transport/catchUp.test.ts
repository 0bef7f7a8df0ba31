import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, connectAgent, connectCustomer, resumeTokenOf, resumeUrl, type TestClient } from '../helpers/client.js';
import { expectHistoryThenLive, HISTORY_MESSAGES, LONG_MESSAGE_CHARS, longMessage, PATIENCE_MS, writeLongHistory } from '../helpers/longHistory.js';
import { rejections } from '../helpers/metrics.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();
let server: TestServer;

async function startServer(): Promise<void> {
  server = await start({ RATE_BURST: '5000', RATE_PER_SEC: '5000', MAX_MESSAGE_CHARS: String(LONG_MESSAGE_CHARS) });
}

/** The server's WebSocket port behind a link that carries 2 MB/s toward the client. */
async function slowLink(): Promise<string> {
  const proxy = await startTcpProxy(server.wsPort, '127.0.0.1', { downstreamBytesPerSec: 2_000_000 });
  defer(() => proxy.close());
  return `ws://127.0.0.1:${proxy.port}`;
}

/** A pair whose customer dropped while the agent wrote a long history; resolves with the customer's resume token. */
async function customerAwayDuringLongHistory(): Promise<{ agent: TestClient; token: string }> {
  const agent = track(await connectAgent(server, 'alice'));
  const customer = track(await connectCustomer(server, 'bob', agent));
  const token = resumeTokenOf(customer);
  customer.ws.terminate();
  await agent.nextMatching((f) => f.event === 'peer_away', PATIENCE_MS);
  await writeLongHistory(agent, 'a');
  return { agent, token };
}

describe('history paced by the reader', () => {
  it('replays 1,000 long messages on resume to a reader taking 2 MB/s, whole and in order, and a live one after them', async () => {
    await startServer();
    const { agent, token } = await customerAwayDuringLongHistory();
    const back = track(connect(`${await slowLink()}/?type=yonghu&name=bob&resume=${token}&since=0`));
    expect(await back.nextMatching((f) => f.event === 'resumed', PATIENCE_MS)).toMatchObject({ recovered: true, lastSeq: HISTORY_MESSAGES });
    // Written while the replay is still on its way to the slow reader.
    await agent.nextMatching((f) => f.event === 'peer_back', PATIENCE_MS);
    agent.send('live', { cid: 'live' });
    await back.nextMatching((f) => f.neiRong === 'live', PATIENCE_MS);
    expectHistoryThenLive(back.frames, 'live');
    expect(back.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);

  it('hands a conversation of 1,000 long messages to an agent taking 2 MB/s, whole and in order, and a live one after them', async () => {
    await startServer();
    const alice = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', alice));
    await writeLongHistory(customer, 'c');
    const dave = track(connect(`${await slowLink()}/?type=kefu&name=dave&key=${TEST_KEY}`));
    await dave.nextMatching((f) => f.event === 'room_opened', PATIENCE_MS);
    alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
    await customer.nextMatching((f) => f.event === 'agent_assigned' && f.agent === 'dave', PATIENCE_MS);
    // Written while the history is still on its way to the slow reader.
    customer.send('live', { cid: 'live' });
    await dave.nextMatching((f) => f.neiRong === 'live', PATIENCE_MS);
    expectHistoryThenLive(dave.frames, 'live');
    expect(dave.ws.readyState).toBe(WebSocket.OPEN);
  }, 60_000);

  it('cuts a reader that stops reading during its catch-up with 4008 once the live frames behind it pass the bound', async () => {
    await startServer();
    const { agent, token } = await customerAwayDuringLongHistory();
    const back = track(connect(resumeUrl(server, 'bob', token, 0)));
    await back.opened;
    // Stops reading at the TCP level: more history than the kernel's buffers hold stays queued.
    (back.ws as unknown as { _socket: net.Socket })._socket.pause();
    await agent.nextMatching((f) => f.event === 'peer_back', PATIENCE_MS);
    const away = agent.nextMatching((f) => f.event === 'peer_away', PATIENCE_MS);
    for (let i = 0; i < HISTORY_MESSAGES && server.gateway.size > 1; i++) {
      agent.send(longMessage(i), { cid: `live${i}` });
      if (i % 50 === 49) await new Promise<void>((r) => setImmediate(r));
    }
    await away;
    expect((await rejections(server)).get('4008')).toBe(1);
  }, 60_000);
});
