import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { connect, connectAgent, connectCustomer } from '../helpers/client.js';
import { clusterEnv } from '../helpers/cluster.js';
import { expectHistoryThenLive, LONG_MESSAGE_CHARS, PATIENCE_MS, writeLongHistory } from '../helpers/longHistory.js';
import { TEST_KEY } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

it('paces a conversation handed over the bus to an agent on another node who reads 2 MB/s', async () => {
  const cluster = clusterEnv({ RATE_BURST: '5000', RATE_PER_SEC: '5000', MAX_MESSAGE_CHARS: String(LONG_MESSAGE_CHARS) });
  defer(cluster.drop);
  const n1 = await start(cluster.env);
  const n2 = await start(cluster.env);
  const proxy: TcpProxy = await startTcpProxy(n2.wsPort, '127.0.0.1', { downstreamBytesPerSec: 2_000_000 });
  defer(() => proxy.close());
  const alice = track(await connectAgent(n1, 'alice'));
  const customer = track(await connectCustomer(n1, 'bob', alice));
  await writeLongHistory(customer, 'c');
  const dave = track(connect(`ws://127.0.0.1:${proxy.port}/?type=kefu&name=dave&key=${TEST_KEY}`));
  await dave.nextMatching((f) => f.event === 'room_opened', PATIENCE_MS);
  // Node 1 builds the hand-over; node 2 gets it over the bus and sends it to dave.
  alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
  await customer.nextMatching((f) => f.event === 'agent_assigned' && f.agent === 'dave', PATIENCE_MS);
  customer.send('live', { cid: 'live' });
  await dave.nextMatching((f) => f.neiRong === 'live', PATIENCE_MS);
  expectHistoryThenLive(dave.frames, 'live');
  expect(dave.ws.readyState).toBe(WebSocket.OPEN);
}, 90_000);
