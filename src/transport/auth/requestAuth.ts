import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Accounts } from '../../domain/accounts/accounts.js';
import { may, type Permission } from '../../domain/accounts/roles.js';
import { HttpError } from '../../protocol/errorCodes.js';
import type { AgentKey } from '../agentKey.js';
import { bearer, unauthorized } from '../apiRequests.js';
import type { ClientAddresses } from '../clientAddress.js';
import { sessionTokenOf } from './cookies.js';
import { roleOf, type Principal } from './principal.js';
import type { RequestOrigin } from './requestOrigin.js';

/** Methods that change something: with a session cookie, they must come from our own pages. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What an API route may ask for: any agent, one whose role has a permission, or a browser session. */
export interface Requirement {
  permission?: Permission;
  /** Only a console session (not an API token, not the legacy key): account, profile and token management. */
  sessionOnly?: boolean;
}

/**
 * Who an agent-side HTTP request acts as, and the middleware that requires one. A bearer token is
 * the legacy key (KEFU_KEY, when set) or a personal API token; without one, the console's session
 * cookie. A request carrying a bearer token is judged by it alone, never by a cookie beside it.
 */
export class RequestAuth {
  constructor(
    private readonly accounts: Accounts,
    private readonly serviceKey: AgentKey | undefined,
    readonly origin: RequestOrigin,
    readonly addresses: ClientAddresses,
  ) {}

  /** The principal of a request, or undefined when it carries no valid credential of an agent. */
  async principal(req: IncomingMessage & { headers: Request['headers'] }): Promise<Principal | undefined> {
    const token = bearer(req as Request);
    if (token !== undefined) {
      if (this.serviceKey?.matches(token)) return { kind: 'service' };
      const found = await this.accounts.apiTokens.resolve(token);
      return found && { kind: 'account', account: found.account, via: 'token', tokenId: found.record.id };
    }
    const cookie = sessionTokenOf(req);
    const signedIn = cookie === undefined ? undefined : await this.accounts.sessions.resolve(cookie);
    return signedIn && { kind: 'account', account: signedIn.account, via: 'session', session: signedIn.session };
  }

  /**
   * Middleware: 401 without an agent's credential, 403 `cross_site` for a state-changing request
   * made with the session cookie from anywhere but our own pages, 403 `forbidden` when the role
   * lacks the permission. The principal is left in res.locals.principal.
   */
  require(requirement: Requirement = {}) {
    return (req: Request, res: Response, next: NextFunction): void => {
      res.setHeader('Cache-Control', 'no-store');
      this.principal(req).then((p) => {
        if (!p) return unauthorized(res);
        if (requirement.sessionOnly && !(p.kind === 'account' && p.via === 'session')) return unauthorized(res);
        if (p.kind === 'account' && p.via === 'session' && !SAFE_METHODS.has(req.method) && !this.origin.isSameOrigin(req)) return crossSite(res);
        if (requirement.permission !== undefined && !may(roleOf(p), requirement.permission)) return forbidden(res);
        res.locals.principal = p;
        next();
      }, next);
    };
  }

  /** Middleware for routes that take no credential but set one (sign-in, setup): our own pages only. */
  sameOriginOnly() {
    return (req: Request, res: Response, next: NextFunction): void => {
      res.setHeader('Cache-Control', 'no-store');
      if (this.origin.isSameOrigin(req)) next();
      else crossSite(res);
    };
  }
}

/** The principal `require` left on the response. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}

/** The signed-in account `require({ sessionOnly })` or an account principal left on the response. */
export function accountOf(res: Response) {
  const p = principalOf(res);
  if (p.kind !== 'account') throw new Error('no account on this request');
  return p;
}

export function forbidden(res: Response, message = 'your role may not do this'): void {
  res.status(403).json({ error: HttpError.FORBIDDEN, message });
}

function crossSite(res: Response): void {
  res.status(403).json({ error: HttpError.CROSS_SITE, message: 'this request must come from the kefu pages themselves' });
}
