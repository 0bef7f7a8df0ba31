import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Broker } from '../domain/broker.js';
import { HttpError } from '../protocol/errorCodes.js';
import { IMAGE_ID, IMAGE_MIMES } from '../protocol/imageFormat.js';
import type { AgentKey } from './agentKey.js';
import type { ImageUrls } from './imageUrls.js';
import { bearer, unauthorized } from './transcriptsApi.js';

/** Served images may not run anything, even opened on their own as a page. */
const IMAGE_CSP = "default-src 'none'; sandbox";

/** Who is uploading, and into which conversation. */
interface Uploader {
  role: 'kefu' | 'yonghu';
  conversationId: string;
}

function notFound(res: Response): void {
  res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such image' });
}

/**
 * Images: POST /api/images uploads one into the uploader's conversation (a customer's comes from
 * their resume token; an agent names it with ?conversation=ID), GET /api/images/:id serves it to
 * the conversation's customer, to agents, or to a holder of a signed URL from a frame.
 */
export function imagesApi(broker: Broker, agentKey: AgentKey, urls: ImageUrls, maxBytes: number, log: Logger): Router {
  const api = Router();

  // Who uploads is settled before the body is read: a stranger's megabytes are never taken in.
  api.post('/', (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    const token = bearer(req);
    const settle = async (): Promise<void> => {
      if (token !== undefined && agentKey.matches(token)) {
        const conversation = req.query.conversation;
        if (typeof conversation !== 'string' || conversation.length === 0 || conversation.length > 100) {
          res.status(400).json({ error: HttpError.NO_CONVERSATION, message: 'agents upload into a conversation: ?conversation=ID' });
          return;
        }
        res.locals.uploader = { role: 'kefu', conversationId: conversation } satisfies Uploader;
        return next();
      }
      const conversationId = token === undefined ? undefined : await broker.conversationOfToken(token);
      if (conversationId === undefined) return unauthorized(res);
      res.locals.uploader = { role: 'yonghu', conversationId } satisfies Uploader;
      next();
    };
    settle().catch(next);
  });

  // Any Content-Type: the bytes decide what this is, not the label.
  api.post('/', express.raw({ type: () => true, limit: maxBytes }), (req: Request, res: Response, next: NextFunction) => {
    const uploader = res.locals.uploader as Uploader;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    broker
      .uploadImage(uploader.conversationId, uploader.role, body)
      .then((result) => {
        if (result === 'not_an_image') {
          res.status(415).json({ error: HttpError.NOT_AN_IMAGE, message: 'only PNG, JPEG, GIF and WebP images' });
          return;
        }
        if (result === 'no_conversation') {
          res.status(400).json({ error: HttpError.NO_CONVERSATION, message: 'no open conversation with this id' });
          return;
        }
        const { id, mime, bytes, width, height } = result;
        res.status(201).json({ id, mime, bytes, width, height, url: urls.url(id, Date.now()) });
      })
      .catch(next);
  });

  // What the pages check before uploading, so a person learns at once that a file won't do.
  api.get('/limits', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ maxBytes, types: IMAGE_MIMES });
  });

  api.get('/:id', (req: Request, res: Response, next: NextFunction) => {
    const serve = async (): Promise<void> => {
      const id = req.params.id as string;
      const signed = req.query.sig !== undefined || req.query.exp !== undefined;
      const token = bearer(req);
      // A signed URL is checked without touching the store, so a bad one says nothing about the id.
      if (signed && !urls.verify(id, req.query.exp, req.query.sig, Date.now())) return unauthorized(res);
      if (!signed && token === undefined) return unauthorized(res);
      let customerOf: string | undefined;
      if (!signed && !agentKey.matches(token)) {
        customerOf = await broker.conversationOfToken(token as string);
        if (customerOf === undefined) return unauthorized(res);
      }
      const found = IMAGE_ID.test(id) ? await broker.readImage(id) : undefined;
      // Another conversation's image looks exactly like no image at all.
      if (!found || (customerOf !== undefined && found.image.conversationId !== customerOf)) return notFound(res);
      res.setHeader('Content-Type', found.image.mime);
      res.setHeader('Content-Length', String(found.data.length));
      res.setHeader('Content-Security-Policy', IMAGE_CSP);
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.setHeader('Content-Disposition', 'inline');
      // Only this person's browser may keep it; an id never changes its bytes.
      res.setHeader('Cache-Control', 'private, max-age=3600');
      res.end(found.data);
    };
    serve().catch(next);
  });

  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const type = (err as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({ error: HttpError.TOO_LARGE, message: `images are at most ${maxBytes} bytes`, maxBytes });
      return;
    }
    if (typeof type === 'string' && type.startsWith('request.')) {
      log.debug({ err }, 'image upload aborted');
      res.status(400).json({ error: 'bad_request', message: 'the upload did not arrive whole' });
      return;
    }
    next(err);
  });

  return api;
}
