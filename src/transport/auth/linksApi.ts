import { Router, type Response } from 'express';
import type { Accounts } from '../../domain/accounts/accounts.js';
import type { LinkUse } from '../../domain/accounts/links.js';
import { checkDisplayName, checkEmail, checkLogin, checkPassword, fieldsOf, presentString, type FieldError } from '../../protocol/accountInput.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { wrap } from '../apiRequests.js';
import { jsonBody } from '../jsonBody.js';
import { answerWrite } from './accountAnswers.js';
import { clientOf, setSessionCookie, type SignInDeps } from './authApi.js';
import { publicAccount } from './principal.js';

const BAD_LINK = { error: HttpError.BAD_LINK, message: 'this link is unknown, used already, or expired' };

/**
 * The one-time links' routes (no credential but the link's token, always in the body, never in a
 * URL): what a link opens, the first owner's setup, and an invited account's password. Both end
 * signed in. Failed uses count against the address like failed sign-ins.
 */
export function linksApi(accounts: Accounts, deps: SignInDeps): Router {
  const api = Router();
  const { auth, limits } = deps;

  /** Refuses a locked address; answers a use of a link, signing its account in when it worked. */
  const finish = async (req: Parameters<typeof clientOf>[0], res: Response, used: LinkUse, status: number): Promise<void> => {
    if (!used.ok) {
      if (used.reason === 'bad_link') {
        await limits.failed(undefined, auth.addresses.of(req));
        res.status(410).json(BAD_LINK);
      } else answerWrite(res, used);
      return;
    }
    const started = await accounts.sessions.start(used.account, clientOf(req, deps), 'link');
    setSessionCookie(req, res, deps, started.token);
    res.status(status).json({ account: publicAccount(used.account) });
  };
  const lockedOut = async (req: Parameters<typeof clientOf>[0], res: Response): Promise<boolean> => {
    if ((await limits.lockedFor(undefined, auth.addresses.of(req))) <= 0) return false;
    res.status(410).json(BAD_LINK);
    return true;
  };

  api.post(
    '/links/inspect',
    auth.sameOriginOnly(),
    jsonBody,
    wrap(async (req, res) => {
      const token = presentString(fieldsOf(req.body).token, 200);
      if (await lockedOut(req, res)) return;
      const view = token === undefined ? undefined : await accounts.links.inspect(token);
      if (!view) {
        await limits.failed(undefined, auth.addresses.of(req));
        res.status(410).json(BAD_LINK);
        return;
      }
      res.json(view.purpose === 'setup' ? { purpose: 'setup' } : { purpose: 'invite', account: { name: view.account.name, login: view.account.login } });
    }),
  );

  api.post(
    '/setup',
    auth.sameOriginOnly(),
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const token = presentString(f.token, 200);
      if (await lockedOut(req, res)) return;
      const name = checkDisplayName(f.name);
      const login = checkLogin(f.login);
      const password = checkPassword(f.password);
      const email = checkEmail(f.email ?? null);
      if (!name.ok || !login.ok || !password.ok || !email.ok) {
        // The first field that fails is the one reported, in the form's order.
        const bad = [name, login, password, email].find((checked) => !checked.ok) as FieldError;
        return void res.status(400).json({ error: bad.error, message: bad.message });
      }
      const input = { name: name.value, login: login.value, password: f.password as string, email: email.value };
      const used =
        token === undefined ? ({ ok: false, reason: 'bad_link' } as const) : await accounts.links.completeSetup(token, input, auth.addresses.of(req));
      await finish(req, res, used, 201);
    }),
  );

  api.post(
    '/invites/accept',
    auth.sameOriginOnly(),
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const token = presentString(f.token, 200);
      if (await lockedOut(req, res)) return;
      const password = checkPassword(f.password);
      if (!password.ok) return void res.status(400).json({ error: password.error, message: password.message });
      const used =
        token === undefined ? ({ ok: false, reason: 'bad_link' } as const) : await accounts.links.acceptInvite(token, password.value, auth.addresses.of(req));
      await finish(req, res, used, 200);
    }),
  );

  return api;
}
