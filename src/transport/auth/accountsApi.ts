import { Router } from 'express';
import type { Accounts } from '../../domain/accounts/accounts.js';
import type { AccountUpdate } from '../../domain/accounts/accountAdmin.js';
import { checkDisplayName, checkEmail, checkLogin, checkMaxChats, checkRole, fieldsOf, type Checked } from '../../protocol/accountInput.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { badQuery, intParam, wrap } from '../apiRequests.js';
import { jsonBody } from '../jsonBody.js';
import { answerWrite } from './accountAnswers.js';
import { publish, type SignInDeps } from './authApi.js';
import { actorOf, publicAccount } from './principal.js';
import { accountOf } from './requestAuth.js';

const MAX_PAGE = 200;

/** The path of an invite link: the page turns it into a full URL with its own origin. */
const invitePath = (token: string): string => `/setup.html#token=${token}`;

/**
 * Account management for owners and admins under /api/accounts (console sessions only), and the
 * audit log under /api/audit (also with an owner's or admin's API token, for export scripts).
 */
export function accountsApi(accounts: Accounts, deps: SignInDeps): Router {
  const api = Router();
  const { auth } = deps;
  api.use('/accounts', auth.require({ sessionOnly: true, permission: 'accounts.manage' }));
  const admin = (req: Parameters<typeof auth.addresses.of>[0], res: Parameters<typeof accountOf>[0]) => {
    const p = accountOf(res);
    return { ...actorOf(p, auth.addresses.of(req)), account: p.account };
  };

  api.get(
    '/accounts',
    wrap(async (req, res) => {
      const listed = await accounts.admin.list(admin(req, res));
      if (!listed.ok) return answerWrite(res, listed);
      res.json({ accounts: listed.accounts.map(publicAccount) });
    }),
  );

  api.post(
    '/accounts',
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const name = checkDisplayName(f.name);
      const login = checkLogin(f.login);
      const role = checkRole(f.role ?? 'agent');
      const email = checkEmail(f.email ?? null);
      const maxChats = checkMaxChats(f.maxChats ?? 1);
      for (const c of [name, login, role, email, maxChats] as Checked<unknown>[])
        if (!c.ok) return void res.status(400).json({ error: c.error, message: c.message });
      if (!name.ok || !login.ok || !role.ok || !email.ok || !maxChats.ok) return;
      const invited = await accounts.admin.invite(admin(req, res), {
        name: name.value,
        login: login.value,
        role: role.value,
        email: email.value,
        maxChats: maxChats.value,
      });
      if (!invited.ok) return answerWrite(res, invited);
      res.status(201).json({ account: publicAccount(invited.account), invitePath: invitePath(invited.token) });
    }),
  );

  api.patch(
    '/accounts/:id',
    jsonBody,
    wrap(async (req, res) => {
      const id = idOf(req.params.id);
      const f = fieldsOf(req.body);
      const update: AccountUpdate = {};
      const fields: Array<[keyof AccountUpdate, (raw: unknown) => Checked<unknown>]> = [
        ['name', checkDisplayName],
        ['login', checkLogin],
        ['email', checkEmail],
        ['role', checkRole],
        ['maxChats', checkMaxChats],
        [
          'disabled',
          (raw) => (typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, error: HttpError.BAD_JSON, message: 'disabled is true or false' }),
        ],
      ];
      for (const [field, check] of fields) {
        if (!(field in f)) continue;
        const c = check(f[field]);
        if (!c.ok) return void res.status(400).json({ error: c.error, message: c.message });
        (update as Record<string, unknown>)[field] = c.value;
      }
      if (id === 0) return answerWrite(res, { ok: false, reason: 'not_found' });
      const changed = await accounts.admin.update(admin(req, res), id, update);
      if (!changed.ok) return answerWrite(res, changed);
      res.json({ account: publicAccount(changed.account) });
      if (changed.revocation) await publish(deps, changed.revocation);
    }),
  );

  api.post(
    '/accounts/:id/reset-password',
    wrap(async (req, res) => {
      const id = idOf(req.params.id);
      const reset = id === 0 ? ({ ok: false, reason: 'not_found' } as const) : await accounts.admin.resetPassword(admin(req, res), id);
      if (!reset.ok) return answerWrite(res, reset);
      res.json({ account: publicAccount(reset.account), invitePath: invitePath(reset.token) });
      await publish(deps, reset.revocation);
    }),
  );

  api.get(
    '/audit',
    auth.require({ permission: 'audit.read' }),
    wrap(async (req, res) => {
      const limit = intParam(req, 'limit', 50, MAX_PAGE);
      const before = req.query.before;
      if (limit === null || limit === 0) return badQuery(res, `1 <= limit <= ${MAX_PAGE}`);
      if (before !== undefined && (typeof before !== 'string' || !/^\d{1,15}$/.test(before))) return badQuery(res, 'before is a cursor from nextBefore');
      res.json(await accounts.stores.audit.listAudit(limit, before));
    }),
  );

  return api;
}

function idOf(raw: unknown): number {
  return typeof raw === 'string' && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : 0;
}
