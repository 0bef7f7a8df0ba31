import { agentNameKey } from '../../src/cluster/roomRegistry.js';
import { hashPassword } from '../../src/domain/accounts/passwords.js';
import type { AccountRole } from '../../src/protocol/accountInput.js';
import type { Account } from '../../src/store/accountStore.js';
import { connect, type TestClient } from './client.js';
import type { TestServer } from './server.js';

/**
 * scrypt at a cost a test can afford: a hash carries its own parameters, so the server checks it
 * as it would a real one, only faster. Accounts made through the API get the real cost.
 */
const TEST_COST = { N: 1024, r: 8, p: 1 };

export const TEST_PASSWORD = 'correct horse battery';

let cheap: Promise<string> | undefined;

/** What a test account is made of; the login defaults to the name lower-cased. */
export interface TestAccountSpec {
  name: string;
  login?: string;
  role?: AccountRole;
  password?: string;
  avatar?: string;
  email?: string;
  /** How many chats the agent takes at once (1 unless given). */
  maxChats?: number;
}

/** Creates an account straight in the server's store (no invite round trip). */
export async function addAccount(server: Pick<TestServer, 'accounts'>, spec: TestAccountSpec): Promise<Account> {
  const password = spec.password ?? TEST_PASSWORD;
  if (password === TEST_PASSWORD) cheap ??= hashPassword(TEST_PASSWORD, TEST_COST);
  const passwordHash = password === TEST_PASSWORD ? await (cheap as Promise<string>) : await hashPassword(password, TEST_COST);
  const made = await server.accounts.stores.accounts.createAccount(
    {
      name: spec.name,
      login: spec.login ?? spec.name.toLowerCase(),
      role: spec.role ?? 'agent',
      passwordHash,
      avatar: spec.avatar ?? null,
      email: spec.email ?? null,
      ...(spec.maxChats === undefined ? {} : { maxChats: spec.maxChats }),
    },
    agentNameKey(spec.name),
    Date.now(),
  );
  if (!made.ok) throw new Error(`cannot add account ${spec.name}: ${made.reason}`);
  return made.account;
}

/** Headers a page of the server itself would send with a request (the CSRF check wants them). */
export function sameOrigin(server: Pick<TestServer, 'httpUrl'>): Record<string, string> {
  return { Origin: server.httpUrl };
}

/** A JSON request to the server, as one of its pages (Origin) with a cookie, or as a script with a bearer token. */
export async function api(
  server: Pick<TestServer, 'httpUrl'>,
  path: string,
  init: { method?: string; cookie?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { ...sameOrigin(server), ...init.headers };
  if (init.cookie !== undefined) headers.Cookie = init.cookie;
  if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.httpUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
}

/** The `name=value` of a response's session cookie (for the Cookie header of later requests). */
export function cookieOf(headers: Headers): string {
  const set = headers.get('set-cookie');
  const pair = set?.split(';')[0];
  if (!pair?.startsWith('kefu_session=')) throw new Error(`no session cookie in ${set}`);
  return pair;
}

/** Signs in through the API and returns the session cookie. */
export async function signIn(server: Pick<TestServer, 'httpUrl'>, login: string, password = TEST_PASSWORD): Promise<string> {
  const res = await api(server, '/api/auth/sign-in', { body: { login, password } });
  if (res.status !== 200) throw new Error(`sign-in of ${login} answered ${res.status} ${JSON.stringify(res.body)}`);
  return cookieOf(res.headers);
}

/** An account and its signed-in cookie. */
export async function signedIn(server: Pick<TestServer, 'httpUrl' | 'accounts'>, spec: TestAccountSpec): Promise<{ account: Account; cookie: string }> {
  const account = await addAccount(server, spec);
  return { account, cookie: await signIn(server, account.login, spec.password) };
}

/** Opens an agent's socket to /ws on the HTTP port with a session cookie, as the console does (from its own origin). */
export function connectWithCookie(server: Pick<TestServer, 'httpUrl'>, cookie: string, query = '&v=2', origin = server.httpUrl): TestClient {
  const url = `${server.httpUrl.replace('http:', 'ws:')}/ws?type=kefu${query}`;
  return connect(url, { Cookie: cookie, Origin: origin });
}

/** Connects a signed-in agent and waits for their room to open. */
export async function connectSignedIn(server: Pick<TestServer, 'httpUrl'>, cookie: string, query = '&v=2'): Promise<TestClient> {
  const agent = connectWithCookie(server, cookie, query);
  await agent.opened;
  await agent.nextMatching((f) => f.event === 'room_opened');
  return agent;
}
