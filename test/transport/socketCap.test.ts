import { describe, expect, it } from 'vitest';
import { getRequest, openSocket, type RawSocket } from '../helpers/rawSocket.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, defer } = useServers();
let server: TestServer;

/** Opens `n` sockets from one address at once; resolves once all are connected. */
async function openMany(port: number, n: number, localAddress?: string): Promise<RawSocket[]> {
  const opened = await Promise.all(Array.from({ length: n }, () => openSocket(port, localAddress)));
  for (const s of opened) defer(() => s.destroy());
  return opened;
}

/** Resolves once the server has closed `n` of `list`. */
async function closedCount(list: RawSocket[], n: number): Promise<void> {
  let closed = 0;
  await new Promise<void>((resolve) => {
    for (const s of list) void s.closed.then(() => ++closed === n && resolve());
  });
}

/** Sends a whole GET on a fresh socket and returns the answer. */
async function get(port: number, path: string, localAddress?: string, headers: Record<string, string> = {}): Promise<string> {
  const s = await openSocket(port, localAddress);
  defer(() => s.destroy());
  s.write(getRequest(path, headers));
  await s.closed;
  return s.received;
}

// The header deadline is pushed out of the way: these sockets are idle on purpose.
const env = { HEADER_TIMEOUT_MS: '60000' };

describe('open sockets per client address', () => {
  it('closes the sockets one address opens past the cap at once, while a second address still connects', async () => {
    server = await start(env);
    const flood = await openMany(server.httpPort, 500);
    await closedCount(flood, 500 - 256);
    expect(await get(server.httpPort, '/healthz', '127.0.0.2')).toMatch(/^HTTP\/1\.1 200 /);
    const oneMore = await openMany(server.httpPort, 1);
    await oneMore[0]?.closed;
    expect(oneMore[0]?.received).toBe('');
  });

  it('counts the two ports together', async () => {
    server = await start({ ...env, MAX_SOCKETS_PER_ADDRESS: '20' });
    // Each answered (and kept alive), so the server has counted every one before the next port is tried.
    const onHttpPort = await openMany(server.httpPort, 20);
    for (const s of onHttpPort) s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await Promise.all(onHttpPort.map((s) => s.receive('HTTP/1.1 200')));
    const onWsPort = await openMany(server.wsPort, 1);
    await onWsPort[0]?.closed;
    expect(onWsPort[0]?.received).toBe('');
  });

  it('lets an address open sockets again once its others have closed', async () => {
    server = await start({ ...env, MAX_SOCKETS_PER_ADDRESS: '5' });
    const first = await openMany(server.httpPort, 5);
    const sixth = await openMany(server.httpPort, 1);
    await sixth[0]?.closed;
    for (const s of first) s.destroy();
    // The server learns of the closes a moment after the client: the next socket may come first.
    await expect.poll(async () => (await get(server.httpPort, '/healthz')).slice(0, 15), { timeout: 5000 }).toBe('HTTP/1.1 200 OK');
  });

  it('does not cap a trusted proxy, whose sockets carry many clients', async () => {
    server = await start({ ...env, MAX_SOCKETS_PER_ADDRESS: '5', TRUST_PROXY: 'loopback' });
    const many = await openMany(server.httpPort, 20);
    // Kept alive after their answers: all twenty are open at once.
    for (const [i, s] of many.entries()) s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 198.51.100.${i}\r\n\r\n`);
    await Promise.all(many.map((s) => s.receive('HTTP/1.1 200')));
    expect(many.every((s) => !s.socket.destroyed)).toBe(true);
  });

  it('counts the sockets it closed in kefu_edge_refusals_total', async () => {
    server = await start({ ...env, MAX_SOCKETS_PER_ADDRESS: '3' });
    const flood = await openMany(server.httpPort, 10);
    await closedCount(flood, 7);
    expect(await get(server.httpPort, '/metrics', '127.0.0.2')).toContain('kefu_edge_refusals_total{reason="sockets_per_address"} 7');
  });
});
