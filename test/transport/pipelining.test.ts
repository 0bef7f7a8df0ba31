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

  it('fails every message of a batch whose commit fails, relays none of them, and stores their resends in order', async () => {
    const server = await startOpen();
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    const db = new Database(path.join(server.config.dataDir, 'kefu.sqlite'));
    defer(() => db.close());
    db.exec(`CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.content = 'boom'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    const sent: [string, string][] = [
      ['one', 'c1'],
      ['boom', 'c2'],
      ['three', 'c3'],
    ];
    for (const [content, cid] of sent) customer.send(content, { cid });
    const answers = await nextMessages(customer, 3);
    // Sent back-to-back, the three usually share one batch (then all fail); whichever did not
    // share the failing one's batch is stored. Either way the failing one is never acked.
    expect(answers.map((f) => f.cid)).toEqual(['c1', 'c2', 'c3']);
    expect(answers[1]).toMatchObject({ type: 'error', error: 'store_failed' });
    const acked = answers.filter((f) => f.type === 'message');
    expect(acked.map((f) => f.seq)).toEqual(acked.map((_, k) => k + 1));
    db.exec('DROP TRIGGER refuse_boom');
    const failed = sent.filter((_, k) => answers[k]?.type === 'error');
    for (const [content, cid] of failed) customer.send(content, { cid });
    const resent = await nextMessages(customer, failed.length);
    expect(resent.map((f) => [f.cid, f.type, f.duplicate === true])).toEqual(failed.map(([, cid]) => [cid, 'message', false]));
    // The agent gets each message once, in the order the customer last sent them, numbered 1, 2, 3.
    const relays = await nextMessages(agent, 3);
    expect(relays.map((f) => f.seq)).toEqual([1, 2, 3]);
    expect(relays.map((f) => f.neiRong).sort()).toEqual(['boom', 'one', 'three']);
  });
});
