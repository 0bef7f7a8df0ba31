import { describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom, resumeTokenOf, resumeUrl, type TestClient } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

/** /getroom while no agent is free, then connect with the queue ticket. */
async function enqueue(name: string): Promise<TestClient> {
  const answer = await getRoom(server, name);
  expect(answer).toMatchObject({ room: false, ticket: expect.any(String), position: expect.any(Number) });
  const c = track(connect(customerUrl(server, name, answer.ticket as string)));
  await c.opened;
  return c;
}

const position = (c: TestClient) => c.nextMatching((f) => f.event === 'queue_position').then((f) => f.position);

describe('waiting queue', () => {
  it('tells a waiting customer their position and gives them the first agent who comes online', async () => {
    server = await start();
    const bob = await enqueue('bob');
    const first = await bob.next();
    expect(first).toMatchObject({ shuiFaDe: '系统', event: 'queue_position', position: 1, resume: expect.any(String) });
    const agent = track(await connectAgent(server, 'alice'));
    expect(await bob.next()).toMatchObject({ neiRong: '客服-alice-将为您服务', event: 'agent_assigned' });
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已进入房间' });
    bob.send('finally');
    expect((await agent.next()).neiRong).toBe('finally');
  });

  it('serves waiting customers first come, first served as agents free up', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    const first = await getRoom(server, 'first');
    const c1 = track(connect(customerUrl(server, 'first', first.ticket as string)));
    await c1.nextMatching((f) => f.event === 'agent_assigned');
    const c2 = await enqueue('second');
    const c3 = await enqueue('third');
    expect(await position(c2)).toBe(1);
    expect(await position(c3)).toBe(2);
    await c1.close(1000);
    expect((await c2.nextMatching((f) => f.event === 'agent_assigned')).neiRong).toBe('客服-alice-将为您服务');
    expect(await position(c3)).toBe(1);
    await agent.nextMatching((f) => f.neiRong === '用户-second-已进入房间');
  });

  it('drops a waiting customer who leaves and moves the others up', async () => {
    server = await start();
    const a = await enqueue('a');
    const b = await enqueue('b');
    const c = await enqueue('c');
    expect([await position(a), await position(b), await position(c)]).toEqual([1, 2, 3]);
    await b.close(1000);
    expect(await position(c)).toBe(2);
    track(await connectAgent(server, 'alice'));
    expect((await a.nextMatching((f) => f.event === 'agent_assigned')).neiRong).toBe('客服-alice-将为您服务');
    expect(await position(c)).toBe(1);
  });

  it('answers room:false with a clear message and no ticket past the queue bound', async () => {
    server = await start({ QUEUE_MAX: '2' });
    await position(await enqueue('a'));
    await position(await enqueue('b'));
    const full = await getRoom(server, 'c');
    expect(full).toMatchObject({ room: false, full: true, message: expect.stringContaining('排队') });
    expect(full.ticket).toBeUndefined();
  });

  it('ends a wait past the limit with a notice and the close command', async () => {
    server = await start({ QUEUE_MAX_WAIT_MS: '150' });
    const bob = await enqueue('bob');
    await position(bob);
    expect(await bob.next()).toMatchObject({ event: 'queue_timeout', shuiFaDe: '系统' });
    expect(await bob.next()).toMatchObject({ neiRong: 'close', shuiFaDe: 'code' });
    expect((await bob.closed).code).toBe(1000);
  });

  it("echoes a waiting customer's message unstored and has the bot answer it, instead of refusing it", async () => {
    server = await start();
    const bob = await enqueue('bob');
    await position(bob);
    bob.send('hello?', { cid: 'w1' });
    const echo = await bob.next();
    expect(echo).toMatchObject({ type: 'message', neiRong: 'hello?', shuiFaDe: 'bob', role: 'yonghu', cid: 'w1' });
    expect(echo.seq).toBeUndefined();
    expect(await bob.next()).toMatchObject({ type: 'bot', shuiFaDe: '小助手' });
  });

  it('never gives an agent two customers or a customer two agents under concurrency', async () => {
    server = await start({ QUEUE_MAX: '100' });
    const agents = await Promise.all(['a1', 'a2', 'a3'].map(async (n) => track(await connectAgent(server, n))));
    const customers = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const name = `c${i}`;
        const answer = await getRoom(server, name);
        return { name, client: track(connect(customerUrl(server, name, answer.ticket as string))) };
      }),
    );
    const done = new Set<string>();
    const assigned = (c: TestClient) => c.frames.filter((f) => f.event === 'agent_assigned');
    const seatedNow = () => customers.filter((c) => !done.has(c.name) && assigned(c.client).length > 0);
    // Ten rounds: three customers are seated, one per agent; they leave; the next three follow.
    for (let round = 0; round < 10; round++) {
      await expect.poll(() => seatedNow().length).toBe(3);
      const now = seatedNow();
      expect(new Set(now.map((c) => assigned(c.client)[0]?.neiRong)).size).toBe(3);
      for (const c of now) {
        done.add(c.name);
        await c.client.close(1000);
      }
    }
    expect(done.size).toBe(30);
    for (const { client } of customers) expect(assigned(client)).toHaveLength(1);
    for (const a of agents) {
      const entered = a.frames.filter((f) => f.event === 'customer_entered').length;
      expect(entered).toBe(10);
    }
  });
});

describe('a customer who drops while waiting', () => {
  it('keeps position 1 across a drop and a resume within grace, and is then placed', async () => {
    server = await start({ GRACE_MS: '60000' });
    const bob = await enqueue('bob');
    expect(await position(bob)).toBe(1);
    const carol = await enqueue('carol');
    expect(await position(carol)).toBe(2);
    const token = resumeTokenOf(bob);
    bob.ws.terminate();
    await bob.closed;
    const back = track(connect(resumeUrl(server, 'bob', token)));
    expect(await back.next()).toMatchObject({ event: 'queue_position', position: 1, resume: token });
    const agent = track(await connectAgent(server, 'alice'));
    expect(await back.next()).toMatchObject({ event: 'agent_assigned', neiRong: '客服-alice-将为您服务' });
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已进入房间' });
    expect(await position(carol)).toBe(1);
    back.send('still here');
    expect((await agent.next()).neiRong).toBe('still here');
  });

  it('closes the first connection with 4002 when the page resumes its place twice', async () => {
    server = await start({ GRACE_MS: '60000' });
    const bob = await enqueue('bob');
    await position(bob);
    const token = resumeTokenOf(bob);
    const second = track(connect(resumeUrl(server, 'bob', token)));
    expect(await second.next()).toMatchObject({ event: 'queue_position', position: 1 });
    expect((await bob.closed).code).toBe(4002);
    track(await connectAgent(server, 'alice'));
    expect(await second.next()).toMatchObject({ event: 'agent_assigned' });
  });

  it('refuses the resume with 4401 once the grace ran out, and moves the others up', async () => {
    server = await start({ GRACE_MS: '150' });
    const bob = await enqueue('bob');
    await position(bob);
    const carol = await enqueue('carol');
    expect(await position(carol)).toBe(2);
    const token = resumeTokenOf(bob);
    bob.ws.terminate();
    expect(await position(carol)).toBe(1);
    expect((await track(connect(resumeUrl(server, 'bob', token))).closed).code).toBe(4401);
  });
});
