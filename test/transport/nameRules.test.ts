import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, connectCustomer, customerUrl, type Closed, type Frame, type TestClient } from '../helpers/client.js';
import { codePoints, INVISIBLE_CHARS } from '../helpers/names.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

// Clients are terminated after each test; the server and Agent7 below live for the whole file.
const { track } = useServers();
let server: TestServer;
let agent7: TestClient;

// One server for the file: every test here is refused before it changes anything, but Agent7
// stays online throughout, so a look-alike is refused while the real one is there.
beforeAll(async () => {
  server = await startTestServer();
  agent7 = await connectAgent(server, 'Agent7');
});
afterAll(async () => {
  agent7.ws.terminate();
  await server.close();
});

const BAD_NAME = 'name must be 1-32 visible characters, without control or invisible ones';
const RESERVED = 'this name is reserved';

/** How a connection to `url` ends: its close, or its first frame if it was let in (so a test fails at once). */
function outcome(url: string): Promise<Closed | Frame> {
  const c = track(connect(url));
  return Promise.race([c.closed, c.next().catch(() => c.closed)]);
}

async function getRoomAnswer(userName: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${server.httpUrl}/getroom?userName=${encodeURIComponent(userName)}`);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('names at the edge', () => {
  it('refuses a customer named 系统 + U+2060 with 4400 at connect and 400 bad_name at /getroom', async () => {
    expect(await outcome(customerUrl(server, '系统\u2060', 'AAAAAAAAAAAAAAAAAAAAAAAA'))).toEqual({ code: 4400, reason: BAD_NAME });
    expect(await getRoomAnswer('系统\u2060')).toMatchObject({ status: 400, json: { error: 'bad_name' } });
  });

  it.each([
    ['full-width ｃｏｄｅ', 'ｃｏｄｅ'],
    ['Cyrillic соdе', 'соdе'],
  ])('refuses %s as reserved at connect and at /getroom', async (_label, name) => {
    expect(await outcome(customerUrl(server, name, 'AAAAAAAAAAAAAAAAAAAAAAAA'))).toEqual({ code: 4400, reason: RESERVED });
    expect(await outcome(agentUrl(server, name))).toEqual({ code: 4400, reason: RESERVED });
    expect(await getRoomAnswer(name)).toMatchObject({ status: 400, json: { error: 'bad_name', message: RESERVED } });
  });

  it.each(INVISIBLE_CHARS.map((c) => [codePoints(c), c]))(
    'refuses Agent7 + %s with 4400 while Agent7 is online, and the name at /getroom',
    async (_label, c) => {
      expect(await outcome(agentUrl(server, `Agent7${c}`))).toEqual({ code: 4400, reason: BAD_NAME });
      expect(await getRoomAnswer(`Agent7${c}`)).toMatchObject({ status: 400, json: { error: 'bad_name' } });
    },
  );

  it.each([
    ['a Braille blank', '\u2800'],
    ['a combining mark alone', '\u0301'],
  ])('refuses a name that renders as nothing (%s) at /getroom', async (_label, name) => {
    expect(await getRoomAnswer(name)).toMatchObject({ status: 400, json: { error: 'bad_name' } });
  });

  it.each([
    ['another case', 'agent7'],
    ['a Cyrillic А', '\u0410gent7'],
    ['full-width letters', 'Ａｇｅｎｔ７'],
  ])('refuses an agent whose name looks like Agent7 (%s) with 4409 while Agent7 is online', async (_label, name) => {
    expect(await outcome(agentUrl(server, name))).toEqual({ code: 4409, reason: 'an agent with this name is online' });
  });

  it('seats a customer under the normalised name: full-width Ｊｏｓé is José to the agent', async () => {
    const customer = track(await connectCustomer(server, 'Ｊｏｓé', agent7));
    expect(agent7.frames.at(-1)).toMatchObject({ event: 'customer_entered', customer: 'José', neiRong: '用户-José-已进入房间' });
    await customer.close(1000);
    await agent7.nextMatching((f) => f.event === 'customer_left');
  });
});
