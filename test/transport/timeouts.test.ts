import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectAgent, connectCustomer, resumeTokenOf } from '../helpers/client.js';
import { PNG } from '../helpers/images.js';
import { openSocket, type RawSocket } from '../helpers/rawSocket.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

/** How late a cut may come after its deadline on a busy two-core machine. */
const SLACK_MS = 1500;

/**
 * Runs `body` with a server of its own, so these tests (each waits out a deadline) can run at
 * once, and closes everything after.
 */
async function withServer(env: Record<string, string>, body: (server: TestServer, open: (port: number) => Promise<RawSocket>) => Promise<void>): Promise<void> {
  const server = await startTestServer(env);
  const sockets: RawSocket[] = [];
  try {
    await body(server, async (port) => {
      const s = await openSocket(port);
      sockets.push(s);
      return s;
    });
  } finally {
    for (const s of sockets) s.destroy();
    await server.close();
  }
}

const portOf = (server: TestServer, which: 'http' | 'ws') => (which === 'http' ? server.httpPort : server.wsPort);

/**
 * An open conversation's upload headers (the customer's resume token as bearer): uploads are
 * judged by who sends them and where before any body is read, so a body deadline needs a real one.
 */
async function customerUpload(server: TestServer): Promise<{ headers: Record<string, string>; end: () => void }> {
  const agent = await connectAgent(server, 'alice');
  const customer = await connectCustomer(server, 'bob', agent);
  return {
    headers: { Authorization: `Bearer ${resumeTokenOf(customer)}`, 'Content-Type': 'image/png' },
    end: () => {
      customer.ws.terminate();
      agent.ws.terminate();
    },
  };
}

/** The lines of an upgrade request, one per element, as a client that trickles them would send. */
const UPGRADE_LINES = [
  'GET /ws?type=yonghu&name=x&ticket=t HTTP/1.1\r\n',
  'Host: 127.0.0.1\r\n',
  'Upgrade: websocket\r\n',
  'Connection: Upgrade\r\n',
  'Sec-WebSocket-Version: 13\r\n',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n',
  'X-Padding-1: a\r\n',
  'X-Padding-2: a\r\n',
  'X-Padding-3: a\r\n',
  'X-Padding-4: a\r\n',
];

function postHead(path: string, length: number, headers: Record<string, string> = {}): string {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${length}\r\n${extra}\r\n`;
}

describe.concurrent('the header deadline (default 5 s)', () => {
  it.each(['http', 'ws'] as const)('closes a socket that sends nothing within it, without an answer (%s port)', async (which) => {
    await withServer({}, async (server, open) => {
      const s = await open(portOf(server, which));
      const openFor = await s.closed;
      expect(openFor).toBeGreaterThanOrEqual(4500);
      expect(openFor).toBeLessThan(5000 + SLACK_MS);
      expect(s.received).toBe('');
    });
  });

  it.each(['http', 'ws'] as const)('cuts a socket that sends a header line every 2 s, with 408 (%s port)', async (which) => {
    await withServer({}, async (server, open) => {
      const s = await open(portOf(server, which));
      s.write(UPGRADE_LINES[0] as string);
      s.trickle(UPGRADE_LINES.slice(1), 2000);
      const openFor = await s.closed;
      expect(openFor).toBeLessThan(5000 + SLACK_MS);
      expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(s.received).toContain('"error":"timeout"');
    });
  });
});

describe.concurrent('the header deadline, shortened', () => {
  it.each([
    ['http', '/ws'],
    ['ws', '/'],
  ] as const)('no longer applies once a WebSocket is open: the heartbeat keeps it (%s port)', async (which, path) => {
    await withServer({ HEADER_TIMEOUT_MS: '300', HEARTBEAT_MS: '1000' }, async (server) => {
      const ws = new WebSocket(`ws://127.0.0.1:${portOf(server, which)}${path}?type=kefu&name=alice&key=${TEST_KEY}`);
      ws.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        ws.once('ping', () => resolve());
        ws.once('close', () => reject(new Error('closed before the first heartbeat')));
      });
      expect(ws.readyState).toBe(WebSocket.OPEN);
      ws.terminate();
    });
  });

  it('cuts a kept-alive socket that trickles its next request, within keepAliveTimeout and the deadline', async () => {
    await withServer({ HEADER_TIMEOUT_MS: '1000' }, async (server, open) => {
      const s = await open(server.httpPort);
      s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await s.receive('"ok":true');
      const answeredAt = Date.now();
      s.trickle(['GET /healthz HTTP/1.1\r\n', ...Array.from({ length: 30 }, (_, i) => `X-Slow-${i}: a\r\n`)], 400);
      await s.closed;
      // Node's keepAliveTimeout (5 s) plus our deadline.
      expect(Date.now() - answeredAt).toBeLessThan(5000 + 1000 + SLACK_MS);
      expect(s.received).toContain('HTTP/1.1 408 ');
    });
  });

  it('counts the sockets it cut in kefu_edge_refusals_total', async () => {
    await withServer({ HEADER_TIMEOUT_MS: '300' }, async (server, open) => {
      await (await open(server.httpPort)).closed;
      const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
      expect(metrics).toContain('kefu_edge_refusals_total{reason="header_timeout"} 1');
    });
  });
});

describe.concurrent('body deadlines', () => {
  it('cuts a POST body trickled to /api/offline-messages at BODY_TIMEOUT_MS, with 408', async () => {
    await withServer({ BODY_TIMEOUT_MS: '2000' }, async (server, open) => {
      const s = await open(server.httpPort);
      s.write(postHead('/api/offline-messages', 200, { 'Content-Type': 'application/json' }));
      const sentAt = Date.now();
      s.trickle(
        Array.from({ length: 200 }, () => ' '),
        300,
      );
      await s.closed;
      expect(Date.now() - sentAt).toBeLessThan(2000 + SLACK_MS);
      expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
    });
  });

  it('cuts a POST body trickled to /api/offline-messages within the default 10 s', async () => {
    await withServer({}, async (server, open) => {
      const s = await open(server.httpPort);
      s.write(postHead('/api/offline-messages', 200, { 'Content-Type': 'application/json' }));
      const sentAt = Date.now();
      s.trickle(
        Array.from({ length: 200 }, () => ' '),
        1000,
      );
      await s.closed;
      expect(Date.now() - sentAt).toBeLessThan(10_000 + SLACK_MS);
      expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
    });
  }, 20_000);

  it('answers a POST to the WebSocket port 426 and closes the socket, however slowly its body comes', async () => {
    await withServer({}, async (server, open) => {
      const s = await open(server.wsPort);
      s.write(postHead('/', 1000));
      s.trickle(
        Array.from({ length: 1000 }, () => 'x'),
        300,
      );
      const openFor = await s.closed;
      expect(s.received).toMatch(/^HTTP\/1\.1 426 /);
      expect(openFor).toBeLessThan(SLACK_MS);
    });
  });

  it('gives an upload its own, longer deadline: one arriving slowly past BODY_TIMEOUT_MS is read whole', async () => {
    await withServer({ BODY_TIMEOUT_MS: '500' }, async (server, open) => {
      const upload = await customerUpload(server);
      const s = await open(server.httpPort);
      s.write(postHead('/api/images', PNG.length, upload.headers));
      const quarter = Math.ceil(PNG.length / 4);
      s.trickle(
        [0, 1, 2, 3].map((i) => PNG.subarray(i * quarter, (i + 1) * quarter)),
        400,
      );
      // The whole image was read and stored, not cut.
      await s.receive('"mime"', 10_000);
      expect(s.received).toMatch(/^HTTP\/1\.1 201 /);
      upload.end();
    });
  });

  it('cuts an upload that stalls for UPLOAD_IDLE_MS, with 408', async () => {
    await withServer({ UPLOAD_IDLE_MS: '1000' }, async (server, open) => {
      const upload = await customerUpload(server);
      const s = await open(server.httpPort);
      s.write(postHead('/api/images', 100_000, upload.headers));
      s.write(PNG);
      const stalledAt = Date.now();
      await s.closed;
      // The stall is noticed at the idle check after it: between one and two idle periods.
      expect(Date.now() - stalledAt).toBeLessThan(2 * 1000 + SLACK_MS);
      expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
      upload.end();
    });
  });

  it('cuts an upload that trickles past UPLOAD_TIMEOUT_MS, with 408', async () => {
    await withServer({ UPLOAD_TIMEOUT_MS: '2000', UPLOAD_IDLE_MS: '1000' }, async (server, open) => {
      const upload = await customerUpload(server);
      const s = await open(server.httpPort);
      s.write(postHead('/api/images', 100_000, upload.headers));
      const sentAt = Date.now();
      // A real PNG's first bytes, then a byte every 200 ms: never idle, never done.
      s.trickle([PNG, ...Array.from({ length: 1000 }, () => Buffer.alloc(1))], 200);
      await s.closed;
      expect(Date.now() - sentAt).toBeLessThan(2000 + SLACK_MS);
      expect(s.received).toMatch(/^HTTP\/1\.1 408 /);
      upload.end();
    });
  });
});
