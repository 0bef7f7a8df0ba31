import { describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, connectCustomer, resumeTokenOf, resumeUrl, sendAcked } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

async function pair(env: Record<string, string> = {}) {
  server = await start({ RATE_BURST: '5000', RATE_PER_SEC: '5000', ...env });
  const agent = track(await connectAgent(server, 'alice'));
  const customer = track(await connectCustomer(server, 'bob', agent));
  return { agent, customer };
}

describe('acks', () => {
  it('acks a stored message to its sender with cid, id, seq and ts, and relays id and seq', async () => {
    const { agent, customer } = await pair();
    const ack = await sendAcked(customer, 'hello', 'm1');
    expect(ack).toMatchObject({ neiRong: 'hello', shuiFaDe: 'bob', cid: 'm1', seq: 1, id: expect.any(Number), ts: expect.any(Number) });
    expect(await agent.next()).toMatchObject({ neiRong: 'hello', seq: 1, id: ack.id });
  });

  it('acks a resent cid again with the original id and seq and does not deliver it twice', async () => {
    const { agent, customer } = await pair();
    const first = await sendAcked(customer, 'once', 'dup');
    await agent.next();
    const again = await sendAcked(customer, 'once', 'dup');
    expect(again).toMatchObject({ id: first.id, seq: first.seq, duplicate: true });
    await sendAcked(customer, 'after', 'm2');
    expect(await agent.next()).toMatchObject({ neiRong: 'after', seq: 2 });
  });

  it('answers a cid that is not a short string with bad_cid and stores nothing', async () => {
    const { agent, customer } = await pair();
    customer.send('x', { cid: 'c'.repeat(65) });
    expect(await customer.next()).toMatchObject({ type: 'error', error: 'bad_cid' });
    customer.send('y', { cid: 7 });
    expect(await customer.next()).toMatchObject({ type: 'error', error: 'bad_cid' });
    expect((await sendAcked(customer, 'z', 'ok')).seq).toBe(1);
    expect(await agent.next()).toMatchObject({ neiRong: 'z', seq: 1 });
  });
});

describe('resume after a drop', () => {
  it('tells the agent the customer is away, stores messages meanwhile, and replays them once, in order', async () => {
    const { agent, customer } = await pair();
    await sendAcked(customer, 'before', 'c1');
    await agent.next();
    const token = resumeTokenOf(customer);
    customer.ws.terminate();
    expect(await agent.next()).toMatchObject({ type: 'system', event: 'peer_away', shuiFaDe: '系统' });
    for (let i = 1; i <= 3; i++) expect((await sendAcked(agent, `missed ${i}`, `a${i}`)).seq).toBe(i + 1);
    const back = track(connect(resumeUrl(server, 'bob', token, 1)));
    expect(await back.next()).toMatchObject({ event: 'agent_assigned', neiRong: '客服-alice-将为您服务' });
    expect(await back.next()).toMatchObject({ event: 'resumed', recovered: true, lastSeq: 4 });
    for (let i = 1; i <= 3; i++) expect(await back.next()).toMatchObject({ neiRong: `missed ${i}`, seq: i + 1, replay: true });
    expect(await agent.next()).toMatchObject({ event: 'peer_back' });
    expect(await sendAcked(back, 'live again', 'c2')).toMatchObject({ seq: 5 });
    expect(await agent.next()).toMatchObject({ neiRong: 'live again', seq: 5 });
    expect(back.unread()).toEqual([]);
  });

  it('relays to the connection a peer came back on, not the one it dropped', async () => {
    const { agent, customer } = await pair();
    await sendAcked(agent, 'first', 'a1');
    expect(await customer.next()).toMatchObject({ neiRong: 'first', seq: 1 });
    const token = resumeTokenOf(customer);
    customer.ws.terminate();
    await agent.next(); // peer_away
    const back = track(connect(resumeUrl(server, 'bob', token, 1)));
    expect(await back.next()).toMatchObject({ event: 'agent_assigned' });
    expect(await back.next()).toMatchObject({ event: 'resumed', lastSeq: 1 });
    expect(await agent.next()).toMatchObject({ event: 'peer_back' });
    await sendAcked(agent, 'second', 'a2');
    expect(await back.next()).toMatchObject({ neiRong: 'second', seq: 2 });
    expect(back.unread()).toEqual([]);
  });

  it('replays the whole conversation to a reloaded page that sends no since', async () => {
    const { agent, customer } = await pair();
    await sendAcked(customer, 'one', 'c1');
    await sendAcked(agent, 'two', 'a1');
    const token = resumeTokenOf(customer);
    customer.ws.close(1001);
    const back = track(connect(resumeUrl(server, 'bob', token)));
    await back.next();
    expect(await back.next()).toMatchObject({ event: 'resumed', lastSeq: 2 });
    expect([(await back.next()).neiRong, (await back.next()).neiRong]).toEqual(['one', 'two']);
  });

  it('holds the agent\u2019s room when the agent drops and replays to the agent on return', async () => {
    const { agent, customer } = await pair();
    agent.ws.terminate();
    expect(await customer.next()).toMatchObject({ event: 'peer_away', neiRong: '客服-alice-暂时离开,请稍候' });
    const ack = await sendAcked(customer, 'are you there?', 'c1');
    expect(ack.seq).toBe(1);
    const back = track(connect(`${agentUrl(server, 'alice')}&since=0`));
    expect(await back.next()).toMatchObject({ event: 'customer_entered', neiRong: '用户-bob-已进入房间' });
    expect(await back.next()).toMatchObject({ event: 'resumed', recovered: true });
    expect(await back.next()).toMatchObject({ neiRong: 'are you there?', seq: 1, replay: true });
    expect(await customer.next()).toMatchObject({ event: 'peer_back' });
  });

  it('after grace without return, a dropped customer leaves as in the seed and the token stops working', async () => {
    const { agent, customer } = await pair({ GRACE_MS: '150' });
    const token = resumeTokenOf(customer);
    customer.ws.terminate();
    expect((await agent.next()).event).toBe('peer_away');
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已退出房间', event: 'customer_left', timeout: true });
    expect((await track(connect(resumeUrl(server, 'bob', token, 0))).closed).code).toBe(4401);
  });

  it('after grace without return, a dropped agent\u2019s customer is told and closed', async () => {
    const { agent, customer } = await pair({ GRACE_MS: '150' });
    agent.ws.terminate();
    expect((await customer.next()).event).toBe('peer_away');
    expect((await customer.next()).neiRong).toBe('客服-alice-已退出房间');
    expect(await customer.next()).toMatchObject({ neiRong: 'close', shuiFaDe: 'code' });
    expect((await customer.closed).code).toBe(1000);
  });

  it('a deliberate close (1000) ends the conversation at once, with no grace', async () => {
    const { agent, customer } = await pair();
    const token = resumeTokenOf(customer);
    await customer.close(1000);
    expect(await agent.next()).toMatchObject({ event: 'customer_left' });
    expect((await track(connect(resumeUrl(server, 'bob', token))).closed).code).toBe(4401);
  });

  it('a new connection with the token replaces a stale one still open', async () => {
    const { agent, customer } = await pair();
    const token = resumeTokenOf(customer);
    const second = track(connect(resumeUrl(server, 'bob', token)));
    await second.nextMatching((f) => f.event === 'resumed');
    expect((await customer.closed).code).toBe(4002);
    await sendAcked(second, 'from the new tab', 'n1');
    expect(await agent.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: 'from the new tab' });
  });

  it.each([
    ['a forged resume token', (s: TestServer) => resumeUrl(s, 'bob', 'forged-token-forged-token'), 4401],
    ['a since that is not a number', (s: TestServer) => `${resumeUrl(s, 'bob', 'x')}&since=abc`, 4400],
    ['a negative since', (s: TestServer) => `${resumeUrl(s, 'bob', 'x')}&since=-1`, 4400],
  ])('closes a resume with %s', async (_label, url, code) => {
    await pair();
    expect((await track(connect(url(server))).closed).code).toBe(code);
  });

  it('keeps order with no gaps or duplicates over 1000 messages each way with random drops and resends', async () => {
    const { agent, customer: firstCustomer } = await pair({ GRACE_MS: '60000' });
    const token = resumeTokenOf(firstCustomer);
    let customer = firstCustomer;
    let customerSeen = 0; // highest seq the customer has seen
    const customerGot: Array<{ seq: number; neiRong: string }> = [];
    const agentGot: Array<{ seq: number; neiRong: string }> = [];
    const N = 1000;
    let rnd = 42;
    const random = () => {
      rnd = (rnd * 1103515245 + 12345) % 2147483648;
      return rnd / 2147483648;
    };
    const collect = (frames: Array<Record<string, unknown>>, into: typeof customerGot) => {
      // A duplicate-ack answers a resend; it is not a delivery.
      for (const f of frames) {
        if (f.type === 'message' && typeof f.seq === 'number' && f.duplicate !== true) into.push({ seq: f.seq, neiRong: f.neiRong as string });
      }
    };
    // The agent's socket never drops here; it sees every message once, live.
    agent.ws.on('message', (d) => collect([JSON.parse(d.toString())], agentGot));
    for (let i = 0; i < N; i++) {
      await sendAcked(agent, `a${i}`, `a${i}`);
      const cid = `c${i}`;
      let ack = await sendAcked(customer, `c${i}`, cid);
      if (random() < 0.05) {
        // Resend: the same cid must come back as the same message, not a new one.
        const again = await sendAcked(customer, `c${i}`, cid);
        expect(again.seq).toBe(ack.seq);
        ack = again;
      }
      if (random() < 0.03) {
        collect(customer.frames, customerGot);
        customerSeen = Math.max(customerSeen, ...customer.frames.filter((f) => typeof f.seq === 'number').map((f) => f.seq as number));
        customer.ws.terminate();
        await customer.closed;
        customer = track(connect(resumeUrl(server, 'bob', token, customerSeen)));
        await customer.nextMatching((f) => f.event === 'resumed');
      }
    }
    await sendAcked(customer, 'end', 'end');
    await agent.nextMatching((f) => f.neiRong === 'end');
    collect(customer.frames, customerGot);
    const seqs = customerGot.map((m) => m.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBe(2 * N + 1);
    const agentSeqs = agentGot.map((m) => m.seq);
    expect(agentSeqs).toEqual(Array.from({ length: 2 * N + 1 }, (_, i) => i + 1));
  }, 60_000);
});
