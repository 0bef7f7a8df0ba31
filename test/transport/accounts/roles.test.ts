import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAccount, api, connectSignedIn, connectWithCookie, signedIn, signIn } from '../../helpers/accounts.js';
import { connectAgent, connectCustomer, resumeTokenOf, sendAcked } from '../../helpers/client.js';
import { startTestServer, TEST_KEY, type TestServer } from '../../helpers/server.js';

// One server for the whole matrix: each row asks one thing as one principal and changes nothing
// another row reads (writes are made on things of their own).
let server: TestServer;
/** Credentials by principal: a cookie, or a bearer token. */
const as: Record<string, { cookie?: string; token?: string }> = {};
let own: string;
let others: string;

async function conversationOf(agentName: string, agentSocket: Awaited<ReturnType<typeof connectAgent>>, customer: string, score: number): Promise<string> {
  const c = await connectCustomer(server, customer, agentSocket);
  await sendAcked(c, `hello from ${customer}`, 'c1');
  const token = resumeTokenOf(c);
  await c.close(1000);
  await agentSocket.nextMatching((f) => f.event === 'customer_left');
  const rated = await fetch(`${server.httpUrl}/api/me/rating`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ score }),
  });
  if (rated.status !== 201) throw new Error(`rating for ${agentName} answered ${rated.status}`);
  const list = await api(server, '/api/conversations', { token: TEST_KEY });
  return ((list.body.conversations as Array<{ id: string; customer: string }>).find((x) => x.customer === customer) as { id: string }).id;
}

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_POSTS_PER_MINUTE: '100' });
  const owner = await signedIn(server, { name: 'Boss', role: 'owner' });
  const admin = await signedIn(server, { name: 'Admin', role: 'admin' });
  const agent = await signedIn(server, { name: 'Agent' });
  as.owner = { cookie: owner.cookie };
  as.admin = { cookie: admin.cookie };
  as.agent = { cookie: agent.cookie };
  as.service = { token: TEST_KEY };
  as.none = {};
  as.agentToken = { token: (await api(server, '/api/tokens', { cookie: agent.cookie, body: { name: 'agent script' } })).body.token as string };
  as.adminToken = { token: (await api(server, '/api/tokens', { cookie: admin.cookie, body: { name: 'admin script' } })).body.token as string };
  const agentSocket = await connectSignedIn(server, agent.cookie);
  own = await conversationOf('Agent', agentSocket, 'alice', 5);
  agentSocket.ws.terminate();
  const other = await connectAgent(server, 'Other');
  others = await conversationOf('Other', other, 'bob', 2);
  other.ws.terminate();
});

afterAll(async () => {
  await server?.close();
});

type Row = [principal: string, allowed: boolean];
const ALL_AGENTS: Row[] = [
  ['owner', true],
  ['admin', true],
  ['agent', true],
  ['agentToken', true],
  ['adminToken', true],
  ['service', true],
  ['none', false],
];
const ADMINS_ONLY: Row[] = [
  ['owner', true],
  ['admin', true],
  ['agent', false],
  ['agentToken', false],
  ['adminToken', true],
  ['service', true],
  ['none', false],
];
/** Refused as 401 (no credential of the kind) or 403 (the role may not). */
const refused = (status: number) => status === 401 || status === 403;

describe('transcripts by role', () => {
  it.each(ALL_AGENTS)('lists conversations as %s: %s', async (who, allowed) => {
    const res = await api(server, '/api/conversations', as[who]);
    if (!allowed) return expect(res.status).toBe(401);
    const customers = (res.body.conversations as Array<{ customer: string }>).map((c) => c.customer);
    // Agents see the conversations they served; owners, admins and the legacy key see all.
    expect(customers.sort()).toEqual(who.startsWith('agent') ? ['alice'] : ['alice', 'bob']);
  });

  it.each(ADMINS_ONLY)("reads another agent's transcript as %s: %s", async (who, allowed) => {
    const res = await api(server, `/api/conversations/${others}/messages`, as[who]);
    if (allowed) expect(res.body).toMatchObject({ messages: [{ content: 'hello from bob' }] });
    else expect(res.status).toBe(who === 'none' ? 401 : 404);
  });

  it.each(ALL_AGENTS)('reads their own transcript as %s: %s', async (who, allowed) => {
    const res = await api(server, `/api/conversations/${own}/messages`, as[who]);
    if (allowed) expect(res.body).toMatchObject({ messages: [{ content: 'hello from alice' }] });
    else expect(res.status).toBe(401);
  });

  it('audits every transcript read through the API with its actor, address and time', async () => {
    const before = Date.now();
    await api(server, `/api/conversations/${own}/messages`, as.agentToken);
    const log = await api(server, '/api/audit?limit=5', as.owner);
    const read = (log.body.entries as Array<Record<string, unknown>>).find((e) => e.action === 'transcript_read');
    expect(read).toMatchObject({ actor: 'agent', address: '127.0.0.1', detail: { conversation: own } });
    expect(read?.ts as number).toBeGreaterThanOrEqual(before);
  });
});

describe('ratings by role', () => {
  it.each(ALL_AGENTS)('reads the rating summary as %s: %s', async (who, allowed) => {
    const res = await api(server, '/api/ratings/summary', as[who]);
    if (!allowed) return expect(res.status).toBe(401);
    const agents = (res.body.agents as Array<{ agent: string }>).map((a) => a.agent);
    expect(agents).toEqual(who.startsWith('agent') ? ['Agent'] : ['Agent', 'Other']);
  });
});

describe('canned replies by role', () => {
  it.each(ALL_AGENTS)('lists and adds canned replies as %s: %s', async (who, allowed) => {
    const made = await api(server, '/api/canned-replies', { ...as[who], body: { shortcut: `add-${who}`, title: 't', body: 'b' } });
    expect(made.status).toBe(allowed ? 201 : 401);
    expect((await api(server, '/api/canned-replies', as[who])).status).toBe(allowed ? 200 : 401);
  });

  it.each(ADMINS_ONLY)('edits and deletes a canned reply as %s: %s', async (who, allowed) => {
    const made = await api(server, '/api/canned-replies', { ...as.owner, body: { shortcut: `edit-${who}`, title: 't', body: 'b' } });
    const id = made.body.id as number;
    const edited = await api(server, `/api/canned-replies/${id}`, { ...as[who], method: 'PATCH', body: { title: 'new' } });
    const deleted = await api(server, `/api/canned-replies/${id}`, { ...as[who], method: 'DELETE' });
    if (allowed) {
      expect([edited.status, deleted.status]).toEqual([200, 204]);
    } else {
      expect(refused(edited.status) && refused(deleted.status)).toBe(true);
      expect(edited.body.error).toBe(who === 'none' ? 'unauthorized' : 'forbidden');
    }
  });
});

describe('offline messages by role', () => {
  it.each(ALL_AGENTS)('reads and handles offline messages as %s: %s', async (who, allowed) => {
    const left = await fetch(`${server.httpUrl}/api/offline-messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `c-${who}`, contact: 'a@example.com', content: 'call me' }),
    });
    const id = ((await left.json()) as { id: number }).id;
    expect((await api(server, '/api/offline-messages', as[who])).status).toBe(allowed ? 200 : 401);
    const handled = await api(server, `/api/offline-messages/${id}/handled`, { ...as[who], body: { agent: 'Someone' } });
    if (!allowed) return expect(handled.status).toBe(401);
    // An account is itself; only the legacy key may name who followed it up.
    const by = { owner: 'Boss', admin: 'Admin', agent: 'Agent', agentToken: 'Agent', adminToken: 'Admin', service: 'Someone' }[who];
    expect(handled.body).toMatchObject({ handledBy: by });
  });
});

describe('accounts and the audit log by role', () => {
  it.each([
    ['owner', 200],
    ['admin', 200],
    ['agent', 403],
    ['adminToken', 401],
    ['service', 401],
    ['none', 401],
  ] as const)('lists accounts as %s: %i (console sessions only)', async (who, status) => {
    expect((await api(server, '/api/accounts', as[who])).status).toBe(status);
  });

  it.each([
    ['owner', 200],
    ['admin', 200],
    ['agent', 403],
    ['agentToken', 403],
    ['adminToken', 200],
    ['service', 403],
    ['none', 401],
  ] as const)('reads the audit log as %s: %i', async (who, status) => {
    expect((await api(server, '/api/audit', as[who])).status).toBe(status);
  });

  it.each([
    ['owner', 201],
    ['admin', 201],
    ['agent', 403],
    ['agentToken', 401],
    ['service', 401],
    ['none', 401],
  ] as const)('invites an agent as %s: %i', async (who, status) => {
    const res = await api(server, '/api/accounts', { ...as[who], body: { name: `Invited ${who}`, login: `invited-${who.toLowerCase()}` } });
    expect(res.status).toBe(status);
  });

  it.each([
    ['owner', 201],
    ['admin', 403],
  ] as const)('invites an owner as %s: %i', async (who, status) => {
    expect((await api(server, '/api/accounts', { ...as[who], body: { name: `Owner by ${who}`, login: `owner-by-${who}`, role: 'owner' } })).status).toBe(
      status,
    );
  });

  it.each([
    ['owner', 201],
    ['agent', 201],
    ['agentToken', 401],
    ['service', 401],
  ] as const)('makes an API token as %s: %i (console sessions only: a token makes no tokens)', async (who, status) => {
    expect((await api(server, '/api/tokens', { ...as[who], body: { name: 'more' } })).status).toBe(status);
  });
});

describe('frames by role', () => {
  it.each(['owner', 'admin', 'agent'])('lets a signed-in %s open a room, chat, write to the team and hand a customer back', async (role) => {
    const { cookie } = await signedIn(server, { name: `Chat ${role}`, login: `chat-${role}`, role: role as 'agent' });
    const agent = await connectSignedIn(server, cookie);
    try {
      const customer = await connectCustomer(server, `guest of ${role}`, agent);
      expect((await sendAcked(agent, 'hi', 'a1')).seq).toBe(1);
      agent.send('note', { type: 'team', cid: 't1' });
      expect(await agent.nextMatching((f) => f.type === 'team' && f.cid === 't1')).toMatchObject({ shuiFaDe: `Chat ${role}` });
      agent.ws.send(JSON.stringify({ type: 'transfer' }));
      expect(await agent.nextMatching((f) => f.event === 'customer_requeued')).toMatchObject({ customer: `guest of ${role}` });
      customer.ws.terminate();
    } finally {
      agent.ws.terminate();
    }
  });

  it('refuses a disabled agent’s connection with 4401', async () => {
    const gone = await addAccount(server, { name: 'Gone soon', login: 'gone-soon' });
    const cookie = await signIn(server, 'gone-soon');
    const owner = as.owner?.cookie as string;
    await api(server, `/api/accounts/${gone.id}`, { method: 'PATCH', cookie: owner, body: { disabled: true } });
    const refusedSocket = connectWithCookie(server, cookie);
    expect((await refusedSocket.closed).code).toBe(4401);
  });
});
