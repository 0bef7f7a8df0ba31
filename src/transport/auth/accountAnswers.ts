import type { Response } from 'express';
import type { AdminRefusal } from '../../domain/accounts/accountAdmin.js';
import { HttpError } from '../../protocol/errorCodes.js';
import { forbidden } from './requestAuth.js';

const CONFLICTS: Record<Exclude<AdminRefusal, 'forbidden' | 'not_found'>, { error: string; message: string }> = {
  name_taken: { error: HttpError.NAME_TAKEN, message: 'another account has this name, or one that looks the same' },
  login_taken: { error: HttpError.LOGIN_TAKEN, message: 'another account has this login' },
  email_taken: { error: HttpError.EMAIL_TAKEN, message: 'another account has this e-mail address' },
  last_owner: { error: HttpError.LAST_OWNER, message: 'the last enabled owner can be neither demoted nor disabled' },
};

/** Answers a refused account write: 403, 404 or 409 with its error code. */
export function answerWrite(res: Response, result: { ok: false; reason: AdminRefusal | 'bad_link' }): void {
  const { reason } = result;
  if (reason === 'forbidden') {
    forbidden(res);
    return;
  }
  if (reason === 'not_found') return void res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such account' });
  if (reason === 'bad_link') return void res.status(410).json({ error: HttpError.BAD_LINK, message: 'this link is unknown, used already, or expired' });
  res.status(409).json(CONFLICTS[reason]);
}
