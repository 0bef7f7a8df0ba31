import { beforeEach, describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, getRoom } from '../helpers/client.js';
import { TEST_KEY, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;
const VISITOR = 'Vq3_x-9aZk0mN7pQr2sT1u';

beforeEach(async () => {
  server = await start();
});

const getroom = (query: string) => fetch(`${server.httpUrl}/getroom?userName=bob${query}`);

describe('visitor id', () => {
  it.each([
    ['too short', '&visitor=abc'],
    ['a character outside base64url', `&visitor=${VISITOR.slice(0, 20)}%2B%2B`],
    ['too long', `&visitor=${'a'.repeat(65)}`],
    ['given twice', `&visitor=${VISITOR}&visitor=${VISITOR}`],
  ])('refuses /getroom with a visitor id %s: 400 bad_visitor', async (_label, query) => {
    const res = await getroom(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_visitor' });
  });

  it('gives a ticket to /getroom with a well-formed visitor id, and without one', async () => {
    track(await connectAgent(server, 'alice'));
    expect((await getroom(`&visitor=${VISITOR}`)).status).toBe(200);
    expect((await getroom('')).status).toBe(200);
  });

  it('closes a customer socket with a malformed visitor id with 4400', async () => {
    track(await connectAgent(server, 'alice'));
    const { ticket } = await getRoom(server, 'bob');
    const customer = track(connect(`${customerUrl(server, 'bob', ticket as string)}&visitor=bad%20id`));
    const closed = await customer.closed;
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/visitor/);
  });

  it('tells the agent the visitor id on customer_entered and keeps it on the conversation', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const { ticket } = await getRoom(server, 'bob');
    const customer = track(connect(`${customerUrl(server, 'bob', ticket as string)}&visitor=${VISITOR}`));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    const entered = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).toMatchObject({ customer: 'bob', visitorId: VISITOR });
    const res = await fetch(`${server.httpUrl}/api/conversations/${entered.conversationId}/messages`, { headers: { Authorization: `Bearer ${TEST_KEY}` } });
    expect(((await res.json()) as { conversation: unknown }).conversation).toMatchObject({ customer: 'bob', visitorId: VISITOR });
  });

  it('keeps the visitor id of a customer who waited in the queue until an agent came', async () => {
    const { ticket } = await getRoom(server, 'bob');
    const customer = track(connect(`${customerUrl(server, 'bob', ticket as string)}&visitor=${VISITOR}`));
    await customer.nextMatching((f) => f.event === 'queue_position');
    const agent = track(await connectAgent(server, 'alice'));
    const entered = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(entered.visitorId).toBe(VISITOR);
  });

  it('sends no visitor id for a customer page that gave none, as before', async () => {
    const agent = track(await connectAgent(server, 'alice'));
    const { ticket } = await getRoom(server, 'bob');
    track(connect(customerUrl(server, 'bob', ticket as string)));
    const entered = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).not.toHaveProperty('visitorId');
  });
});
