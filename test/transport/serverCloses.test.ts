import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/closeCodes.js';
import { agentUrl, connect, connectAgent } from '../helpers/client.js';
import { rejections } from '../helpers/metrics.js';
import { RawWebSocket } from '../helpers/rawWebSocket.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();
let server: TestServer;

/** Rejected frames: the counter's error codes, not its close codes. */
async function rejectedFrames(): Promise<number> {
  let n = 0;
  for (const [code, count] of await rejections(server)) if (!/^\d+$/.test(code)) n += count;
  return n;
}

/** Whether `p` settles within `ms`. */
async function within(ms: number, p: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A raw agent connection that got its room_opened. */
async function rawAgent(): Promise<RawWebSocket> {
  const raw = await RawWebSocket.open(server.wsPort, `/?type=kefu&name=alice&key=${TEST_KEY}`);
  defer(() => raw.destroy());
  await raw.frame((f) => f.opcode === 0x1 && f.payload.includes('room_opened'));
  return raw;
}

/** Deeply nested arrays: valid JSON, costly to parse, never a frame. */
const NESTED = `${'['.repeat(2000)}${']'.repeat(2000)}`;

describe('a client that ignores the server\u2019s close', () => {
  it('handles none of its frames after a 1008 for abuse and cuts its TCP connection within 2 s', async () => {
    const abuseBurst = 3;
    server = await start({ ABUSE_BURST: String(abuseBurst) });
    const raw = await rawAgent();
    // Read together: the server answers ABUSE_BURST of them, closes on the next, and must handle none after it.
    raw.sendBurst(NESTED, 3 * abuseBurst);
    expect(await raw.closeCode()).toBe(CloseCode.POLICY_VIOLATION);
    // It never answers the close and keeps sending.
    const sent = raw.flood(NESTED);
    expect(await within(2000, raw.closed)).toBe(true);
    expect(await sent).toBeGreaterThan(0);
    expect(await rejectedFrames()).toBe(abuseBurst + 1);
  });

  it('handles none of its frames after a 1003 for a binary frame and cuts its TCP connection within 2 s', async () => {
    server = await start();
    const raw = await rawAgent();
    raw.sendBinary(Buffer.from('{"neiRong":"hi"}'));
    expect(await raw.closeCode()).toBe(CloseCode.UNSUPPORTED_DATA);
    const sent = raw.flood(NESTED);
    expect(await within(2000, raw.closed)).toBe(true);
    expect(await sent).toBeGreaterThan(0);
    expect(await rejectedFrames()).toBe(0);
  });
});

describe('kefu_rejections_total', () => {
  it.each([4401, 4999, 3000, 1008])('does not count a client closing with %i', async (code) => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    await agent.close(code);
    await expect.poll(() => server.gateway.size).toBe(0);
    expect(await rejections(server)).toEqual(new Map());
  });

  it('counts a refused admission once, under the code the server sent', async () => {
    server = await start();
    track(await connectAgent(server, 'alice'));
    expect((await track(connect(agentUrl(server, 'alice'))).closed).code).toBe(CloseCode.NAME_TAKEN);
    await expect.poll(() => server.gateway.size).toBe(1);
    expect(await rejections(server)).toEqual(new Map([[String(CloseCode.NAME_TAKEN), 1]]));
  });
});

describe('invalid UTF-8', () => {
  it('closes a text frame that is not UTF-8 with 1007 and counts it', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    // ws sends a Buffer as a text frame unchecked: a lone continuation byte.
    agent.sendRaw(Buffer.from([0x7b, 0x80, 0x7d]));
    expect((await agent.closed).code).toBe(CloseCode.INVALID_PAYLOAD);
    await expect.poll(() => server.gateway.size).toBe(0);
    expect(await rejections(server)).toEqual(new Map([[String(CloseCode.INVALID_PAYLOAD), 1]]));
  });
});
