import { Router, type Response } from 'express';
import { HttpError } from '../protocol/errorCodes.js';
import { parseCannedReply } from '../protocol/cannedReply.js';
import type { CannedReplyStore, CannedReplyWrite } from '../store/cannedReplyStore.js';
import type { RequestAuth } from './auth/requestAuth.js';
import { jsonBody } from './jsonBody.js';
import { wrap } from './apiRequests.js';

/** Parses `:id`; null for anything but a plain positive integer. */
function idOf(raw: unknown): number | null {
  return typeof raw === 'string' && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

function notFound(res: Response): void {
  res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such canned reply' });
}

function answerWrite(res: Response, result: CannedReplyWrite, created: boolean): void {
  if (result.ok) {
    res.status(created ? 201 : 200).json(result.reply);
  } else if (result.reason === 'shortcut_taken') {
    res.status(409).json({ error: HttpError.SHORTCUT_TAKEN, message: 'another canned reply has this shortcut' });
  } else {
    notFound(res);
  }
}

/**
 * The agents' shared canned replies under /api/canned-replies: every agent lists and creates them;
 * owners and admins (and the legacy key) also edit and delete them. Bodies are validated like
 * chat messages, since that is what they become.
 */
export function cannedRepliesApi(store: CannedReplyStore, auth: RequestAuth, maxBodyChars: number, now: () => number = Date.now): Router {
  const api = Router();
  // Before the body is read: nobody without a credential gets us to parse anything.
  api.use(auth.require());
  const change = auth.require({ permission: 'cannedReplies.change' });

  api.get(
    '/',
    wrap(async (_req, res) => {
      res.json({ cannedReplies: await store.listCannedReplies() });
    }),
  );

  api.post(
    '/',
    jsonBody,
    wrap(async (req, res) => {
      const input = parseCannedReply(req.body, maxBodyChars, false);
      if (!input.ok) {
        res.status(400).json({ error: input.error, message: input.message });
        return;
      }
      answerWrite(res, await store.createCannedReply(input.value, now()), true);
    }),
  );

  // PUT and PATCH both take any subset of the fields: a console sends all three, a script one.
  const update = wrap(async (req, res) => {
    const id = idOf(req.params.id);
    if (id === null) return notFound(res);
    const patch = parseCannedReply(req.body, maxBodyChars, true);
    if (!patch.ok) {
      res.status(400).json({ error: patch.error, message: patch.message });
      return;
    }
    answerWrite(res, await store.updateCannedReply(id, patch.value, now()), false);
  });
  api.put('/:id', change, jsonBody, update);
  api.patch('/:id', change, jsonBody, update);

  api.delete(
    '/:id',
    change,
    wrap(async (req, res) => {
      const id = idOf(req.params.id);
      if (id === null || !(await store.deleteCannedReply(id))) return notFound(res);
      res.status(204).end();
    }),
  );

  return api;
}
