import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HeaderDeadline } from '../../src/transport/headerDeadline.js';

describe('header deadline', () => {
  it('keeps nothing of its watch on a socket it released to the WebSocket server (each idle socket would carry it for life)', async () => {
    const deadline = new HeaderDeadline(60_000, () => {});
    const watched = http.createServer();
    deadline.watch(watched);
    const upgraded = new Promise<{ watching: number; released: number }>((resolve) =>
      watched.on('upgrade', (_req, socket: Duplex) => {
        const watching = socket.listenerCount('close');
        deadline.release(socket);
        resolve({ watching, released: socket.listenerCount('close') });
        socket.destroy();
      }),
    );
    await new Promise<void>((resolve) => watched.listen(0, '127.0.0.1', resolve));
    const { port } = watched.address() as AddressInfo;
    const req = http.request({ port, host: '127.0.0.1', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
    req.on('error', () => {});
    req.end();
    const { watching, released } = await upgraded;
    expect(released).toBe(watching - 1);
    await new Promise<void>((resolve) => watched.close(() => resolve()));
  });
});
