import { Writable } from 'node:stream';
import pino from 'pino';
import { expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf, sendAcked } from '../helpers/client.js';
import { createLogger } from '../../src/logger.js';
import { openSocket } from '../helpers/rawSocket.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

/** A pino destination that keeps every line written to it. */
function capture(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, sink };
}

/** Whether `text` holds `secret` as text, or as the byte list JSON makes of a Buffer. */
function leaks(text: string, secret: string): boolean {
  return text.includes(secret) || text.includes([...Buffer.from(secret)].join(','));
}

it('writes JSON log lines with no ticket, key, resume token or message body in them', async () => {
  const { lines, sink } = capture();
  server = await start({ LOG_LEVEL: 'debug' }, { logger: pino({ level: 'debug' }, sink) });
  const agent = track(await connectAgent(server, 'alice'));
  const answer = await getRoom(server, 'bob');
  const customer = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
  await customer.nextMatching((f) => f.event === 'agent_assigned');
  await sendAcked(customer, 'my card number is 4111', 'c1');
  customer.ws.terminate();
  await agent.nextMatching((f) => f.event === 'peer_away');
  const bad = track(connect(`${server.wsUrl}/?type=kefu&name=eve&key=guessed-key-123`));
  await bad.closed;

  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  const all = lines.join('\n');
  for (const secret of [TEST_KEY, 'guessed-key-123', answer.ticket as string, resumeTokenOf(customer), 'my card number']) {
    expect(all).not.toContain(secret);
  }
  expect(all).toContain('"name":"alice"');
});

it('never logs the raw bytes of a request the HTTP parser rejects: no agent key, no bearer token, at debug', async () => {
  const { lines, sink } = capture();
  server = await start({ LOG_LEVEL: 'debug' }, { logger: createLogger('debug', sink) });
  const secretKey = 'agent-key-in-the-url-42';
  const bearerToken = 'bearer-token-in-a-header-42';
  for (const port of [server.httpPort, server.wsPort]) {
    const s = await openSocket(port);
    // A control character in a header name: Node's parser refuses the request and hands us its bytes.
    s.write(
      `GET /ws?type=kefu&name=eve&key=${secretKey} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${bearerToken}\r\nUpgrade: websocket\r\nBad\u0001Header: y\r\n\r\n`,
    );
    await s.closed;
    expect(s.received).toMatch(/^HTTP\/1\.1 400 /);
  }
  const all = lines.join('\n');
  expect(all).toContain('bad http request');
  for (const secret of [secretKey, bearerToken]) expect(leaks(all, secret)).toBe(false);
});

it('scrubs credentials from URLs, headers, errors and message texts the logger is given', () => {
  const { lines, sink } = capture();
  const log = createLogger('debug', sink);
  const err = Object.assign(new Error('failed on /ws?key=k-secret-1&name=a'), { rawPacket: Buffer.from('GET /?ticket=t-secret-2') });
  log.debug({ req: { url: '/ws?type=kefu&key=k-secret-3', headers: { authorization: 'Bearer b-secret-4', host: 'x' } } }, 'upgrade');
  log.warn({ err }, 'failed');
  log.info({ url: '/?type=yonghu&resume=r-secret-5' }, 'resume from /?ticket=t-secret-6');
  const all = lines.join('\n');
  expect(lines).toHaveLength(3);
  for (const secret of ['k-secret-1', 't-secret-2', 'k-secret-3', 'b-secret-4', 'r-secret-5', 't-secret-6']) expect(leaks(all, secret)).toBe(false);
  expect(all).toContain('"host":"x"');
  expect(all).toContain('type=kefu');
});

it('scrubs session cookies, one-time link tokens and API tokens from what the logger is given', () => {
  const { lines, sink } = capture();
  const log = createLogger('debug', sink);
  log.debug({ req: { headers: { cookie: 'kefu_session=s-secret-1; other=1' } } }, 'upgrade');
  log.info('set-cookie kefu_session=s-secret-2; Path=/ for /setup.html#token=l-secret-3');
  log.warn('api call with Authorization: Bearer kefu_pat_p-secret-4');
  const all = lines.join('\n');
  for (const secret of ['s-secret-1', 's-secret-2', 'l-secret-3', 'p-secret-4']) expect(leaks(all, secret)).toBe(false);
  expect(all).toContain('/setup.html#token=[redacted]');
});
