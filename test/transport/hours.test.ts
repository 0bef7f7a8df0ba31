import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connect, connectAgent, customerUrl, sendAcked } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
const SECRET = 'widget-secret-for-tests-0123456789abcdef';
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Hours on a day two days from today (UTC): the team is closed now, whatever the time of day. */
const CLOSED_TODAY = { BUSINESS_HOURS: `${DAYS[(new Date().getUTCDay() + 2) % 7]} 09:00-18:00`, BUSINESS_TZ: 'UTC' };
const ALWAYS_OPEN = { BUSINESS_HOURS: 'mon-sun 00:00-24:00', BUSINESS_TZ: 'Asia/Shanghai' };

async function getJson(server: TestServer, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.httpUrl}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('GET /api/widget', () => {
  it('asks for the name only, and says nothing of hours, when nothing is configured', async () => {
    const server = await start();
    const { body } = await getJson(server, '/api/widget');
    expect(body.prechat).toEqual({ email: 'off', question: 'off' });
    expect(body).not.toHaveProperty('hours');
  });

  it('tells the page which pre-chat fields to show and which are required', async () => {
    const server = await start({ PRECHAT_FIELDS: 'name,email:required,question' });
    expect((await getJson(server, '/api/widget')).body.prechat).toEqual({ email: 'required', question: 'optional' });
  });

  it('says closed outside business hours, with the next opening and the coming openings in the team time zone', async () => {
    const server = await start(CLOSED_TODAY);
    const hours = (await getJson(server, '/api/widget')).body.hours as Record<string, unknown>;
    expect(hours).toMatchObject({ timeZone: 'UTC', open: false, opensAt: expect.any(Number) });
    expect(hours.opensAt as number).toBeGreaterThan(Date.now());
    expect(new Date(hours.opensAt as number).toISOString()).toMatch(/T09:00:00\.000Z$/);
    expect(hours.periods).toEqual([{ opensAt: hours.opensAt, closesAt: (hours.opensAt as number) + 9 * 3600_000 }]);
  });

  it('says open within business hours', async () => {
    const server = await start(ALWAYS_OPEN);
    expect((await getJson(server, '/api/widget')).body.hours).toMatchObject({ timeZone: 'Asia/Shanghai', open: true });
  });

  it('serves the expected reply time from recent first responses while an agent is online, and not after they left', async () => {
    const server = await start();
    const agent = track(await connectAgent(server, '客服A'));
    const room = await getJson(server, '/getroom?userName=bob');
    const customer = track(connect(customerUrl(server, 'bob', room.body.ticket as string)));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.nextMatching((f) => f.event === 'customer_entered');
    await sendAcked(agent, '您好', 'r1');
    const served = (await getJson(server, '/api/widget')).body;
    expect(served.replyTimeS).toEqual(expect.any(Number));
    expect(served.replyTimeS as number).toBeGreaterThanOrEqual(0);
    agent.close(1000);
    await customer.nextMatching((f) => f.type === 'close');
    await expect.poll(async () => (await getJson(server, '/api/widget')).body).not.toHaveProperty('replyTimeS');
  });

  it('serves no expected reply time without replied conversations', async () => {
    const server = await start();
    track(await connectAgent(server, '客服A'));
    expect((await getJson(server, '/api/widget')).body).not.toHaveProperty('replyTimeS');
  });
});

describe('GET /getroom and business hours', () => {
  it('gives no ticket outside business hours: room false, closed, and when the team opens', async () => {
    const server = await start(CLOSED_TODAY);
    track(await connectAgent(server, '客服A'));
    const { status, body } = await getJson(server, '/getroom?userName=bob');
    expect(status).toBe(200);
    expect(body).toEqual({ room: false, closed: true, opensAt: expect.any(Number), message: '现在是非工作时间,请在工作时间再来,或给客服留言' });
    expect(body).not.toHaveProperty('ticket');
  });

  it('places customers as usual within business hours', async () => {
    const server = await start(ALWAYS_OPEN);
    track(await connectAgent(server, '客服A'));
    expect((await getJson(server, '/getroom?userName=bob')).body).toMatchObject({ room: true, kefuName: '客服A' });
  });
});

describe('the pre-chat e-mail', () => {
  it('refuses a malformed e-mail on /getroom with 400 bad_email', async () => {
    const server = await start();
    expect(await getJson(server, '/getroom?userName=bob&email=not-an-address')).toEqual({ status: 400, body: expect.objectContaining({ error: 'bad_email' }) });
  });

  it('closes a socket whose e-mail is malformed with 4400', async () => {
    const server = await start();
    track(await connectAgent(server, '客服A'));
    const room = await getJson(server, '/getroom?userName=bob');
    const customer = track(connect(`${customerUrl(server, 'bob', room.body.ticket as string)}&email=nope`));
    expect(await customer.closed).toEqual({ code: 4400, reason: 'email must be an e-mail address' });
  });

  it('shows the agent the customer e-mail on customer_entered', async () => {
    const server = await start();
    const agent = track(await connectAgent(server, '客服A'));
    const room = await getJson(server, '/getroom?userName=bob&email=Bob%40Example.com');
    track(connect(`${customerUrl(server, 'bob', room.body.ticket as string)}&email=Bob%40Example.com`));
    expect((await agent.nextMatching((f) => f.event === 'customer_entered')).email).toBe('bob@example.com');
  });

  it('takes the signed identity e-mail over the one the visitor typed', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    const agent = track(await connectAgent(server, '客服A'));
    const expiry = Math.floor(Date.now() / 1000) + 600;
    const signature = createHmac('sha256', SECRET).update(`kefu-identity-v1\nuser-42\n王先生\nwang@shop.example\n${expiry}`, 'utf8').digest('hex');
    const identity = new URLSearchParams({
      identityId: 'user-42',
      identityName: '王先生',
      identityEmail: 'wang@shop.example',
      identityExpiry: String(expiry),
      identitySignature: signature,
    }).toString();
    const room = await getJson(server, `/getroom?userName=x&email=typed%40example.com&${identity}`);
    track(connect(`${customerUrl(server, '王先生', room.body.ticket as string)}&email=typed%40example.com&${identity}`));
    expect((await agent.nextMatching((f) => f.event === 'customer_entered')).email).toBe('wang@shop.example');
  });
});
