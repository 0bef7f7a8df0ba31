import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Accounts } from '../../domain/accounts/accounts.js';
import { SingleSignOn, type SingleSignOnResult } from '../../domain/accounts/singleSignOn.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { wrap } from '../apiRequests.js';
import { clientOf, setSessionCookie, type SignInDeps } from './authApi.js';
import type { OidcClient } from './oidcClient.js';
import type { FlowCookies } from './oidcFlow.js';

/** Single sign-on as configured (OIDC_*), with PUBLIC_URL when set. */
export interface SingleSignOnOptions {
  client: OidcClient;
  flows: FlowCookies;
  /** What the sign-in button names the provider. */
  name: string;
  /** PUBLIC_URL; empty: the redirect URI is made from the request's own origin. */
  publicUrl: string;
}

/** Where the provider sends the browser back to, under the origin kefu is reached at. */
export const CALLBACK_PATH = '/api/auth/oidc/callback';
/** Where a signed-in browser lands: the console. */
const CONSOLE_PAGE = '/kefu.html';
/** Where a sign-on that did not sign anyone in lands, with `?sso=` saying only failed, locked or unavailable. */
const SIGN_IN_PAGE = '/kefu.html';

/**
 * Single sign-on under /api/auth/oidc: whether it is offered (the sign-in page asks, to show its
 * button), the start (to the provider, with PKCE, state and nonce in a signed flow cookie), and
 * the callback (the provider's answer checked, the identity mapped to an account by e-mail, a
 * session started as a password sign-in starts one). Every refusal at the callback is one answer
 * to the browser, counted against its address by the same limits as a wrong password.
 */
export function oidcApi(accounts: Accounts, deps: SignInDeps, sso: SingleSignOnOptions | undefined, log: Logger): Router {
  const api = Router();
  const { auth, limits, audit } = deps;
  const mapping = new SingleSignOn(accounts);
  const back = (res: Response, outcome: 'failed' | 'locked' | 'unavailable'): void => res.redirect(303, `${SIGN_IN_PAGE}?sso=${outcome}`);
  const locked = async (req: Request): Promise<boolean> => (await limits.lockedFor(undefined, auth.addresses.of(req))) > 0;
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  api.get(
    '/',
    wrap(async (_req, res) => {
      if (sso === undefined || !(await sso.client.ready())) {
        res.status(404).json({ error: HttpError.NOT_FOUND, message: 'single sign-on is not available' });
        return;
      }
      res.json({ name: sso.name, start: '/api/auth/oidc/start' });
    }),
  );

  api.get(
    '/start',
    wrap(async (req, res) => {
      if (sso === undefined) return back(res, 'unavailable');
      if (await locked(req)) return back(res, 'locked');
      if (!(await sso.client.ready())) return back(res, 'unavailable');
      const origin = sso.publicUrl !== '' ? sso.publicUrl : auth.origin.browserOrigin(req);
      if (origin === undefined) {
        res.status(400).json({ error: HttpError.BAD_QUERY, message: 'the Host header is not a host name' });
        return;
      }
      const { url, flow } = await sso.client.begin(`${origin}${CALLBACK_PATH}`);
      res.setHeader('Set-Cookie', sso.flows.issue(flow, auth.origin.isHttps(req)));
      res.redirect(303, url.href);
    }),
  );

  api.get(
    '/callback',
    wrap(async (req, res) => {
      if (sso === undefined) return back(res, 'unavailable');
      // The flow is used once, whatever comes of it.
      const cleared = sso.flows.cleared(auth.origin.isHttps(req));
      res.setHeader('Set-Cookie', cleared);
      if (await locked(req)) return back(res, 'locked');
      const client = clientOf(req, deps);
      const result = await callback(req, sso, mapping, client, log);
      if (result.kind === 'refused') {
        if (await limits.failed(undefined, client.address))
          await audit.record('sign_in_locked', { account: null, address: client.address }, null, { method: 'oidc' });
        return back(res, 'failed');
      }
      setSessionCookie(req, res, deps, result.token);
      res.append('Set-Cookie', cleared);
      res.redirect(303, CONSOLE_PAGE);
    }),
  );

  return api;
}

/** The provider's answer checked against the browser's flow, then mapped to an account. */
async function callback(
  req: Request,
  sso: SingleSignOnOptions,
  mapping: SingleSignOn,
  client: ReturnType<typeof clientOf>,
  log: Logger,
): Promise<SingleSignOnResult> {
  const flow = sso.flows.read(req);
  const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
  const params = new URLSearchParams(query);
  if (flow === undefined) return mapping.refuse('no_flow', client);
  // An answer to another browser's sign-on (or to none): someone may be trying to sign this browser in as themselves.
  if (params.get('state') !== flow.state) return mapping.refuse('state_mismatch', client);
  const error = params.get('error');
  if (error !== null) return mapping.refuse('provider_refused', client, { error: error.slice(0, 100) });
  if (!(await sso.client.ready())) return mapping.refuse('provider_error', client);
  let identity;
  try {
    identity = await sso.client.finish(query, flow);
  } catch (err) {
    log.warn({ err }, 'single sign-on: the provider’s answer did not check out');
    return mapping.refuse('provider_error', client);
  }
  return mapping.signIn(identity, client);
}
