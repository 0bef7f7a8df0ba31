import { Router } from 'express';
import type { Delivery } from '../domain/roomEvent.js';
import type { Ratings } from '../domain/ratings.js';
import { HttpError } from '../protocol/errorCodes.js';
import { parseRating } from '../protocol/rating.js';
import { may } from '../domain/accounts/roles.js';
import { roleOf } from './auth/principal.js';
import { principalOf, type RequestAuth } from './auth/requestAuth.js';
import { jsonBody } from './jsonBody.js';
import { bearer, unauthorized, wrap } from './apiRequests.js';

/**
 * Satisfaction ratings: a customer rates their own conversation with their resume token as the
 * bearer token (`POST /api/me/rating`, once); owners and admins (and the legacy key) read every
 * agent's summary (`GET /api/ratings/summary`), an agent their own. `deliver` tells a connected
 * agent about a new rating.
 */
export function ratingsApi(ratings: Ratings, auth: RequestAuth, deliver: (deliveries: Delivery[]) => void): Router {
  const api = Router();

  api.post(
    '/me/rating',
    (req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      if (bearer(req) === undefined) return unauthorized(res);
      next();
    },
    jsonBody,
    wrap(async (req, res) => {
      const input = parseRating(req.body);
      if (!input.ok) {
        res.status(400).json({ error: input.error, message: input.message });
        return;
      }
      const result = await ratings.rate(bearer(req) as string, input.value.score, input.value.comment);
      if (!result.ok) {
        if (result.reason === 'unknown_token') return unauthorized(res);
        res.status(409).json({ error: HttpError.ALREADY_RATED, message: 'this conversation has been rated already' });
        return;
      }
      deliver(result.deliveries);
      res.status(201).json({ rating: result.rating });
    }),
  );

  api.get(
    '/ratings/summary',
    auth.require(),
    wrap(async (_req, res) => {
      const p = principalOf(res);
      const agents = await ratings.summary();
      res.json({ agents: may(roleOf(p), 'ratings.readAll') || p.kind !== 'account' ? agents : agents.filter((a) => a.agent === p.account.name) });
    }),
  );

  return api;
}
