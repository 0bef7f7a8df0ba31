import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Broker } from '../domain/broker.js';
import type { Delivery } from '../domain/roomEvent.js';
import { HttpError } from '../protocol/errorCodes.js';
import { checkName } from '../protocol/names.js';
import { parseOfflineMessage } from '../protocol/offlineMessage.js';
import type { OfflineMessageStore } from '../store/offlineMessageStore.js';
import { principalOf, type RequestAuth } from './auth/requestAuth.js';
import { requireJson } from './jsonBody.js';
import { badQuery, intParam, wrap } from './apiRequests.js';

const MAX_PAGE = 200;
/** A message of 1000 characters in JSON fits easily; anything bigger is not a message. */
const MAX_BODY = '16kb';

/**
 * Messages customers leave while no agent is online. Leaving one is public (the customer has
 * no credential yet) and validated; its limit per client address is mounted in front of this
 * router (httpApp). Leaving one goes through the broker, which tells the agents online; reading
 * them and marking them handled is for every agent (any role, or the legacy key), straight from the store.
 */
export function offlineMessagesApi(
  broker: Broker,
  store: OfflineMessageStore,
  auth: RequestAuth,
  dispatch: (deliveries: Delivery[]) => void,
  now: () => number = Date.now,
): Router {
  const api = Router();
  api.use('/offline-messages', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  api.post(
    '/offline-messages',
    requireJson,
    express.json({ limit: MAX_BODY, strict: true, type: () => true }),
    wrap(async (req, res) => {
      const parsed = parseOfflineMessage(req.body);
      if (!parsed.ok) {
        res.status(400).json({ error: parsed.error, message: parsed.message });
        return;
      }
      const { message, deliveries } = await broker.leaveOfflineMessage(parsed.value);
      dispatch(deliveries);
      res.status(201).json({ id: message.id, createdAt: message.createdAt });
    }),
  );

  api.use('/offline-messages', auth.require());

  api.get(
    '/offline-messages',
    wrap(async (req, res) => {
      const n = intParam(req, 'limit', 50, MAX_PAGE);
      const { before, status } = req.query;
      if (n === null || n === 0) return badQuery(res, `1 <= limit <= ${MAX_PAGE}`);
      if (before !== undefined && (typeof before !== 'string' || !/^\d{1,15}$/.test(before))) return badQuery(res, 'before is a cursor from nextBefore');
      if (status !== undefined && status !== 'open' && status !== 'all') return badQuery(res, 'status is open or all');
      const page = await store.listOfflineMessages(n, { ...(before === undefined ? {} : { before }), openOnly: status === 'open' });
      res.json(page);
    }),
  );

  api.post(
    '/offline-messages/:id/handled',
    requireJson,
    express.json({ limit: '1kb', type: () => true }),
    wrap(async (req, res) => {
      const raw = req.params.id as string;
      if (!/^\d{1,15}$/.test(raw)) return badQuery(res, 'id is a message id');
      // Who followed it up: an account is itself; the legacy key may name an agent, or leave it out.
      const p = principalOf(res);
      const agent = (req.body as { agent?: unknown } | undefined)?.agent;
      const by =
        p.kind === 'account' ? { ok: true as const, name: p.account.name } : agent === undefined ? { ok: true as const, name: 'api' } : checkName(agent);
      if (!by.ok) {
        res.status(400).json({ error: HttpError.BAD_NAME, message: 'agent must be an agent name' });
        return;
      }
      const message = await store.markOfflineMessageHandled(Number(raw), by.name, now());
      if (!message) {
        res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such offline message' });
        return;
      }
      res.json(message);
    }),
  );

  // The JSON parser's own failures, as this API's error codes.
  api.use('/offline-messages', (err: { type?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: HttpError.TOO_LARGE, message: `the body is over ${MAX_BODY}` });
    if (err.type === 'entity.parse.failed') return void res.status(400).json({ error: HttpError.BAD_JSON, message: 'the body is not JSON' });
    next(err);
  });

  return api;
}
