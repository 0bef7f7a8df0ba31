import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, type Frame } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

/**
 * A port in front of the server's gateway whose sockets count the writes they make (a count kept
 * beside each real socket's own write; nothing else changes), so a test can see how many
 * system calls a run of frames took.
 */
async function countingPort(server: TestServer): Promise<{ via: TestServer; writes: () => number }> {
  let writes = 0;
  const front = http.createServer((_req, res) => res.writeHead(404).end());
  front.on('upgrade', (req, socket: Socket, head) => {
    const writev = socket._writev?.bind(socket);
    const write = socket._write.bind(socket);
    if (writev) {
      socket._writev = (chunks, cb) => {
        writes++;
        writev(chunks, cb);
      };
    }
    socket._write = (chunk, encoding, cb) => {
      writes++;
      write(chunk, encoding, cb);
    };
    server.gateway.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  defer(() => new Promise<void>((resolve) => front.close(() => resolve())));
  const port = (front.address() as AddressInfo).port;
  return { via: { ...server, wsUrl: `ws://127.0.0.1:${port}` }, writes: () => writes };
}

describe('frames a socket is sent in one tick', () => {
  it('leave in one write: a burst of messages committed together reaches the agent in a write or two, in order', async () => {
    const server = await start({ RATE_BURST: '1000', RATE_PER_SEC: '1000' });
    const { via, writes } = await countingPort(server);
    const agent = track(await connectAgent(via, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    const count = 20;
    const before = writes();
    for (let i = 1; i <= count; i++) customer.send(`m${i}`, { cid: `c${i}` });
    const relays: Frame[] = [];
    while (relays.length < count) relays.push(await agent.nextMatching((f) => f.type === 'message'));
    expect(relays.map((f) => [f.neiRong, f.seq])).toEqual(Array.from({ length: count }, (_, k) => [`m${k + 1}`, k + 1]));
    // Each frame written on its own would be `count` writes.
    expect(writes() - before).toBeLessThanOrEqual(4);
  });
});
