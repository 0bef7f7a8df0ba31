import type { DailyOpening } from './domain/businessHours.js';

/** Whether the customer's start form shows a field, and whether it must be filled in. */
export type PrechatField = 'off' | 'optional' | 'required';

/** The pre-chat form's fields besides the name, which is always asked (the protocol needs it). */
export interface PrechatFields {
  email: PrechatField;
  question: PrechatField;
}

/** Everything the server can be told at start, validated once. */
export interface Config {
  host: string;
  httpPort: number;
  wsPort: number;
  /**
   * The legacy shared agent key (KEFU_KEY): seed clients present it as `key=`, scripts as a bearer
   * token. Empty: there is no shared key at all, and agents sign in with their accounts.
   */
  kefuKey: string;
  /** A console session not seen for this long ends. */
  sessionIdleMs: number;
  /** A console session ends this long after its sign-in, however busy. */
  sessionMaxMs: number;
  /** Failed sign-ins for one login (from anywhere) before it is locked. */
  signInFailuresPerAccount: number;
  /** Failed sign-ins from one client address (for any login) before it is locked. */
  signInFailuresPerAddress: number;
  /** How long a lock lasts, and the window failures are counted over. */
  signInLockoutMs: number;
  /**
   * The address browsers reach kefu at (`https://chat.example.com`, no trailing slash), where a
   * single sign-on provider sends them back to. Empty: taken from each request (see oidcApi).
   */
  publicUrl: string;
  /** Single sign-on: the OpenID provider's issuer URL. Empty: no single sign-on. */
  oidcIssuer: string;
  /** Single sign-on: kefu's client id at the provider. */
  oidcClientId: string;
  /** Single sign-on: kefu's client secret at the provider. */
  oidcClientSecret: string;
  /** Single sign-on: the provider's name on the sign-in button; empty: the issuer's host name. */
  oidcName: string;
  /** How long an unused ticket is valid; a ticket for a free agent holds them this long at most. */
  ticketTtlMs: number;
  /** Unused reservations of free agents one client address may hold at once. */
  reservationsPerAddress: number;
  heartbeatMs: number;
  maxMessageChars: number;
  maxPayloadBytes: number;
  maxBufferedBytes: number;
  rateBurst: number;
  ratePerSec: number;
  /** Rejected frames a connection may accumulate (refilled at 1/s) before it is closed 1008. */
  abuseBurst: number;
  /** Extra origins allowed to open a WebSocket, besides the server's own and localhost. */
  allowedOrigins: string[];
  /**
   * Sites whose pages may embed the customer page with widget.js (exact origins such as
   * `https://shop.example.com`): they frame it, and open its WebSocket and postMessage channel.
   */
  widgetOrigins: string[];
  /** The key embedding sites sign visitor identities with (HMAC-SHA256); empty: identities are not checked. */
  widgetSecret: string;
  /** Refuse customers who bring no valid signed identity (needs WIDGET_SECRET). */
  identityRequired: boolean;
  /** PRECHAT_FIELDS: what the customer's start form asks besides the name. */
  prechatFields: PrechatFields;
  /** BUSINESS_HOURS, seven days Monday first; null: always open. */
  businessHours: DailyOpening[][] | null;
  /** BUSINESS_TZ: the IANA time zone the hours are in (required with BUSINESS_HOURS). */
  businessTz: string;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDR ranges, or `loopback`,
   * `linklocal`, `uniquelocal`); empty: the socket's own peer address is the client's.
   */
  trustProxy: string[];
  staticDir: string;
  logLevel: string;
  /** Where the SQLite database lives. */
  dataDir: string;
  /** `sqlite` (durable, the default) or `memory` (nothing on disk). */
  store: 'sqlite' | 'memory';
  /** How long a dropped participant's place is held. */
  graceMs: number;
  queueMax: number;
  queueMaxWaitMs: number;
  replayLimit: number;
  /** redis:// URL: selects the Redis registry and bus (several nodes). Empty: in-process. */
  redisUrl: string;
  /** postgres:// URL: selects the Postgres store (shared by nodes). Empty: STORE decides. */
  databaseUrl: string;
  /** Key prefix in Redis, so several deployments can share one Redis. */
  redisPrefix: string;
  /** Postgres schema to use (created if missing); empty: the connection's default. */
  pgSchema: string;
  /** A node whose heartbeat is older than this is dead (Redis mode). */
  nodeTtlMs: number;
  /** Largest image upload, in bytes. */
  maxImageBytes: number;
  /** How long a signed image URL works (between one and two of these). */
  imageUrlTtlMs: number;
  /** Most pixels (width × height) an uploaded image's header may claim. */
  maxImagePixels: number;
  /** Image uploads one conversation may have in progress at once, per node. */
  imageUploadsPerConversation: number;
  /** Image uploads one client address may have in progress at once, per node. */
  imageUploadsPerAddress: number;
  /** Most one conversation's images may take, in bytes (each image counts 4 KiB more than its size). */
  imageConversationQuotaBytes: number;
  /** Most all stored images may take together, in bytes, counted the same way. */
  imageTotalQuotaBytes: number;
  /** An image no message refers to is removed this long after its upload. */
  imageUnsentTtlMs: number;
  /** A conversation's images are removed once it ended this long ago. */
  imageRetentionMs: number;
  /** The FAQ the bot answers waiting customers from (JSON, reloaded when it changes). */
  faqFile: string;
  // Limits per client address (ClientAddresses: the peer, or X-Forwarded-For from TRUST_PROXY).
  // Each rate is a count per minute; an address past it is refused with 429 for a minute.
  /** GET /getroom per address per minute. */
  getroomPerMinute: number;
  /** WebSocket upgrades (either port) per address per minute. */
  upgradesPerMinute: number;
  /** POST /api/images per address per minute. */
  uploadsPerMinute: number;
  /** Public POSTs that need no credential (offline messages) per address per minute. */
  publicPostsPerMinute: number;
  /** Open TCP connections per address over both ports; trusted proxies are exempt. */
  maxSocketsPerAddress: number;
  /** A socket must complete a request's line and headers (or its upgrade) within this. */
  headerTimeoutMs: number;
  /** A request body (other than an upload) must arrive whole within this. */
  bodyTimeoutMs: number;
  /** An image upload must arrive whole within this... */
  uploadTimeoutMs: number;
  /** ...and may not stall for longer than this. */
  uploadIdleMs: number;
}
