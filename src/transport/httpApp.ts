import path from 'node:path';
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler, type Response, type NextFunction } from 'express';
import type { Logger } from 'pino';
import type { Broker } from '../domain/broker.js';
import type { Ratings } from '../domain/ratings.js';
import type { Delivery } from '../domain/roomEvent.js';
import type { ImageStore } from '../store/imageStore.js';
import type { Stores } from '../store/stores.js';
import { HttpError } from '../protocol/errorCodes.js';
import { checkName, MAX_NAME_CHARS } from '../protocol/names.js';
import { notices } from '../protocol/notices.js';
import { isVisitorId } from '../protocol/visitorId.js';
import type { Accounts } from '../domain/accounts/accounts.js';
import type { Metrics } from '../metrics.js';
import { accountsApi } from './auth/accountsApi.js';
import { authApi, type SignInDeps } from './auth/authApi.js';
import { linksApi } from './auth/linksApi.js';
import { oidcApi, type SingleSignOnOptions } from './auth/oidcApi.js';
import { profileApi } from './auth/profileApi.js';
import type { RequestAuth } from './auth/requestAuth.js';
import { cannedRepliesApi } from './cannedRepliesApi.js';
import { ratingsApi } from './ratingsApi.js';
import { imagesApi, type ImageUploadOptions } from './imagesApi.js';
import type { ImageUrls } from './imageUrls.js';
import type { ClientAddresses } from './clientAddress.js';
import { transcriptsApi } from './transcriptsApi.js';
import { offlineMessagesApi } from './offlineMessagesApi.js';
import { pagesCsp } from './pagePolicy.js';
import { widgetSettings, type WidgetOptions, type WidgetStatus } from './widgetApi.js';
import { closedAnswer } from './closedHours.js';
import { checkEmail } from '../protocol/accountInput.js';
import { getroomIdentity } from './widgetIdentity.js';

/** What GET /healthz answers: 200 when every dependency answered, else 503. */
export interface HealthReport {
  ok: boolean;
  node: string;
  connections: number;
  dependencies: Record<string, { kind: string; state: 'ok' | 'down' }>;
}

/** The edge's middleware (limits per client address, body deadlines), mounted in front of the routes. */
export interface HttpEdge {
  getroom: RequestHandler;
  upload: RequestHandler;
  /** For POSTs that need no credential (offline messages). */
  publicPost: RequestHandler;
  bodyDeadline: RequestHandler;
  uploadBodyDeadline: RequestHandler;
  afterBodyDeadline: ErrorRequestHandler;
}

/** What the HTTP side needs besides the broker and the agents' authentication. */
export interface HttpAppOptions {
  /** Agent accounts: sign-in, profiles, administration, the audit log. */
  accounts: Accounts;
  /** What the sign-in routes share: limits on failures, revocations to publish, the cookie's age. */
  signIn: SignInDeps;
  /** Single sign-on through an OpenID provider, when OIDC_* are set. */
  singleSignOn?: SingleSignOnOptions;
  staticDir: string;
  health: () => Promise<HealthReport>;
  metrics: Metrics;
  /** What the read-only and CRUD APIs (transcripts, offline messages, canned replies) read directly. */
  stores: Pick<Stores, 'conversations' | 'offlineMessages' | 'cannedReplies'>;
  /** Where the images API reads an image to serve. */
  images: ImageStore;
  ratings: Ratings;
  /** Sends events an HTTP request caused (a rating, an offline message) to the sockets they are for. */
  deliver: (deliveries: Delivery[]) => void;
  /** A canned reply's body is sent as a message, so it is held to the message limit. */
  maxMessageChars: number;
  imageUrls: ImageUrls;
  maxImageBytes: number;
  /** Who a request comes from (TRUST_PROXY decides whether X-Forwarded-For is believed). */
  addresses: ClientAddresses;
  edge: HttpEdge;
  /** Origins besides ours the pages may connect to (ALLOWED_ORIGINS), for their CSP. */
  allowedOrigins: string[];
  /** Limits, quotas and caps on image uploads. */
  imageUploads: ImageUploadOptions;
  /** Embedding the customer page in other sites (widget.js): who may, and signed visitor identities. */
  widget: WidgetOptions;
  /** What /api/widget says live: agents online and the expected reply time. */
  widgetStatus?: WidgetStatus;
}

/**
 * The HTTP side: the two pages and their assets, and GET /getroom. Every answer is JSON with a
 * clear error code when the request is wrong.
 */
export function createHttpApp(broker: Broker, auth: RequestAuth, options: HttpAppOptions, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });

  // The first body deadline a request meets is the one it keeps: uploads get the long one.
  app.post('/api/images', options.edge.uploadBodyDeadline);
  app.use(options.edge.bodyDeadline);
  app.get('/getroom', options.edge.getroom);
  app.post('/api/images', options.edge.upload);
  app.post('/api/offline-messages', options.edge.publicPost);
  app.get('/getroom', getroomIdentity(options.widget.identity));
  app.get('/api/widget', widgetSettings(options.widget, options.widgetStatus, log));

  app.get('/getroom', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const raw = req.query.userName;
      if (Array.isArray(raw)) {
        res.status(400).json({ error: HttpError.BAD_NAME, message: 'userName must be given once' });
        return;
      }
      const name = checkName(raw);
      if (!name.ok) {
        const message =
          name.reason === 'reserved_name' ? 'this name is reserved' : `userName is required: 1-${MAX_NAME_CHARS} characters without control characters`;
        res.status(400).json({ error: HttpError.BAD_NAME, message });
        return;
      }
      // The customer page's visitor id: checked here as on its WebSocket URL, which is where the conversation takes it from.
      if (req.query.visitor !== undefined && !isVisitorId(req.query.visitor)) {
        res.status(400).json({ error: HttpError.BAD_VISITOR, message: 'visitor must be 16-64 of A-Z, a-z, 0-9, _ and -' });
        return;
      }
      // The pre-chat form's e-mail: checked here so the page can say so before connecting; the socket URL carries it on.
      if (req.query.email !== undefined && !checkEmail(req.query.email).ok) {
        res.status(400).json({ error: HttpError.BAD_EMAIL, message: 'email must be an e-mail address' });
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      // Outside business hours nobody is placed: `room: false` is what a seed client reads as "not now".
      const closed = options.widget.hours === undefined ? undefined : closedAnswer(options.widget.hours, (options.widget.now ?? Date.now)());
      if (closed !== undefined) {
        res.json(closed);
        return;
      }
      let offer;
      try {
        offer = await broker.requestRoom(name.name, options.addresses.of(req));
      } catch (err) {
        log.warn({ err }, 'getroom: registry unavailable');
        res.status(503).json({ error: 'unavailable', message: notices.unavailable });
        return;
      }
      res.json('full' in offer ? { room: false, full: true, agentsOnline: offer.agentsOnline, message: notices.queueFull } : offer);
    } catch (err) {
      next(err);
    }
  });

  app.use('/api/auth/oidc', oidcApi(options.accounts, options.signIn, options.singleSignOn, log));
  app.use('/api/auth', authApi(options.accounts, options.signIn));
  app.use('/api', linksApi(options.accounts, options.signIn));
  app.use('/api', profileApi(options.accounts, options.signIn));
  app.use('/api', accountsApi(options.accounts, options.signIn));
  app.use('/api/canned-replies', cannedRepliesApi(options.stores.cannedReplies, auth, options.maxMessageChars));
  app.use('/api', ratingsApi(options.ratings, auth, options.deliver));
  // Before the transcripts API, whose Cache-Control: no-store and bearer-only rules don't fit images.
  app.use(
    '/api/images',
    imagesApi(broker, { conversations: options.stores.conversations, images: options.images }, auth, options.imageUrls, options.imageUploads, log),
  );
  app.use('/api', offlineMessagesApi(broker, options.stores.offlineMessages, auth, options.deliver));
  app.use('/api', transcriptsApi(options.stores.conversations, auth, options.accounts.audit, options.imageUrls));

  app.get('/healthz', async (_req, res, next) => {
    try {
      const report = await options.health();
      res.setHeader('Cache-Control', 'no-store');
      res.status(report.ok ? 200 : 503).json(report);
    } catch (err) {
      next(err);
    }
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      res.setHeader('Content-Type', options.metrics.registry.contentType);
      res.send(await options.metrics.registry.metrics());
    } catch (err) {
      next(err);
    }
  });

  const csp = pagesCsp(options.allowedOrigins);
  // Only the customer page may be framed, and only by the sites of WIDGET_ORIGINS.
  const customerCsp = pagesCsp(options.allowedOrigins, options.widget.origins);
  app.use(
    express.static(options.staticDir, {
      index: false,
      setHeaders: (res, file) => {
        res.setHeader('Content-Security-Policy', file.endsWith(`${path.sep}yonghu.html`) ? customerCsp : csp);
      },
    }),
  );

  app.get('/', (_req, res) => {
    res.redirect('/yonghu.html');
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: HttpError.NOT_FOUND, message: 'no such page' });
  });

  app.use(options.edge.afterBodyDeadline);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err }, 'http handler failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal', message: 'internal error' });
  });

  return app;
}
