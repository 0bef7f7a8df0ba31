import { beforeEach, describe, expect, it } from 'vitest';
import { connect, connectAgent, connectCustomer, getRoom, customerUrl, agentUrl, type TestClient } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

beforeEach(async () => {
  server = await start();
});

describe('a conversation', () => {
  it('places a customer with the free agent and announces both sides in the seed wording', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const answer = await getRoom(server, 'bob');
    expect(answer).toMatchObject({ room: true, kefuName: 'alice' });
    const customer = track(connect(customerUrl(server, 'bob', answer.ticket as string)));
    expect(await customer.next()).toMatchObject({ neiRong: '客服-alice-将为您服务', shuiFaDe: '系统' });
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已进入房间', shuiFaDe: '系统' });
  });

  it('echoes and relays messages both ways with the server-stamped sender', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    customer.send('你好', { shuiFaDe: 'alice' });
    expect(await customer.next()).toMatchObject({ neiRong: '你好', shuiFaDe: 'bob', type: 'message', role: 'yonghu' });
    expect(await agent.next()).toMatchObject({ neiRong: '你好', shuiFaDe: 'bob' });
    agent.send('您好,请问有什么可以帮您?');
    expect(await agent.next()).toMatchObject({ neiRong: '您好,请问有什么可以帮您?', shuiFaDe: 'alice', role: 'kefu' });
    expect(await customer.next()).toMatchObject({ neiRong: '您好,请问有什么可以帮您?', shuiFaDe: 'alice' });
  });

  it('only echoes a message from an agent with no customer', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const other = track(await connectAgent(server, 'dave'));
    agent.send('anyone?');
    expect(await agent.next()).toMatchObject({ neiRong: 'anyone?', shuiFaDe: 'alice' });
    other.send('ping');
    await other.next();
    expect(other.unread()).toEqual([]);
  });

  it('frees the room when the customer leaves and gives it to the next customer', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const bob = track(await connectCustomer(server, 'bob', agent));
    await bob.close(1000);
    expect(await agent.next()).toMatchObject({ neiRong: '用户-bob-已退出房间', shuiFaDe: '系统' });
    const carol = track(await connectCustomer(server, 'carol', agent));
    carol.send('hi');
    await carol.next();
    expect(await agent.next()).toMatchObject({ neiRong: 'hi', shuiFaDe: 'carol' });
  });

  it('when the agent leaves, tells the customer, sends the close command and closes the socket', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob', agent));
    agent.ws.close(1000);
    expect(await customer.next()).toMatchObject({ neiRong: '客服-alice-已退出房间', shuiFaDe: '系统' });
    expect(await customer.next()).toMatchObject({ neiRong: 'close', shuiFaDe: 'code' });
    expect((await customer.closed).code).toBe(1000);
    expect(await getRoom(server, 'carol')).toMatchObject({ room: false, position: 1 });
  });

  it('removes an empty room when its agent leaves', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    await agent.close(1000);
    await expect.poll(() => server.gateway.size).toBe(0);
    expect(await getRoom(server, 'bob')).toMatchObject({ room: false, position: 1 });
    track(await connectAgent(server, 'alice'));
  });

  it('keeps several rooms apart: no message crosses rooms', async () => {
    const pairs: Array<[TestClient, TestClient, string]> = [];
    for (let i = 0; i < 5; i++) {
      const agent = track(await connectAgent(server, `agent${i}`));
      const customer = track(await connectCustomer(server, `cust${i}`, agent));
      pairs.push([agent, customer, `cust${i}`]);
    }
    for (const [agent, customer, name] of pairs) {
      customer.send(`from ${name}`);
      agent.send(`to ${name}`);
    }
    for (const [agent, customer, name] of pairs) {
      const agentGot = [await agent.next(), await agent.next()].map((f) => f.neiRong).sort();
      const customerGot = [await customer.next(), await customer.next()].map((f) => f.neiRong).sort();
      expect(agentGot).toEqual([`from ${name}`, `to ${name}`]);
      expect(customerGot).toEqual([`from ${name}`, `to ${name}`]);
    }
    // A last round trip per pair: anything stray would have arrived before it.
    for (const [agent, customer] of pairs) {
      agent.send('end');
      expect((await agent.next()).neiRong).toBe('end');
      expect((await customer.next()).neiRong).toBe('end');
      expect(customer.unread()).toEqual([]);
    }
  });

  it('gives one free agent to exactly one of many concurrent /getroom requests', async () => {
    track(await connectAgent(server, 'alice'));
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => getRoom(server, `c${i}`)));
    expect(answers.filter((a) => a.room)).toHaveLength(1);
    // The rest get queue tickets; connecting with them, they queue in arrival order: 1..49, each once.
    const queued = answers.flatMap((a, i) => (a.room ? [] : [{ name: `c${i}`, ticket: a.ticket as string }]));
    const positions = await Promise.all(
      queued.map(async ({ name, ticket }) => {
        const c = track(connect(customerUrl(server, name, ticket)));
        return (await c.nextMatching((f) => f.event === 'queue_position')).position as number;
      }),
    );
    expect(positions.sort((x, y) => x - y)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
  });

  it('serves the same endpoint on the HTTP port at /ws', async () => {
    const url = agentUrl(server, 'alice').replace(`${server.wsUrl}/`, `ws://127.0.0.1:${server.httpPort}/ws`);
    const agent = track(connect(url));
    expect(await agent.next()).toMatchObject({ event: 'room_opened', shuiFaDe: '系统' });
  });
});
