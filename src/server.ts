import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createBackends } from './backends.js';
import type { Config } from './config.js';
import { Accounts } from './domain/accounts/accounts.js';
import type { BusinessHours } from './domain/businessHours.js';
import { Broker } from './domain/broker.js';
import type { AgentAvatars } from './domain/roster.js';
import type { AccountStore } from './store/accountStore.js';
import { ExpectedReplyTime } from './domain/replyTime.js';
import type { ImageLimits } from './domain/imageIntake.js';
import { ImageRetention } from './domain/imageRetention.js';
import { Ratings } from './domain/ratings.js';
import { FaqFiles } from './faqFile.js';
import type { SecretStore } from './store/secretStore.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';
import { createAddressLimits } from './transport/addressLimits.js';
import { AgentKey } from './transport/agentKey.js';
import type { SingleSignOnOptions } from './transport/auth/oidcApi.js';
import { OidcClient } from './transport/auth/oidcClient.js';
import { FlowCookies } from './transport/auth/oidcFlow.js';
import { RedisRevocations } from './transport/auth/redisRevocations.js';
import { RequestAuth } from './transport/auth/requestAuth.js';
import { RequestOrigin } from './transport/auth/requestOrigin.js';
import { LocalRevocations, type Revocations } from './transport/auth/revocations.js';
import { SignInLimits } from './transport/auth/signInLimits.js';
import { ClientAddresses } from './transport/clientAddress.js';
import { Edge } from './transport/edge.js';
import type { HealthReport } from './transport/httpApp.js';
import { createHttpApp } from './transport/httpApp.js';
import { ImageUrls } from './transport/imageUrls.js';
import { NO_WEBSOCKET_HERE, refuseSocket } from './transport/refusal.js';
import { AgentAuth } from './transport/ws/agentAuth.js';
import { AgentSockets } from './transport/ws/agentSockets.js';
import { DeliveryRouter } from './transport/ws/deliveryRouter.js';
import { WsGateway } from './transport/ws/gateway.js';
import { Housekeeping } from './transport/ws/housekeeping.js';
import { PresenceBroadcaster } from './transport/ws/presenceBroadcaster.js';
import { socketIdentity, type IdentityOptions } from './transport/widgetIdentity.js';

/** What a caller (a test) may hand the server instead of its defaults. */
export interface ServerParts {
  logger?: Logger;
  /** The clock of accounts (sessions, links) and of single sign-on's retries: tests move it to see things expire. */
  now?: () => number;
}

/** Expired sessions and links are forgotten this often. */
const PURGE_EVERY_MS = 60 * 60_000;

/** A running broker: both ports bound, ready for clients. */
export interface KefuServer {
  httpPort: number;
  wsPort: number;
  gateway: WsGateway;
  nodeId: string;
  /** Agent accounts: main prints the first-run setup link through it, and makes accounts from the command line. */
  accounts: Accounts;
  /** The bot's FAQ file: reloaded when it changes; main also reloads it on SIGHUP. */
  faq: FaqFiles;
  /** Stops accepting, closes every client with 1012, flushes and closes the stores. */
  close(): Promise<void>;
}

/**
 * An agent's account avatar by the agent's name. Asked only when a customer comes back while
 * their agent is away (after a drop or a restart), so reading the list of accounts is enough.
 */
function accountAvatars(accounts: AccountStore): AgentAvatars {
  return async (agent) => (await accounts.listAccounts()).find((a) => a.name === agent)?.avatar ?? undefined;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Wires config to parts and starts both ports (port 0 picks free ones, for tests). */
export async function startServer(config: Config, parts: ServerParts = {}): Promise<KefuServer> {
  const log = parts.logger ?? createLogger(config.logLevel);
  // Read before anything is opened: a broken FAQ at start stops the start with its reason.
  const faq = new FaqFiles(config.faqFile, log);
  faq.watch();
  const backends = await createBackends(config);
  const hours: BusinessHours | undefined = config.businessHours === null ? undefined : { timeZone: config.businessTz, week: config.businessHours };
  const { registry, stores, bus, profiles, images } = backends;
  const imageLimits: ImageLimits = {
    maxBytes: config.maxImageBytes,
    maxPixels: config.maxImagePixels,
    conversationQuotaBytes: config.imageConversationQuotaBytes,
    totalQuotaBytes: config.imageTotalQuotaBytes,
  };
  const broker = new Broker(
    registry,
    stores,
    {
      ticketTtlMs: config.ticketTtlMs,
      reservationsPerAddress: config.reservationsPerAddress,
      graceMs: config.graceMs,
      queueMaxLength: config.queueMax,
      queueMaxWaitMs: config.queueMaxWaitMs,
      replayLimit: config.replayLimit,
      faq: (locale) => faq.current(locale),
      imageLimits,
      ...(hours === undefined ? {} : { hours }),
    },
    { profiles, images, agentAvatars: accountAvatars(backends.accountStores.accounts) },
  );
  const restored = await broker.restore();
  if (restored > 0) log.info({ conversations: restored }, 'holding open conversations from the last run');

  const accounts = new Accounts(backends.accountStores, { idleMs: config.sessionIdleMs, maxMs: config.sessionMaxMs }, parts.now);
  // Without KEFU_KEY there is no shared key at all: agents sign in with their accounts.
  const serviceKey = config.kefuKey === '' ? undefined : new AgentKey(config.kefuKey);
  // One secret for the whole deployment, kept in its database: every node signs image URLs alike, and a restart keeps them valid.
  const imageUrls = new ImageUrls(await backends.accountStores.secrets.secret('image-urls', randomBytes(32).toString('base64url')), config.imageUrlTtlMs);
  const singleSignOn = await singleSignOnOf(config, backends.accountStores.secrets, log, parts.now);
  const metrics = new Metrics(registry);
  const ports = { http: config.httpPort, ws: config.wsPort };
  const router = new DeliveryRouter(bus, (image, now) => imageUrls.url(image.id, now), log);
  const presence = new PresenceBroadcaster(broker, log);
  const agentSockets = new AgentSockets(accounts.sessions, broker, router, presence, log);
  const identity: IdentityOptions = { secret: config.widgetSecret, required: config.identityRequired };
  const revocations: Revocations = backends.redis ? new RedisRevocations(backends.redis, config.redisPrefix) : new LocalRevocations();
  const gateway = new WsGateway(
    broker,
    new AgentAuth(accounts.sessions, serviceKey, log),
    agentSockets,
    router,
    presence,
    metrics,
    {
      maxPayloadBytes: config.maxPayloadBytes,
      maxMessageChars: config.maxMessageChars,
      maxBufferedBytes: config.maxBufferedBytes,
      rateBurst: config.rateBurst,
      ratePerSec: config.ratePerSec,
      abuseBurst: config.abuseBurst,
      // A site that embeds the customer page may also open its socket (a page of its own, not our iframe).
      allowedOrigins: [...config.allowedOrigins, ...config.widgetOrigins],
      pagePorts: () => [ports.http],
      customerGate: socketIdentity(identity),
    },
    log,
  );
  const housekeeping = new Housekeeping(
    broker,
    bus,
    router,
    presence,
    {
      heartbeatMs: config.heartbeatMs,
      // Timers resolve to a quarter of the shortest deadline, so expiry is never late by much.
      tickMs: Math.max(10, Math.min(1000, Math.floor(Math.min(config.graceMs, config.ticketTtlMs) / 4))),
    },
    log,
  );

  /** Liveness plus each dependency, answered within a second even when one hangs. */
  const health = async (): Promise<HealthReport> => {
    const check = async (ping: () => Promise<void>): Promise<'ok' | 'down'> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'down'>((resolve) => (timer = setTimeout(() => resolve('down'), 1000)));
      try {
        return await Promise.race([
          ping().then(
            () => 'ok' as const,
            () => 'down' as const,
          ),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    };
    const [registryState, storeState, busState] = await Promise.all([check(() => registry.ping()), check(() => stores.ping()), check(() => bus.ping())]);
    return {
      ok: registryState === 'ok' && storeState === 'ok' && busState === 'ok',
      node: bus.nodeId,
      connections: gateway.size,
      dependencies: {
        registry: { kind: backends.kinds.registry, state: registryState },
        store: { kind: backends.kinds.store, state: storeState },
        bus: { kind: backends.kinds.registry === 'redis' ? 'redis' : 'local', state: busState },
      },
    };
  };

  const ratings = new Ratings(stores, registry);
  const replyTime = new ExpectedReplyTime(stores.conversations);
  const limits = createAddressLimits(
    { getroom: config.getroomPerMinute, upgrade: config.upgradesPerMinute, upload: config.uploadsPerMinute, publicPost: config.publicPostsPerMinute },
    backends.redis,
    config.redisPrefix,
  );
  const addresses = new ClientAddresses(config.trustProxy);
  const edge = new Edge(config, addresses, limits, metrics, log);
  const requestAuth = new RequestAuth(accounts, serviceKey, new RequestOrigin(addresses), addresses);
  const signInLimits = new SignInLimits(
    { failuresPerAccount: config.signInFailuresPerAccount, failuresPerAddress: config.signInFailuresPerAddress, lockoutMs: config.signInLockoutMs },
    backends.redis,
    config.redisPrefix,
  );
  const httpServer = http.createServer(
    createHttpApp(
      broker,
      requestAuth,
      {
        accounts,
        signIn: { auth: requestAuth, audit: accounts.audit, limits: signInLimits, revocations, sessionMaxMs: config.sessionMaxMs },
        singleSignOn,
        staticDir: config.staticDir,
        health,
        metrics,
        stores,
        images,
        ratings,
        deliver: (deliveries) => router.deliver(deliveries),
        maxMessageChars: config.maxMessageChars,
        imageUrls,
        maxImageBytes: config.maxImageBytes,
        addresses,
        edge: edge.http,
        allowedOrigins: config.allowedOrigins,
        widget: { origins: config.widgetOrigins, identity, prechat: config.prechatFields, ...(hours === undefined ? {} : { hours }) },
        widgetStatus: { agentsOnline: () => broker.agentsOnline(), replyTimeMs: () => replyTime.medianMs() },
        imageUploads: {
          limits: imageLimits,
          perConversation: config.imageUploadsPerConversation,
          perAddress: config.imageUploadsPerAddress,
          addresses,
        },
      },
      log,
    ),
  );
  httpServer.on(
    'upgrade',
    edge.upgrades((req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') refuseSocket(socket, NO_WEBSOCKET_HERE);
      else gateway.handleUpgrade(req, socket, head);
    }),
  );

  // The raw WebSocket port of the seed design: any path upgrades, plain HTTP is told to upgrade.
  // Closed after the answer: nothing else is served here, so a body still arriving is not waited for.
  const wsServer = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'application/json', Upgrade: 'websocket', Connection: 'close' });
    res.end(JSON.stringify({ error: 'upgrade_required', message: 'connect with a WebSocket client' }));
  });
  wsServer.on(
    'upgrade',
    edge.upgrades((req, socket, head) => gateway.handleUpgrade(req, socket, head)),
  );

  for (const server of [httpServer, wsServer]) {
    edge.guard(server);
    server.on('error', (err) => log.error({ err }, 'server error'));
  }

  await housekeeping.start();
  // Not awaited: a provider that cannot be reached hides the sign-in button, it does not stop the start.
  singleSignOn?.client.start();
  await revocations.start(
    (r) => agentSockets.revoked(r),
    () => void agentSockets.sweep().catch((err: unknown) => log.warn({ err }, 'session sweep failed')),
  );
  agentSockets.start();
  const purge = (): void => void accounts.sessions.purge().catch((err: unknown) => log.warn({ err }, 'purging expired sessions failed'));
  purge();
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();
  // Unsent images and those of conversations past retention; safe on every node at once.
  const imageRetention = new ImageRetention(images, stores.conversations, { unsentTtlMs: config.imageUnsentTtlMs, retentionMs: config.imageRetentionMs });
  imageRetention.start((err) => log.warn({ err }, 'image clean-up failed'));
  ports.http = await listen(httpServer, config.httpPort, config.host);
  ports.ws = await listen(wsServer, config.wsPort, config.host);

  return {
    httpPort: ports.http,
    wsPort: ports.ws,
    nodeId: bus.nodeId,
    gateway,
    accounts,
    faq,
    async close() {
      faq.close();
      httpServer.close();
      wsServer.close();
      housekeeping.stop();
      presence.stop();
      agentSockets.stop();
      clearInterval(purgeTimer);
      await revocations.close();
      await gateway.close();
      // After the gateway's leaves, so peers on other nodes heard peer_away through it.
      await bus.close();
      httpServer.closeAllConnections();
      wsServer.closeAllConnections();
      await imageRetention.stop();
      await stores.close();
      await images.close();
      await backends.close();
    },
  };
}

/**
 * Single sign-on when OIDC_* are set: the provider's client, and the flow cookies signed with a
 * secret the whole deployment shares (kept in its database), so a sign-on started on one node
 * finishes on any other, and a restart does not break those in progress.
 */
async function singleSignOnOf(config: Config, secrets: SecretStore, log: Logger, now?: () => number): Promise<SingleSignOnOptions | undefined> {
  if (config.oidcIssuer === '') return undefined;
  return {
    client: new OidcClient({ issuer: config.oidcIssuer, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret }, log, now),
    flows: new FlowCookies(await secrets.secret('oidc-flows', randomBytes(32).toString('base64url'))),
    name: config.oidcName !== '' ? config.oidcName : new URL(config.oidcIssuer).hostname,
    publicUrl: config.publicUrl,
  };
}
