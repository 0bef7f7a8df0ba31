import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf, sendAcked, type TestClient } from '../helpers/client.js';
import { startTestServer, TEST_KEY, type TestServer } from '../helpers/server.js';

let server: TestServer;
const clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await server.close();
});

it('writes JSON log lines with no ticket, key, resume token or message body in them', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  server = await startTestServer({ LOG_LEVEL: 'debug' }, { logger: pino({ level: 'debug' }, sink) });
  const agent = await connectAgent(server, 'alice');
  clients.push(agent);
  const answer = await getRoom(server, 'bob');
  const customer = connect(customerUrl(server, 'bob', answer.ticket as string));
  clients.push(customer);
  await customer.nextMatching((f) => f.event === 'agent_assigned');
  await sendAcked(customer, 'my card number is 4111', 'c1');
  customer.ws.terminate();
  await agent.nextMatching((f) => f.event === 'peer_away');
  const bad = connect(`${server.wsUrl}/?type=kefu&name=eve&key=guessed-key-123`);
  clients.push(bad);
  await bad.closed;

  expect(lines.length).toBeGreaterThan(2);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  const all = lines.join('\n');
  for (const secret of [TEST_KEY, 'guessed-key-123', answer.ticket as string, resumeTokenOf(customer), 'my card number']) {
    expect(all).not.toContain(secret);
  }
  expect(all).toContain('"name":"alice"');
});
