import { describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, connectCustomer, customerUrl, getRoom, resumeTokenOf, resumeUrl, type Frame } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

const entered = (f: Frame) => f.event === 'customer_entered';
const assigned = (f: Frame) => f.event === 'agent_assigned';

describe('avatars and customer info', () => {
  it('shows each side the avatar the other picked, and the agent when the chat started', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice', '&avatar=cat'));
    const answer = await getRoom(server, 'bob');
    const before = Date.now();
    const customer = track(connect(`${customerUrl(server, 'bob', answer.ticket as string)}&avatar=panda`));
    expect(await customer.nextMatching(assigned)).toMatchObject({ agent: 'alice', avatar: 'cat' });
    const info = await agent.nextMatching(entered);
    expect(info).toMatchObject({ customer: 'bob', avatar: 'panda' });
    expect(info.startedAt).toBeGreaterThanOrEqual(before);
    expect(info.waitedMs).toBeGreaterThanOrEqual(0);
  });

  it('counts a queued customer’s wait from connecting to being seated', async () => {
    server = await start();
    const answer = await getRoom(server, 'bob');
    const customer = track(connect(`${customerUrl(server, 'bob', answer.ticket as string)}&avatar=fox`));
    await customer.nextMatching((f) => f.event === 'queue_position');
    const queuedBy = Date.now();
    // A wait long enough to tell from zero, awaited on the server's own clock rather than slept.
    while (Date.now() - queuedBy < 30) await new Promise((r) => setImmediate(r));
    const agentFrom = Date.now();
    const agent = track(connect(agentUrl(server, 'alice')));
    const info = await agent.nextMatching(entered);
    expect(info.avatar).toBe('fox');
    expect(info.waitedMs as number).toBeGreaterThanOrEqual(agentFrom - queuedBy);
  });

  it('gives no avatar field for someone who picked none, so the page draws one from the name', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    const customer = track(await connectCustomer(server, 'bob'));
    expect(customer.frames.find(assigned)).not.toHaveProperty('avatar');
    const info = await agent.nextMatching(entered);
    expect(info).not.toHaveProperty('avatar');
    expect(typeof info.startedAt).toBe('number');
  });

  it('shows the avatar again after a resume, on both sides', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice', '&avatar=owl'));
    const answer = await getRoom(server, 'bob');
    const customer = track(connect(`${customerUrl(server, 'bob', answer.ticket as string)}&avatar=frog`));
    await customer.nextMatching(assigned);
    await agent.nextMatching(entered);
    const token = resumeTokenOf(customer);
    customer.ws.terminate();
    await agent.nextMatching((f) => f.event === 'peer_away');
    const back = track(connect(`${resumeUrl(server, 'bob', token)}&avatar=whale`));
    expect(await back.nextMatching(assigned)).toMatchObject({ agent: 'alice', avatar: 'owl' });
    agent.ws.terminate();
    const agentBack = track(connect(`${agentUrl(server, 'alice')}&avatar=owl`));
    expect(await agentBack.nextMatching(entered)).toMatchObject({ customer: 'bob', avatar: 'whale' });
  });

  it('lists agents with their avatars in presence', async () => {
    server = await start();
    const alice = track(await connectAgent(server, 'alice', '&v=2&avatar=tiger'));
    track(await connectAgent(server, 'carol', '&v=2'));
    const presence = await alice.nextMatching((f) => f.type === 'presence' && (f.agents as unknown[]).length === 2);
    expect(presence.agents).toEqual([
      { name: 'alice', state: 'free', avatar: 'tiger', status: 'online', chats: 0, capacity: 1 },
      { name: 'carol', state: 'free', status: 'online', chats: 0, capacity: 1 },
    ]);
  });

  it.each([['unicorn'], ['<img src=x onerror=alert(1)>'], ['']])('closes a connection with avatar=%s with 4400', async (avatar) => {
    server = await start();
    const closed = await track(connect(`${agentUrl(server, 'alice')}&avatar=${encodeURIComponent(avatar)}`)).closed;
    expect(closed).toEqual({ code: 4400, reason: 'avatar must be an id of the built-in set' });
  });

  it('closes a connection with two avatars with 4400', async () => {
    server = await start();
    const closed = await track(connect(`${agentUrl(server, 'alice')}&avatar=cat&avatar=dog`)).closed;
    expect(closed.code).toBe(4400);
  });
});
