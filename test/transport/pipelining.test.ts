import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, sendAcked, type Frame, type TestClient } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track, defer } = useServers();

/** A server whose rate limits let a test send dozens of frames back-to-back. */
function startOpen(): Promise<TestServer> {
  return start({ RATE_BURST: '1000', RATE_PER_SEC: '1000' });
}

const isMessage = (f: Frame) => f.type === 'message' || f.type === 'error';

/** The next `n` message or error frames `client` reads, skipping notices. */
async function nextMessages(client: TestClient, n: number): Promise<Frame[]> {
  const out: Frame[] = [];
  while (out.length < n) out.push(await client.nextMatching(isMessage));
  return out;
}

describe('a connection\u2019s messages in flight together', () => {
  it('acks and relays messages sent back-to-back in the order they were sent, with consecutive seqs', async () => {
    const server = await startOpen();
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    // Each message is sent twice in a row: the resend is answered from the store sooner than the
    // first (no second room lookup), so only answers released in arrival order keep this order.
    const count = 30;
    for (let i = 1; i <= count; i++) {
      customer.send(`m${i}`, { cid: `c${i}` });
      customer.send(`m${i}`, { cid: `c${i}` });
    }
    const acks = await nextMessages(customer, 2 * count);
    expect(acks.map((f) => [f.cid, f.seq, f.duplicate === true])).toEqual(
      Array.from({ length: count }, (_, k) => [
        [`c${k + 1}`, k + 1, false],
        [`c${k + 1}`, k + 1, true],
      ]).flat(),
    );
    const relays = await nextMessages(agent, count);
    expect(relays.map((f) => [f.neiRong, f.seq])).toEqual(Array.from({ length: count }, (_, k) => [`m${k + 1}`, k + 1]));
  });

  it('stores a message sent right after a transfer frame only once the transfer is done', async () => {
    const server = await startOpen();
    const alice = track(await connectAgent(server, 'alice', '&v=2'));
    const customer = track(await connectCustomer(server, 'bob', alice, '&v=2'));
    const dave = track(await connectAgent(server, 'dave', '&v=2'));
    alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
    alice.send('after the transfer', { cid: 'a1' });
    // alice has no customer any more: her message is only echoed, never stored in bob's conversation.
    const echo = await alice.nextMatching((f) => f.cid === 'a1');
    expect(echo).toMatchObject({ type: 'message', neiRong: 'after the transfer' });
    expect(echo.seq).toBeUndefined();
    await dave.nextMatching((f) => f.event === 'customer_entered');
    expect(await sendAcked(dave, 'dave here', 'd1')).toMatchObject({ seq: 1 });
    expect(await customer.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'dave here', seq: 1 });
  });

  it('fails only the message the store refuses: the ones around it are acked and relayed in order', async () => {
    const server = await startOpen();
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    const db = new Database(path.join(server.config.dataDir, 'kefu.sqlite'));
    defer(() => db.close());
    db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.content = 'boom'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    for (const [content, cid] of [
      ['one', 'c1'],
      ['boom', 'c2'],
      ['three', 'c3'],
    ])
      customer.send(content as string, { cid });
    const answers = await nextMessages(customer, 3);
    expect(answers.map((f) => [f.cid, f.type, f.seq ?? f.error])).toEqual([
      ['c1', 'message', 1],
      ['c2', 'error', 'store_failed'],
      ['c3', 'message', 2],
    ]);
    expect((await nextMessages(agent, 2)).map((f) => [f.neiRong, f.seq])).toEqual([
      ['one', 1],
      ['three', 2],
    ]);
  });
});
