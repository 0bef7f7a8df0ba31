import { Router, type Request, type Response } from 'express';
import type { Accounts } from '../../domain/accounts/accounts.js';
import type { AuditTrail } from '../../domain/accounts/auditTrail.js';
import type { ClientInfo, SignInResult } from '../../domain/accounts/sessions.js';
import { checkCode, fieldsOf, presentString } from '../../protocol/accountInput.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { wrap } from '../apiRequests.js';
import { jsonBody } from '../jsonBody.js';
import { refuseResponse, tooManyRequests } from '../refusal.js';
import { clearedSessionCookie, sessionCookie } from './cookies.js';
import { actorOf, publicAccount } from './principal.js';
import { accountOf, type RequestAuth } from './requestAuth.js';
import type { Revocations } from './revocations.js';
import type { SignInLimits } from './signInLimits.js';

/** The one answer to every failed sign-in: it never says whether the login exists. */
const BAD_CREDENTIALS = { error: HttpError.BAD_CREDENTIALS, message: 'wrong login, password or code' };

/** What the sign-in routes need besides the accounts. */
export interface SignInDeps {
  auth: RequestAuth;
  audit: AuditTrail;
  limits: SignInLimits;
  revocations: Revocations;
  /** How long the browser keeps the cookie: a session's maximum age. */
  sessionMaxMs: number;
}

/** Where a request comes from, as a session records it. */
export function clientOf(req: Request, deps: Pick<SignInDeps, 'auth'>): ClientInfo {
  return { address: deps.auth.addresses.of(req), userAgent: req.headers['user-agent'] ?? '' };
}

/** Answers a sign-in step: the session cookie and the account, a challenge for the code, or the one refusal. */
export async function answerSignIn(req: Request, res: Response, deps: SignInDeps, login: string | undefined, result: SignInResult): Promise<void> {
  const address = deps.auth.addresses.of(req);
  if (result.kind === 'refused') {
    if (await deps.limits.failed(login, address)) {
      await deps.audit.record('sign_in_locked', { account: null, address }, null, { login });
    }
    res.status(401).json(BAD_CREDENTIALS);
    return;
  }
  if (result.kind === 'totp_required') {
    res.json({ totpRequired: true, challenge: result.challenge });
    return;
  }
  if (login !== undefined) await deps.limits.succeeded(login);
  setSessionCookie(req, res, deps, result.token);
  res.json({ account: publicAccount(result.account) });
}

/** Sets the cookie of a session just started (a sign-in, a completed setup or invite). */
export function setSessionCookie(req: Request, res: Response, deps: Pick<SignInDeps, 'auth' | 'sessionMaxMs'>, token: string): void {
  res.setHeader('Set-Cookie', sessionCookie(token, deps.sessionMaxMs, deps.auth.origin.isHttps(req)));
}

/**
 * Signing in and out under /api/auth: the password step, the TOTP step, the current session, the
 * list of one's sessions, ending one or all. Sign-ins are same-origin only (no other site can sign
 * a browser in as someone else) and limited per login and per address (SignInLimits).
 */
export function authApi(accounts: Accounts, deps: SignInDeps): Router {
  const api = Router();
  const { auth, limits } = deps;
  const locked = async (req: Request, res: Response, login: string | undefined): Promise<boolean> => {
    const wait = await limits.lockedFor(login, auth.addresses.of(req));
    if (wait <= 0) return false;
    refuseResponse(res, { ...tooManyRequests(wait, 'too many failed sign-ins: try again later'), error: HttpError.LOCKED_OUT });
    return true;
  };

  api.post(
    '/sign-in',
    auth.sameOriginOnly(),
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const login = typeof f.login === 'string' ? f.login.trim().toLowerCase().slice(0, 200) : '';
      if (await locked(req, res, login)) return;
      const password = presentString(f.password) ?? '';
      await answerSignIn(req, res, deps, login, await accounts.sessions.withPassword(login, password, clientOf(req, deps)));
    }),
  );

  api.post(
    '/sign-in/code',
    auth.sameOriginOnly(),
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const challenge = presentString(f.challenge, 200);
      const login = challenge === undefined ? undefined : await accounts.sessions.challengeLogin(challenge);
      if (await locked(req, res, login)) return;
      const code = checkCode(f.code);
      const result: SignInResult =
        challenge === undefined || login === undefined || !code.ok
          ? { kind: 'refused' }
          : await accounts.sessions.withCode(challenge, code.value, clientOf(req, deps));
      await answerSignIn(req, res, deps, login, result);
    }),
  );

  const signedIn = auth.require({ sessionOnly: true });

  // The pages ask this first: who is signed in (401: show the sign-in form).
  api.get('/session', signedIn, (_req, res) => {
    const p = accountOf(res);
    res.json({ account: publicAccount(p.account), session: p.via === 'session' ? p.session.id : null });
  });

  api.post(
    '/sign-out',
    signedIn,
    wrap(async (req, res) => {
      const p = accountOf(res);
      if (p.via !== 'session') return;
      const revocation = await accounts.sessions.end({ ...actorOf(p, auth.addresses.of(req)), account: p.account }, p.session.id, true);
      res.setHeader('Set-Cookie', clearedSessionCookie(auth.origin.isHttps(req)));
      res.status(204).end();
      if (revocation) await publish(deps, revocation);
    }),
  );

  api.get(
    '/sessions',
    signedIn,
    wrap(async (_req, res) => {
      const p = accountOf(res);
      const current = p.via === 'session' ? p.session.id : null;
      const sessions = await accounts.sessions.list(p.account);
      res.json({
        sessions: sessions.map((s) => ({
          id: s.id,
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
          expiresAt: s.expiresAt,
          address: s.address,
          userAgent: s.userAgent,
          current: s.id === current,
        })),
      });
    }),
  );

  api.delete(
    '/sessions/:id',
    signedIn,
    wrap(async (req, res) => {
      const p = accountOf(res);
      const id = /^[1-9]\d{0,14}$/.test(req.params.id as string) ? Number(req.params.id) : 0;
      const current = p.via === 'session' && p.session.id === id;
      const revocation = id === 0 ? undefined : await accounts.sessions.end({ ...actorOf(p, auth.addresses.of(req)), account: p.account }, id, current);
      if (!revocation) {
        res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such session of yours' });
        return;
      }
      if (current) res.setHeader('Set-Cookie', clearedSessionCookie(auth.origin.isHttps(req)));
      res.status(204).end();
      await publish(deps, revocation);
    }),
  );

  api.post(
    '/sign-out-everywhere',
    signedIn,
    wrap(async (req, res) => {
      const p = accountOf(res);
      const revocation = await accounts.sessions.endAll({ ...actorOf(p, auth.addresses.of(req)), account: p.account });
      res.setHeader('Set-Cookie', clearedSessionCookie(auth.origin.isHttps(req)));
      res.status(204).end();
      await publish(deps, revocation);
    }),
  );

  return api;
}

/** Tells every node to close the sockets of sessions that ended; a failure is caught up by their sweeps. */
export async function publish(deps: Pick<SignInDeps, 'revocations'>, revocation: Parameters<Revocations['publish']>[0]): Promise<void> {
  await deps.revocations.publish(revocation).catch(() => {});
}
