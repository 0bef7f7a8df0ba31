import { Router, type Request, type Response } from 'express';
import type { AuditTrail } from '../domain/accounts/auditTrail.js';
import { conversationOfToken } from '../domain/tickets.js';
import { HttpError } from '../protocol/errorCodes.js';
import { hasNul } from '../protocol/nulChar.js';
import type { ConversationStore, StoredMessage } from '../store/conversationStore.js';
import { badQuery, bearer, intParam, unauthorized, wrap } from './apiRequests.js';
import { actorOf } from './auth/principal.js';
import { principalOf, type RequestAuth } from './auth/requestAuth.js';
import { ConversationAccess } from './conversationAccess.js';
import { parseConversationFilter } from './conversationFilters.js';
import type { ImageUrls } from './imageUrls.js';

const MAX_PAGE = 200;

/**
 * Transcripts: agents (a console session, an API token, or the legacy key as bearer token) list
 * conversations, filtered and searched, and read them, each as their role allows
 * (ConversationAccess), and every read is audited; a customer
 * (resume token as bearer token) reads only their own open conversation, which is found from the
 * token, never from an id in the URL.
 */
export function transcriptsApi(conversations: ConversationStore, auth: RequestAuth, audit: AuditTrail, imageUrls?: ImageUrls): Router {
  const api = Router();
  const access = new ConversationAccess(conversations);
  // An image message's image gets a fresh signed URL, as in a live frame.
  const withUrls = (messages: StoredMessage[]) => {
    const now = Date.now();
    return messages.map((m) => (m.image && imageUrls ? { ...m, image: { ...m.image, url: imageUrls.url(m.image.id, now) } } : m));
  };
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  api.get(
    '/me/messages',
    wrap(async (req, res) => {
      const token = bearer(req);
      const conversationId = token === undefined ? undefined : await conversationOfToken(conversations, token);
      if (conversationId === undefined) return unauthorized(res);
      const after = intParam(req, 'after', 0);
      const limit = intParam(req, 'limit', MAX_PAGE, MAX_PAGE);
      if (after === null || limit === null || limit === 0) return badQuery(res, `after >= 0, 1 <= limit <= ${MAX_PAGE}`);
      res.json({ conversationId, messages: withUrls(await conversations.messagesAfter(conversationId, after, limit)) });
    }),
  );

  api.use(auth.require());
  const actor = (req: Request, res: Response) => actorOf(principalOf(res), auth.addresses.of(req));

  api.get(
    '/conversations',
    wrap(async (req, res) => {
      const limit = intParam(req, 'limit', 50, MAX_PAGE);
      const before = req.query.before;
      if (limit === null || limit === 0) return badQuery(res, `1 <= limit <= ${MAX_PAGE}`);
      if (before !== undefined && (typeof before !== 'string' || !/^\d{1,15}$/.test(before))) return badQuery(res, 'before is a cursor from nextBefore');
      const parsed = parseConversationFilter(req.query);
      if (!parsed.ok) {
        res.status(400).json({ error: parsed.error, message: parsed.message });
        return;
      }
      const filter = await access.visible(principalOf(res), parsed.filter);
      const page = filter === null ? { conversations: [], nextBefore: null } : await conversations.listConversations(limit, before, filter);
      await audit.record('transcripts_listed', actor(req, res), null, { count: page.conversations.length, ...parsed.filter });
      res.json(page);
    }),
  );

  api.get(
    '/conversations/:id/messages',
    wrap(async (req, res) => {
      const id = req.params.id as string;
      // A path may carry %00, which the Postgres store cannot even look up: no such conversation.
      const conversation = hasNul(id) ? undefined : await conversations.getConversation(id);
      // Another agent's conversation looks exactly like no conversation to an agent.
      if (!conversation || !(await access.mayRead(principalOf(res), conversation))) {
        res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such conversation' });
        return;
      }
      const after = intParam(req, 'after', 0);
      const limit = intParam(req, 'limit', MAX_PAGE, MAX_PAGE);
      if (after === null || limit === null || limit === 0) return badQuery(res, `after >= 0, 1 <= limit <= ${MAX_PAGE}`);
      await audit.record('transcript_read', actor(req, res), null, { conversation: id, after, limit });
      res.json({ conversation, messages: withUrls(await conversations.messagesAfter(id, after, limit)) });
    }),
  );

  return api;
}
