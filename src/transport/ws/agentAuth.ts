import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Sessions } from '../../domain/accounts/sessions.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';
import type { SessionRecord } from '../../store/credentialStore.js';
import type { AgentKey } from '../agentKey.js';
import { sessionTokenOf } from '../auth/cookies.js';
import type { ConnectionQuery, ConnectionRequest } from './connectionQuery.js';

/**
 * An agent's connection once authenticated: the request with its name, the session it rides on
 * (none with the legacy key), and how many customers their room takes at once: a signed-in
 * protocol-2 console its account's maxChats, anyone else one (the seed's room).
 */
export interface AuthenticatedAgent {
  request: ConnectionRequest;
  session?: { accountId: number; record: SessionRecord };
  capacity: number;
}

/** Why an agent's connection is refused: its close code and reason. */
export interface AgentRefusal {
  code: number;
  reason: string;
}

/** What an agent's upgrade carries before it is checked: the legacy key, a session cookie, or nothing. */
export type AgentCredential = { kind: 'key'; request: ConnectionQuery & { role: 'kefu' } } | { kind: 'session'; token: string } | AgentRefusal;

/**
 * Authenticates agents' WebSocket connections: with the console's session cookie (the name and
 * avatar are the account's), or, when KEFU_KEY is set, with the legacy `name=` and `key=` of the
 * seed's clients. The Origin check has already run (a cross-site page never gets this far, cookie or not).
 */
export class AgentAuth {
  constructor(
    private readonly sessions: Sessions,
    private readonly serviceKey: AgentKey | undefined,
    private readonly log: Logger,
  ) {}

  /**
   * What the upgrade presents, read at once from the request (which is then let go): the legacy
   * key, checked here; a session token, checked by `authenticate`; or a refusal.
   */
  credentialOf(req: IncomingMessage, query: ConnectionQuery & { role: 'kefu' }): AgentCredential {
    if (query.key !== undefined) {
      return this.serviceKey?.matches(query.key) ? { kind: 'key', request: query } : { code: CloseCode.UNAUTHORIZED, reason: closeReasons.badKey };
    }
    const token = sessionTokenOf(req);
    return token === undefined ? { code: CloseCode.UNAUTHORIZED, reason: closeReasons.signInFirst } : { kind: 'session', token };
  }

  /** The agent a credential stands for, or why it is refused (1013 while the store is down). */
  async authenticate(credential: AgentCredential, query: ConnectionQuery & { role: 'kefu' }): Promise<AuthenticatedAgent | AgentRefusal> {
    try {
      return await this.resolve(credential, query);
    } catch (err) {
      this.log.warn({ err }, 'agent authentication failed: store unavailable');
      return { code: CloseCode.TRY_AGAIN_LATER, reason: closeReasons.unavailable };
    }
  }

  private async resolve(credential: AgentCredential, query: ConnectionQuery & { role: 'kefu' }): Promise<AuthenticatedAgent | AgentRefusal> {
    if ('code' in credential) return credential;
    const common = { version: query.version, ...(query.since === undefined ? {} : { since: query.since }) };
    if (credential.kind === 'key') {
      const avatar = query.avatar === undefined ? {} : { avatar: query.avatar };
      return { request: { role: 'kefu', name: credential.request.name as string, ...common, ...avatar }, capacity: 1 };
    }
    const signedIn = await this.sessions.resolve(credential.token);
    if (!signedIn) return { code: CloseCode.UNAUTHORIZED, reason: closeReasons.signInFirst };
    const { account, session } = signedIn;
    // The account's avatar, else the one the console asked for.
    const avatar = account.avatar ?? query.avatar;
    return {
      request: { role: 'kefu', name: account.name, ...common, ...(avatar === undefined ? {} : { avatar }) },
      session: { accountId: account.id, record: session },
      capacity: query.version >= 2 ? account.maxChats : 1,
    };
  }
}
