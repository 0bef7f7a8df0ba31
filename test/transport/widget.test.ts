import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IDENTITY_PARAMS, resolveIdentity } from '../../src/transport/widgetIdentity.js';
import { signedVisitorId } from '../../src/domain/visitorIdentity.js';
import { agentUrl, connect, connectAgent, customerUrl, resumeTokenOf, resumeUrl } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
const SECRET = 'widget-secret-for-tests-0123456789abcdef';
const SHOP = 'https://shop.example.com';

function identityQuery(fields: { id: string; name?: string; email?: string; expiry?: number }, secret = SECRET): string {
  const expiry = fields.expiry ?? Math.floor(Date.now() / 1000) + 600;
  const name = fields.name ?? '';
  const email = fields.email ?? '';
  const signature = createHmac('sha256', secret).update(`kefu-identity-v1\n${fields.id}\n${name}\n${email}\n${expiry}`, 'utf8').digest('hex');
  return new URLSearchParams({
    identityId: fields.id,
    identityName: name,
    identityEmail: email,
    identityExpiry: String(expiry),
    identitySignature: signature,
  }).toString();
}

async function getroom(server: TestServer, query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.httpUrl}/getroom?${query}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function cspOf(server: TestServer, path: string): Promise<{ frameAncestors: string | undefined; xfo: string | null }> {
  const res = await fetch(`${server.httpUrl}${path}`);
  const csp = res.headers.get('content-security-policy') ?? '';
  const directive = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '));
  return { frameAncestors: directive?.slice('frame-ancestors '.length), xfo: res.headers.get('x-frame-options') };
}

describe('WIDGET_ORIGINS', () => {
  it('lets only those sites frame the customer page, and no page else', async () => {
    const server = await start({ WIDGET_ORIGINS: `${SHOP},http://localhost:8080` });
    expect(await cspOf(server, '/yonghu.html')).toEqual({ frameAncestors: `${SHOP} http://localhost:8080`, xfo: null });
    expect((await cspOf(server, '/kefu.html')).frameAncestors).toBe("'none'");
    expect((await cspOf(server, '/admin.html')).frameAncestors).toBe("'none'");
  });

  it('leaves the customer page unframeable when unset', async () => {
    const server = await start();
    expect((await cspOf(server, '/yonghu.html')).frameAncestors).toBe("'none'");
  });

  it('lets those sites open the WebSocket, and still refuses any other site with 403', async () => {
    const server = await start({ WIDGET_ORIGINS: SHOP });
    const agent = track(connect(`${server.httpUrl.replace('http', 'ws')}/ws?type=kefu&name=A&key=test-agent-key-0123`, { Origin: SHOP }));
    await agent.opened;
    const other = track(connect(`${server.httpUrl.replace('http', 'ws')}/ws?type=kefu&name=B&key=test-agent-key-0123`, { Origin: 'https://evil.example' }));
    await expect(other.opened).rejects.toThrow('upgrade refused: 403');
  });

  it('tells the embedded page the allowed sites and whether identities are checked', async () => {
    const server = await start({ WIDGET_ORIGINS: SHOP, WIDGET_SECRET: SECRET, IDENTITY_REQUIRED: '1' });
    const res = await fetch(`${server.httpUrl}/api/widget`);
    expect(await res.json()).toMatchObject({ origins: [SHOP], identity: 'required' });
    const plain = await start();
    expect(await (await fetch(`${plain.httpUrl}/api/widget`)).json()).toMatchObject({ origins: [], identity: 'off' });
  });
});

describe('signed visitor identity on /getroom and the socket', () => {
  it('seats a visitor under the name the site signed, whatever userName says', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    const agent = track(await connectAgent(server, '客服A'));
    const answer = await getroom(server, `userName=Mallory&${identityQuery({ id: 'user-42', name: '王先生' })}`);
    expect(answer.status).toBe(200);
    const customer = track(connect(`${customerUrl(server, 'Mallory', answer.body.ticket as string)}&${identityQuery({ id: 'user-42', name: '王先生' })}`));
    await customer.opened;
    const entered = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(entered.neiRong).toBe('用户-王先生-已进入房间');
  });

  it('refuses a forged, tampered or expired identity with 403 bad_identity', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    const forged = await getroom(server, `userName=x&${identityQuery({ id: 'admin' }, 'not-the-secret-not-the-secret-000000')}`);
    expect(forged).toEqual({ status: 403, body: expect.objectContaining({ error: 'bad_identity', reason: 'bad_signature' }) });
    const tampered = identityQuery({ id: 'user-42', name: '王先生' }).replace('identityName=', 'identityName=%E8%80%81');
    expect((await getroom(server, `userName=x&${tampered}`)).body.reason).toBe('bad_signature');
    const expired = await getroom(server, `userName=x&${identityQuery({ id: 'user-42', expiry: Math.floor(Date.now() / 1000) - 1 })}`);
    expect(expired.body).toMatchObject({ error: 'bad_identity', reason: 'expired' });
  });

  it('lets unsigned visitors in unless IDENTITY_REQUIRED=1, which refuses them with 401 and closes their socket with 4401', async () => {
    const optional = await start({ WIDGET_SECRET: SECRET });
    expect((await getroom(optional, 'userName=张三')).status).toBe(200);
    const required = await start({ WIDGET_SECRET: SECRET, IDENTITY_REQUIRED: '1' });
    expect(await getroom(required, 'userName=张三')).toEqual({ status: 401, body: expect.objectContaining({ error: 'identity_required' }) });
    track(await connectAgent(required, '客服A'));
    const signed = await getroom(required, `userName=x&${identityQuery({ id: 'user-42', name: '王先生' })}`);
    // A ticket alone does not do: the socket must bring the identity too.
    const bare = track(connect(customerUrl(required, '王先生', signed.body.ticket as string)));
    expect(await bare.closed).toEqual({ code: 4401, reason: 'a signed visitor identity is required' });
  });

  it('ignores identity parameters when no WIDGET_SECRET is set', async () => {
    const server = await start();
    const answer = await getroom(server, `userName=张三&${identityQuery({ id: 'user-42', name: '王先生' }, 'whatever-whatever-whatever-whatever')}`);
    expect(answer.status).toBe(200);
  });
});

describe('resolveIdentity', () => {
  const options = { secret: SECRET, required: false, now: () => Date.now() };

  it('replaces the visitor id by the signed one and drops the identity parameters', () => {
    const params = new URLSearchParams(`userName=x&visitor=anonymous-visitor-0001&${identityQuery({ id: 'user-42', name: '王先生' })}`);
    expect(resolveIdentity(params, options, 'userName')).toMatchObject({ ok: true, signed: true, identity: { id: 'user-42', name: '王先生', email: '' } });
    expect(params.get('visitor')).toBe(signedVisitorId('user-42'));
    expect(params.get('userName')).toBe('王先生');
    for (const p of Object.values(IDENTITY_PARAMS)) expect(params.has(p)).toBe(false);
  });

  it('drops a visitor id of the signed form that no verified identity backs', () => {
    const params = new URLSearchParams(`name=x&visitor=${signedVisitorId('user-42')}`);
    expect(resolveIdentity(params, options, 'name')).toEqual({ ok: true, signed: false });
    expect(params.has('visitor')).toBe(false);
    const anonymous = new URLSearchParams('name=x&visitor=anonymous-visitor-0001');
    resolveIdentity(anonymous, options, 'name');
    expect(anonymous.get('visitor')).toBe('anonymous-visitor-0001');
  });

  it('never takes an unsigned id as the visitor id without a secret', () => {
    const params = new URLSearchParams(`name=x&${identityQuery({ id: 'user-42', name: '王先生' })}`);
    expect(resolveIdentity(params, { secret: '', required: false }, 'name')).toEqual({ ok: true, signed: false });
    expect(params.has('visitor')).toBe(false);
    expect(params.get('name')).toBe('x');
  });
});

describe('verified identity for the agent', () => {
  /** A protocol-2 agent and a customer seated with these extra query parameters (an identity, or none). */
  async function seat(server: TestServer, name: string, identity: string) {
    const answer = await getroom(server, `userName=${encodeURIComponent(name)}${identity ? `&${identity}` : ''}`);
    const customer = track(connect(`${customerUrl(server, name, answer.body.ticket as string)}${identity ? `&${identity}` : ''}`));
    await customer.opened;
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    return customer;
  }

  it('marks a signed customer verified with the e-mail the site signed, and an unsigned one not at all', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    const agent = track(await connectAgent(server, '客服A', '&v=2'));
    const wang = await seat(server, '王先生', identityQuery({ id: 'user-42', name: '王先生', email: 'wang@example.com' }));
    const signed = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(signed).toMatchObject({ customer: '王先生', verified: true, email: 'wang@example.com' });
    // The seed's one chat at a time: the room is free again once he leaves.
    wang.ws.close(1000);
    await agent.nextMatching((f) => f.event === 'customer_left');
    await seat(server, '张三', '');
    const unsigned = await agent.nextMatching((f) => f.event === 'customer_entered');
    expect(unsigned.customer).toBe('张三');
    expect(unsigned).not.toHaveProperty('verified');
    expect(unsigned).not.toHaveProperty('email');
  });

  it('lists the signed customer as verified in the inbox of a console that comes back', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    const agent = track(await connectAgent(server, '客服A', '&v=2'));
    await seat(server, '王先生', identityQuery({ id: 'user-42', name: '王先生', email: 'wang@example.com' }));
    await agent.nextMatching((f) => f.event === 'customer_entered');
    agent.ws.terminate();
    await agent.closed;
    const back = track(connect(`${agentUrl(server, '客服A')}&v=2`));
    const inbox = await back.nextMatching((f) => f.type === 'inbox');
    expect(inbox.conversations).toEqual([expect.objectContaining({ customer: '王先生', verified: true, email: 'wang@example.com' })]);
  });

  it('keeps a resumed customer verified when the resume brings the identity again, and not when it names someone else', async () => {
    const server = await start({ WIDGET_SECRET: SECRET });
    let agent = track(await connectAgent(server, '客服A', '&v=2'));
    const identity = identityQuery({ id: 'user-42', name: '王先生', email: 'wang@example.com' });
    let customer = await seat(server, '王先生', identity);
    await agent.nextMatching((f) => f.event === 'customer_entered');
    const token = resumeTokenOf(customer);
    /** The customer drops and comes back with `query`; then the console drops and reads its inbox on coming back. */
    const inboxAfterResume = async (query: string) => {
      customer.ws.terminate();
      await agent.nextMatching((f) => f.event === 'peer_away');
      customer = track(connect(`${resumeUrl(server, '王先生', token)}${query}`));
      await customer.nextMatching((f) => f.event === 'agent_assigned');
      await agent.nextMatching((f) => f.event === 'peer_back');
      agent.ws.terminate();
      await agent.closed;
      agent = track(connect(`${agentUrl(server, '客服A')}&v=2`));
      const inbox = await agent.nextMatching((f) => f.type === 'inbox');
      return (inbox.conversations as Array<Record<string, unknown>>)[0];
    };
    expect(await inboxAfterResume(`&${identity}`)).toMatchObject({ customer: '王先生', verified: true, email: 'wang@example.com' });
    const other = await inboxAfterResume(`&${identityQuery({ id: 'user-7', name: '李四', email: 'li@example.com' })}`);
    expect(other).toMatchObject({ customer: '王先生' });
    expect(other).not.toHaveProperty('verified');
    expect(other).not.toHaveProperty('email');
  });
});
