import { Router } from 'express';
import QRCode from 'qrcode';
import type { Accounts } from '../../domain/accounts/accounts.js';
import { checkAvatar, checkCode, checkPassword, checkTokenName, fieldsOf, presentString } from '../../protocol/accountInput.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { wrap } from '../apiRequests.js';
import { jsonBody } from '../jsonBody.js';
import { publish, type SignInDeps } from './authApi.js';
import { actorOf, publicAccount } from './principal.js';
import { accountOf } from './requestAuth.js';

/**
 * One's own account under /api/profile (avatar, password, TOTP) and one's API tokens under
 * /api/tokens: console sessions only, so a leaked API token can neither change a password nor
 * make more tokens.
 */
export function profileApi(accounts: Accounts, deps: SignInDeps): Router {
  const api = Router();
  const { auth } = deps;
  api.use(['/profile', '/tokens'], auth.require({ sessionOnly: true }));
  const self = (req: Parameters<typeof auth.addresses.of>[0], res: Parameters<typeof accountOf>[0]) => {
    const p = accountOf(res);
    return { ...actorOf(p, auth.addresses.of(req)), account: p.account, ...(p.via === 'session' ? { sessionId: p.session.id } : {}) };
  };

  api.get('/profile', (_req, res) => {
    res.json({ account: publicAccount(accountOf(res).account), totpPending: accountOf(res).account.totpPending !== null });
  });

  api.patch(
    '/profile',
    jsonBody,
    wrap(async (req, res) => {
      const avatar = checkAvatar(fieldsOf(req.body).avatar);
      if (!avatar.ok) return void res.status(400).json({ error: avatar.error, message: avatar.message });
      const account = await accounts.profiles.setAvatar(self(req, res), avatar.value);
      res.json({ account: account && publicAccount(account) });
    }),
  );

  api.post(
    '/profile/password',
    jsonBody,
    wrap(async (req, res) => {
      const f = fieldsOf(req.body);
      const next = checkPassword(f.password);
      if (!next.ok) return void res.status(400).json({ error: next.error, message: next.message });
      const changed = await accounts.profiles.changePassword(self(req, res), presentString(f.current) ?? '', next.value);
      if (!changed.ok) return void res.status(403).json({ error: HttpError.WRONG_PASSWORD, message: 'the current password is wrong' });
      res.status(204).end();
      await publish(deps, changed.revocation);
    }),
  );

  api.post(
    '/profile/totp',
    wrap(async (req, res) => {
      const offer = await accounts.profiles.offerTotp(self(req, res));
      if (!offer) return void res.status(409).json({ error: HttpError.TOTP_STATE, message: 'TOTP is on already: turn it off first' });
      // The QR code is made here, so the secret never goes to a third-party service.
      res.json({ secret: offer.secret, uri: offer.uri, qr: await QRCode.toDataURL(offer.uri, { margin: 1, width: 220 }) });
    }),
  );

  api.post(
    '/profile/totp/confirm',
    jsonBody,
    wrap(async (req, res) => {
      const code = checkCode(fieldsOf(req.body).code);
      if (!code.ok) return void res.status(400).json({ error: code.error, message: code.message });
      const outcome = await accounts.profiles.confirmTotp(self(req, res), code.value);
      if (outcome === 'no_offer') return void res.status(409).json({ error: HttpError.TOTP_STATE, message: 'no enrolment is waiting for a code' });
      if (outcome === 'bad_code') return void res.status(400).json({ error: HttpError.BAD_CODE, message: 'that code is not the current one' });
      res.status(204).end();
    }),
  );

  api.post(
    '/profile/totp/disable',
    jsonBody,
    wrap(async (req, res) => {
      const outcome = await accounts.profiles.disableTotp(self(req, res), presentString(fieldsOf(req.body).password) ?? '');
      if (outcome === 'not_enabled') return void res.status(409).json({ error: HttpError.TOTP_STATE, message: 'TOTP is not on' });
      if (outcome === 'wrong_password') return void res.status(403).json({ error: HttpError.WRONG_PASSWORD, message: 'the password is wrong' });
      res.status(204).end();
    }),
  );

  const tokenView = (t: { id: number; name: string; createdAt: number; lastUsedAt: number | null }) => ({
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
  });

  api.get(
    '/tokens',
    wrap(async (req, res) => {
      res.json({ tokens: (await accounts.apiTokens.list(self(req, res))).map(tokenView) });
    }),
  );

  api.post(
    '/tokens',
    jsonBody,
    wrap(async (req, res) => {
      const name = checkTokenName(fieldsOf(req.body).name);
      if (!name.ok) return void res.status(400).json({ error: name.error, message: name.message });
      const made = await accounts.apiTokens.create(self(req, res), name.value);
      // The only time the token is shown: only its hash is kept.
      res.status(201).json({ ...tokenView(made.record), token: made.token });
    }),
  );

  api.delete(
    '/tokens/:id',
    wrap(async (req, res) => {
      const id = /^[1-9]\d{0,14}$/.test(req.params.id as string) ? Number(req.params.id) : 0;
      if (id === 0 || !(await accounts.apiTokens.revoke(self(req, res), id))) {
        return void res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such token of yours' });
      }
      res.status(204).end();
    }),
  );

  return api;
}
