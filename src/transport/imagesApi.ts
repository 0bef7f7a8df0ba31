import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Broker } from '../domain/broker.js';
import type { ImageLimits, UploadRefusal } from '../domain/imageIntake.js';
import { conversationOfToken } from '../domain/tickets.js';
import { HttpError } from '../protocol/errorCodes.js';
import { IMAGE_HEADER_MAX_BYTES, IMAGE_ID, IMAGE_MIMES } from '../protocol/imageFormat.js';
import { hasNul } from '../protocol/nulChar.js';
import type { ConversationStore } from '../store/conversationStore.js';
import type { ImageStore } from '../store/imageStore.js';
import { may } from '../domain/accounts/roles.js';
import { roleOf, type Principal } from './auth/principal.js';
import type { RequestAuth } from './auth/requestAuth.js';
import type { ClientAddresses } from './clientAddress.js';
import { ConcurrencyCap } from './concurrencyCap.js';
import type { ImageUrls } from './imageUrls.js';
import { bearer, unauthorized } from './apiRequests.js';

/** Served images may not run anything, even opened on their own as a page. */
const IMAGE_CSP = "default-src 'none'; sandbox";

/** Seconds an upload turned away for the caps is told to wait: about what one upload takes. */
const BUSY_RETRY_AFTER_S = 2;

/** How uploads are bounded: the limits the broker holds each to, and how many may run at once. */
export interface ImageUploadOptions {
  limits: ImageLimits;
  /** Uploads one conversation may have in progress at once (on this node). */
  perConversation: number;
  /** Uploads one client address may have in progress at once (on this node). */
  perAddress: number;
  /** Who a request comes from (TRUST_PROXY decides whether X-Forwarded-For is believed). */
  addresses: ClientAddresses;
}

/** Who is uploading, and into which conversation. */
interface Uploader {
  role: 'kefu' | 'yonghu';
  conversationId: string;
}

/** A refused upload's answer: its status, its JSON body, and headers besides. */
interface Refusal {
  status: number;
  body: { error: string; message: string } & Record<string, unknown>;
  headers?: Record<string, string>;
}

function notFound(res: Response): void {
  res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such image' });
}

/**
 * Answers a refused upload. The one writer of every refusal of POST /api/images: a body not
 * read to its end is not read any further, and the connection is closed once the answer is out
 * (Connection: close; Node then ends the socket), so a client sending megabytes is stopped
 * rather than drained.
 */
function refuse(req: Request, res: Response, refusal: Refusal): void {
  if (res.headersSent) return;
  if (!req.complete) res.setHeader('Connection', 'close');
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.status(refusal.status).json(refusal.body);
}

/** How each refusal of the broker reads to the uploader. */
function refusalOf(reason: UploadRefusal, limits: ImageLimits): Refusal {
  switch (reason) {
    case 'no_conversation':
      return { status: 400, body: { error: HttpError.NO_CONVERSATION, message: 'no open conversation with this id' } };
    case 'not_an_image':
      return { status: 415, body: { error: HttpError.NOT_AN_IMAGE, message: 'only PNG, JPEG, GIF and WebP images' } };
    case 'no_dimensions':
      return {
        status: 422,
        body: {
          error: HttpError.NO_DIMENSIONS,
          message:
            'the image header gives no usable width and height, so its pixel count cannot be checked ' +
            `(a PNG's IHDR, a JPEG's frame header within its first ${IMAGE_HEADER_MAX_BYTES / 1024} KiB, a GIF's screen ` +
            'or a WebP VP8/VP8L/VP8X header, with a width and height above 0)',
        },
      };
    case 'too_many_pixels':
      return {
        status: 422,
        body: { error: HttpError.TOO_MANY_PIXELS, message: `images are at most ${limits.maxPixels} pixels (width × height)`, maxPixels: limits.maxPixels },
      };
    case 'too_large':
      return { status: 413, body: { error: HttpError.TOO_LARGE, message: `images are at most ${limits.maxBytes} bytes`, maxBytes: limits.maxBytes } };
    case 'conversation_quota':
      return {
        status: 507,
        body: {
          error: HttpError.QUOTA_EXCEEDED,
          message: `no room for this image in the conversation's image quota (${limits.conversationQuotaBytes} bytes)`,
          quota: 'conversation',
          quotaBytes: limits.conversationQuotaBytes,
        },
      };
    case 'server_quota':
      return {
        status: 507,
        body: {
          error: HttpError.QUOTA_EXCEEDED,
          message: `no room for this image in the server's image quota (${limits.totalQuotaBytes} bytes)`,
          quota: 'server',
          quotaBytes: limits.totalQuotaBytes,
        },
      };
  }
}

function busy(per: 'conversation' | 'address', limit: number): Refusal {
  return {
    status: 429,
    headers: { 'Retry-After': String(BUSY_RETRY_AFTER_S) },
    body: { error: HttpError.TOO_MANY_UPLOADS, message: `at most ${limit} uploads at once per ${per}`, per, limit },
  };
}

/** As RequestAuth's refusal of a cross-site request made with the session cookie. */
const CROSS_SITE: Refusal = { status: 403, body: { error: HttpError.CROSS_SITE, message: 'this request must come from the kefu pages themselves' } };

/** As apiRequests' unauthorized(), through this module's one writer of upload refusals. */
const UNAUTHORIZED: Refusal = {
  status: 401,
  headers: { 'WWW-Authenticate': 'Bearer' },
  body: { error: HttpError.UNAUTHORIZED, message: 'a valid bearer token is required' },
};

/**
 * Images: POST /api/images uploads one into the uploader's conversation (a customer's comes from
 * their resume token; an agent names it with ?conversation=ID), GET /api/images/:id serves it to
 * the conversation's customer, to agents, or to a holder of a signed URL from a frame.
 *
 * An upload is never taken in whole: who uploads, the caps on uploads in progress, and a
 * declared Content-Length are settled before the body is read; then the broker reads the body
 * as it arrives (ImageIntake), judging the image by its first bytes and cutting the rest off at
 * the limit. Serving an image reads the image store directly: no rule of the chat is involved.
 */
export function imagesApi(
  broker: Broker,
  stores: { conversations: ConversationStore; images: ImageStore },
  auth: RequestAuth,
  urls: ImageUrls,
  uploads: ImageUploadOptions,
  log: Logger,
): Router {
  const api = Router();
  const { limits } = uploads;
  const perConversation = new ConcurrencyCap(uploads.perConversation);
  const perAddress = new ConcurrencyCap(uploads.perAddress);

  /** An account (not the legacy key) uploads only into a conversation it serves. */
  async function servedBy(p: Principal, conversationId: string): Promise<boolean> {
    if (p.kind !== 'account') return true;
    return (await stores.conversations.getConversation(conversationId))?.agent === p.account.name;
  }

  async function uploaderOf(req: Request): Promise<Uploader | Refusal> {
    const agent = await auth.principal(req);
    if (agent) {
      // With the session cookie, only from our own pages (an upload is a POST like any other).
      if (agent.kind === 'account' && agent.via === 'session' && !auth.origin.isSameOrigin(req)) return CROSS_SITE;
      const conversation = req.query.conversation;
      if (typeof conversation !== 'string' || conversation.length === 0 || conversation.length > 100 || hasNul(conversation)) {
        return { status: 400, body: { error: HttpError.NO_CONVERSATION, message: 'agents upload into a conversation: ?conversation=ID' } };
      }
      if (!(await servedBy(agent, conversation))) return { status: 400, body: { error: HttpError.NO_CONVERSATION, message: 'not a conversation you serve' } };
      return { role: 'kefu', conversationId: conversation };
    }
    const token = bearer(req);
    const conversationId = token === undefined ? undefined : await conversationOfToken(stores.conversations, token);
    return conversationId === undefined ? UNAUTHORIZED : { role: 'yonghu', conversationId };
  }

  async function upload(req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const uploader = await uploaderOf(req);
    if ('status' in uploader) return refuse(req, res, uploader);
    if (Number(req.headers['content-length']) > limits.maxBytes) return refuse(req, res, refusalOf('too_large', limits));
    const address = uploads.addresses.of(req);
    if (!perAddress.take(address)) return refuse(req, res, busy('address', perAddress.max));
    if (!perConversation.take(uploader.conversationId)) {
      perAddress.release(address);
      return refuse(req, res, busy('conversation', perConversation.max));
    }
    try {
      // Any Content-Type: the bytes decide what this is, not the label. The body is not destroyed
      // when the broker stops reading early: the refusal still has to be answered.
      const result = await broker.uploadImage(uploader.conversationId, uploader.role, req.iterator({ destroyOnReturn: false }));
      if (typeof result === 'string') {
        if (result === 'server_quota') log.warn({ quotaBytes: limits.totalQuotaBytes }, 'image quota of the server is full: uploads are refused');
        return refuse(req, res, refusalOf(result, limits));
      }
      const { id, mime, bytes, width, height } = result;
      res.status(201).json({ id, mime, bytes, width, height, url: urls.url(id, Date.now()) });
    } catch (err) {
      // The client went away midway (or stalled past the server's request timeout): nobody to answer.
      if (req.destroyed || !req.socket.writable) {
        log.debug({ err }, 'image upload cut off');
        return;
      }
      // A body left unread cannot be followed by another request on this connection.
      if (!req.complete && !res.headersSent) res.setHeader('Connection', 'close');
      throw err;
    } finally {
      perConversation.release(uploader.conversationId);
      perAddress.release(address);
    }
  }

  api.post('/', (req: Request, res: Response, next: NextFunction) => {
    upload(req, res).catch(next);
  });

  // What the pages check before uploading, so a person learns at once that a file won't do.
  api.get('/limits', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.json({ maxBytes: limits.maxBytes, types: IMAGE_MIMES });
  });

  api.get('/:id', (req: Request, res: Response, next: NextFunction) => {
    const serve = async (): Promise<void> => {
      const id = req.params.id as string;
      const signed = req.query.sig !== undefined || req.query.exp !== undefined;
      const token = bearer(req);
      // A signed URL is checked without touching the store, so a bad one says nothing about the id.
      if (signed && !urls.verify(id, req.query.exp, req.query.sig, Date.now())) return unauthorized(res);
      let customerOf: string | undefined;
      let agent: Principal | undefined;
      if (!signed) {
        agent = await auth.principal(req);
        if (!agent) customerOf = token === undefined ? undefined : await conversationOfToken(stores.conversations, token);
        if (!agent && customerOf === undefined) return unauthorized(res);
      }
      const found = IMAGE_ID.test(id) ? await stores.images.read(id) : undefined;
      // Another conversation's image looks exactly like no image at all; so does one removed
      // by the clean-up (unsent, or past its conversation's retention).
      if (!found || (customerOf !== undefined && found.image.conversationId !== customerOf)) return notFound(res);
      if (agent && !may(roleOf(agent), 'conversations.readAll') && !(await servedBy(agent, found.image.conversationId))) return notFound(res);
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

  return api;
}
