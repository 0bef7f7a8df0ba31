import path from 'node:path';
import ipaddr from 'ipaddr.js';

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

interface OptionSpec {
  key: keyof Config;
  env: string;
  flag: string;
  kind: 'port' | 'positiveInt' | 'string' | 'list' | 'store';
  describe: string;
}

/** The table the README's configuration section is written from. */
export const OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'host', env: 'HOST', flag: '--host', kind: 'string', describe: 'interface both ports bind to' },
  { key: 'httpPort', env: 'HTTP_PORT', flag: '--http-port', kind: 'port', describe: 'pages, /getroom, API and /ws' },
  { key: 'wsPort', env: 'WS_PORT', flag: '--ws-port', kind: 'port', describe: 'raw WebSocket port' },
  { key: 'kefuKey', env: 'KEFU_KEY', flag: '--kefu-key', kind: 'string', describe: 'legacy shared agent key' },
  { key: 'sessionIdleMs', env: 'SESSION_IDLE_MS', flag: '--session-idle-ms', kind: 'positiveInt', describe: 'idle lifetime of a console session' },
  { key: 'sessionMaxMs', env: 'SESSION_MAX_MS', flag: '--session-max-ms', kind: 'positiveInt', describe: 'longest lifetime of a console session' },
  {
    key: 'signInFailuresPerAccount',
    env: 'SIGN_IN_FAILURES_PER_ACCOUNT',
    flag: '--sign-in-failures-per-account',
    kind: 'positiveInt',
    describe: 'failed sign-ins that lock a login',
  },
  {
    key: 'signInFailuresPerAddress',
    env: 'SIGN_IN_FAILURES_PER_ADDRESS',
    flag: '--sign-in-failures-per-address',
    kind: 'positiveInt',
    describe: 'failed sign-ins that lock an address',
  },
  { key: 'signInLockoutMs', env: 'SIGN_IN_LOCKOUT_MS', flag: '--sign-in-lockout-ms', kind: 'positiveInt', describe: 'how long a sign-in lock lasts' },
  { key: 'publicUrl', env: 'PUBLIC_URL', flag: '--public-url', kind: 'string', describe: 'the address browsers reach kefu at' },
  { key: 'oidcIssuer', env: 'OIDC_ISSUER', flag: '--oidc-issuer', kind: 'string', describe: 'single sign-on: OpenID provider issuer' },
  { key: 'oidcClientId', env: 'OIDC_CLIENT_ID', flag: '--oidc-client-id', kind: 'string', describe: 'single sign-on: client id' },
  { key: 'oidcClientSecret', env: 'OIDC_CLIENT_SECRET', flag: '--oidc-client-secret', kind: 'string', describe: 'single sign-on: client secret' },
  { key: 'oidcName', env: 'OIDC_NAME', flag: '--oidc-name', kind: 'string', describe: 'single sign-on: button label' },
  { key: 'ticketTtlMs', env: 'TICKET_TTL_MS', flag: '--ticket-ttl-ms', kind: 'positiveInt', describe: 'unused ticket lifetime' },
  {
    key: 'reservationsPerAddress',
    env: 'RESERVATIONS_PER_ADDRESS',
    flag: '--reservations-per-address',
    kind: 'positiveInt',
    describe: 'unused reservations one address may hold',
  },
  { key: 'heartbeatMs', env: 'HEARTBEAT_MS', flag: '--heartbeat-ms', kind: 'positiveInt', describe: 'ping interval' },
  { key: 'maxMessageChars', env: 'MAX_MESSAGE_CHARS', flag: '--max-message-chars', kind: 'positiveInt', describe: 'longest neiRong' },
  { key: 'maxPayloadBytes', env: 'MAX_PAYLOAD_BYTES', flag: '--max-payload-bytes', kind: 'positiveInt', describe: 'largest frame' },
  { key: 'maxBufferedBytes', env: 'MAX_BUFFERED_BYTES', flag: '--max-buffered-bytes', kind: 'positiveInt', describe: 'slow-consumer bound' },
  { key: 'rateBurst', env: 'RATE_BURST', flag: '--rate-burst', kind: 'positiveInt', describe: 'frames allowed at once' },
  { key: 'ratePerSec', env: 'RATE_PER_SEC', flag: '--rate-per-sec', kind: 'positiveInt', describe: 'sustained frames per second' },
  { key: 'abuseBurst', env: 'ABUSE_BURST', flag: '--abuse-burst', kind: 'positiveInt', describe: 'rejected frames before 1008' },
  { key: 'allowedOrigins', env: 'ALLOWED_ORIGINS', flag: '--allowed-origins', kind: 'list', describe: 'extra WebSocket origins' },
  { key: 'trustProxy', env: 'TRUST_PROXY', flag: '--trust-proxy', kind: 'list', describe: 'proxies whose X-Forwarded-For is believed' },
  { key: 'staticDir', env: 'STATIC_DIR', flag: '--static-dir', kind: 'string', describe: 'pages folder' },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', kind: 'string', describe: 'pino level' },
  { key: 'store', env: 'STORE', flag: '--store', kind: 'store', describe: 'sqlite or memory' },
  { key: 'dataDir', env: 'DATA_DIR', flag: '--data-dir', kind: 'string', describe: 'SQLite database folder' },
  { key: 'graceMs', env: 'GRACE_MS', flag: '--grace-ms', kind: 'positiveInt', describe: 'hold for a dropped participant' },
  { key: 'queueMax', env: 'QUEUE_MAX', flag: '--queue-max', kind: 'positiveInt', describe: 'longest waiting queue' },
  { key: 'queueMaxWaitMs', env: 'QUEUE_MAX_WAIT_MS', flag: '--queue-max-wait-ms', kind: 'positiveInt', describe: 'longest wait in the queue' },
  { key: 'redisUrl', env: 'REDIS_URL', flag: '--redis-url', kind: 'string', describe: 'Redis registry and bus' },
  { key: 'databaseUrl', env: 'DATABASE_URL', flag: '--database-url', kind: 'string', describe: 'Postgres store' },
  { key: 'redisPrefix', env: 'REDIS_PREFIX', flag: '--redis-prefix', kind: 'string', describe: 'Redis key prefix' },
  { key: 'pgSchema', env: 'PG_SCHEMA', flag: '--pg-schema', kind: 'string', describe: 'Postgres schema' },
  { key: 'nodeTtlMs', env: 'NODE_TTL_MS', flag: '--node-ttl-ms', kind: 'positiveInt', describe: 'node heartbeat lifetime' },
  { key: 'faqFile', env: 'FAQ_FILE', flag: '--faq-file', kind: 'string', describe: 'FAQ the bot answers from' },
  { key: 'replayLimit', env: 'REPLAY_LIMIT', flag: '--replay-limit', kind: 'positiveInt', describe: 'most messages replayed on resume' },
  { key: 'maxImageBytes', env: 'MAX_IMAGE_BYTES', flag: '--max-image-bytes', kind: 'positiveInt', describe: 'largest image upload' },
  { key: 'imageUrlTtlMs', env: 'IMAGE_URL_TTL_MS', flag: '--image-url-ttl-ms', kind: 'positiveInt', describe: 'signed image URL lifetime' },
  { key: 'getroomPerMinute', env: 'GETROOM_PER_MINUTE', flag: '--getroom-per-minute', kind: 'positiveInt', describe: 'GET /getroom per address per minute' },
  {
    key: 'upgradesPerMinute',
    env: 'UPGRADES_PER_MINUTE',
    flag: '--upgrades-per-minute',
    kind: 'positiveInt',
    describe: 'WebSocket upgrades per address per minute',
  },
  { key: 'uploadsPerMinute', env: 'UPLOADS_PER_MINUTE', flag: '--uploads-per-minute', kind: 'positiveInt', describe: 'image uploads per address per minute' },
  {
    key: 'publicPostsPerMinute',
    env: 'PUBLIC_POSTS_PER_MINUTE',
    flag: '--public-posts-per-minute',
    kind: 'positiveInt',
    describe: 'offline messages per address per minute',
  },
  {
    key: 'maxSocketsPerAddress',
    env: 'MAX_SOCKETS_PER_ADDRESS',
    flag: '--max-sockets-per-address',
    kind: 'positiveInt',
    describe: 'open TCP connections per address',
  },
  { key: 'headerTimeoutMs', env: 'HEADER_TIMEOUT_MS', flag: '--header-timeout-ms', kind: 'positiveInt', describe: 'deadline for request line and headers' },
  { key: 'bodyTimeoutMs', env: 'BODY_TIMEOUT_MS', flag: '--body-timeout-ms', kind: 'positiveInt', describe: 'deadline for a request body' },
  { key: 'uploadTimeoutMs', env: 'UPLOAD_TIMEOUT_MS', flag: '--upload-timeout-ms', kind: 'positiveInt', describe: 'deadline for an image upload' },
  { key: 'uploadIdleMs', env: 'UPLOAD_IDLE_MS', flag: '--upload-idle-ms', kind: 'positiveInt', describe: 'longest stall in an image upload' },
  { key: 'maxImagePixels', env: 'MAX_IMAGE_PIXELS', flag: '--max-image-pixels', kind: 'positiveInt', describe: 'most pixels in an uploaded image' },
  {
    key: 'imageUploadsPerConversation',
    env: 'IMAGE_UPLOADS_PER_CONVERSATION',
    flag: '--image-uploads-per-conversation',
    kind: 'positiveInt',
    describe: 'uploads in progress per conversation',
  },
  {
    key: 'imageUploadsPerAddress',
    env: 'IMAGE_UPLOADS_PER_ADDRESS',
    flag: '--image-uploads-per-address',
    kind: 'positiveInt',
    describe: 'uploads in progress per client address',
  },
  {
    key: 'imageConversationQuotaBytes',
    env: 'IMAGE_CONVERSATION_QUOTA_BYTES',
    flag: '--image-conversation-quota-bytes',
    kind: 'positiveInt',
    describe: 'image storage per conversation',
  },
  { key: 'imageTotalQuotaBytes', env: 'IMAGE_TOTAL_QUOTA_BYTES', flag: '--image-total-quota-bytes', kind: 'positiveInt', describe: 'image storage in all' },
  { key: 'imageUnsentTtlMs', env: 'IMAGE_UNSENT_TTL_MS', flag: '--image-unsent-ttl-ms', kind: 'positiveInt', describe: 'how long an unsent image is kept' },
  {
    key: 'imageRetentionMs',
    env: 'IMAGE_RETENTION_MS',
    flag: '--image-retention-ms',
    kind: 'positiveInt',
    describe: 'how long images outlive their conversation',
  },
];

/** Defaults. */
export function defaultConfig(): Config {
  return {
    host: '0.0.0.0',
    httpPort: 3001,
    wsPort: 3000,
    kefuKey: '',
    // A week away signs a console out; a month signs in again however busy.
    sessionIdleMs: 7 * 24 * 60 * 60_000,
    sessionMaxMs: 30 * 24 * 60 * 60_000,
    // Five wrong passwords for one login in a quarter hour lock it for a quarter hour (an agent
    // who mistypes now and then never gets there: a success clears the count); an office behind
    // one address gets room for thirty.
    signInFailuresPerAccount: 5,
    signInFailuresPerAddress: 30,
    signInLockoutMs: 15 * 60_000,
    publicUrl: '',
    oidcIssuer: '',
    oidcClientId: '',
    oidcClientSecret: '',
    oidcName: '',
    // Long enough for a page to connect with its ticket, short enough that one never used
    // (a crawler, a seed client that gave up) holds an agent only briefly.
    ticketTtlMs: 15_000,
    reservationsPerAddress: 3,
    heartbeatMs: 30_000,
    maxMessageChars: 2000,
    maxPayloadBytes: 64 * 1024,
    maxBufferedBytes: 1024 * 1024,
    rateBurst: 20,
    ratePerSec: 5,
    abuseBurst: 20,
    allowedOrigins: [],
    trustProxy: [],
    staticDir: path.join(__dirname, '..', 'static'),
    logLevel: 'info',
    dataDir: 'data',
    store: 'sqlite',
    graceMs: 60_000,
    queueMax: 50,
    queueMaxWaitMs: 10 * 60_000,
    replayLimit: 1000,
    redisUrl: '',
    databaseUrl: '',
    redisPrefix: 'kefu:',
    pgSchema: '',
    nodeTtlMs: 5000,
    maxImageBytes: 5 * 1024 * 1024,
    imageUrlTtlMs: 60 * 60_000,
    maxImagePixels: 50_000_000,
    imageUploadsPerConversation: 2,
    imageUploadsPerAddress: 4,
    imageConversationQuotaBytes: 50 * 1024 * 1024,
    imageTotalQuotaBytes: 2 * 1024 * 1024 * 1024,
    imageUnsentTtlMs: 60 * 60_000,
    imageRetentionMs: 90 * 24 * 60 * 60_000,
    faqFile: path.join(__dirname, '..', 'faq', 'faq.zh.json'),
    // Generous enough for an office or a mobile carrier's many customers behind one address
    // (dozens asking at once still get placed), tight enough to slow a flood to a trickle.
    getroomPerMinute: 120,
    upgradesPerMinute: 240,
    uploadsPerMinute: 30,
    publicPostsPerMinute: 5,
    maxSocketsPerAddress: 256,
    headerTimeoutMs: 5000,
    bodyTimeoutMs: 10_000,
    // A 5 MiB image over a slow phone link (about 200 kbit/s) takes some 3.5 minutes.
    uploadTimeoutMs: 5 * 60_000,
    uploadIdleMs: 30_000,
  };
}

/** Thrown for a value that cannot start the server; main prints it and exits 2. */
export class ConfigError extends Error {}

function parseValue(spec: OptionSpec, raw: string): Config[keyof Config] {
  switch (spec.kind) {
    case 'port': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > 65535) throw new ConfigError(`${spec.env}/${spec.flag}: "${raw}" is not a port (0-65535)`);
      return n;
    }
    case 'positiveInt': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || !Number.isSafeInteger(n)) {
        throw new ConfigError(`${spec.env}/${spec.flag}: "${raw}" is not a positive integer`);
      }
      return n;
    }
    case 'store':
      if (raw !== 'sqlite' && raw !== 'memory') throw new ConfigError(`${spec.env}/${spec.flag}: "${raw}" is not sqlite or memory`);
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'string':
      if (raw.length === 0) throw new ConfigError(`${spec.env}/${spec.flag}: empty value`);
      return raw;
  }
}

/**
 * Builds the config from defaults, then env, then command-line flags (`--flag value` or
 * `--flag=value`), so a flag beats the environment. Unknown flags are an error, not ignored:
 * a typo must not silently start the server on the wrong port.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const config = defaultConfig();
  const set = (spec: OptionSpec, raw: string): void => {
    (config as unknown as Record<string, unknown>)[spec.key] = parseValue(spec, raw);
  };
  for (const spec of OPTION_SPECS) {
    const raw = env[spec.env];
    if (raw !== undefined && raw !== '') set(spec, raw);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const spec = OPTION_SPECS.find((s) => s.flag === flag);
    if (!spec) throw new ConfigError(`unknown option ${arg}`);
    const raw = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (raw === undefined) throw new ConfigError(`${flag} needs a value`);
    set(spec, raw);
  }
  if (config.kefuKey !== '' && config.kefuKey.length < 8) throw new ConfigError('KEFU_KEY must be at least 8 characters');
  if (config.redisUrl !== '' && !/^rediss?:\/\//.test(config.redisUrl)) throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  if (config.databaseUrl !== '' && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres://');
  }
  if (config.pgSchema !== '' && !/^[a-z_][a-z0-9_]{0,62}$/.test(config.pgSchema)) throw new ConfigError('PG_SCHEMA must be a lower-case SQL identifier');
  for (const entry of config.trustProxy) {
    if (!isProxySpec(entry)) throw new ConfigError(`TRUST_PROXY: "${entry}" is not an address, a CIDR range, loopback, linklocal or uniquelocal`);
  }
  if (config.maxPayloadBytes < 1024) throw new ConfigError('MAX_PAYLOAD_BYTES must be at least 1024');
  checkSingleSignOn(config);
  return config;
}

/**
 * PUBLIC_URL and the OIDC_* options: the three that make single sign-on come together or not at
 * all; the issuer over https, or plain http only on this machine (a provider started for tests or
 * development), since its answers are what signs an agent in.
 */
function checkSingleSignOn(config: Config): void {
  if (config.publicUrl !== '') {
    const url = parseUrl(config.publicUrl);
    if (url === undefined || !['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '') {
      throw new ConfigError('PUBLIC_URL must be an http:// or https:// address without a query or fragment');
    }
    config.publicUrl = url.href.replace(/\/+$/, '');
  }
  const set = [config.oidcIssuer, config.oidcClientId, config.oidcClientSecret].filter((v) => v !== '').length;
  if (set === 0) {
    if (config.oidcName !== '') throw new ConfigError('OIDC_NAME needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
    return;
  }
  if (set !== 3) throw new ConfigError('OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three, or none');
  const issuer = parseUrl(config.oidcIssuer);
  if (issuer === undefined || !(issuer.protocol === 'https:' || (issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname)))) {
    throw new ConfigError('OIDC_ISSUER must be an https:// URL (http:// only for a provider on localhost)');
  }
  if (config.oidcName.length > 60 || /\p{Cc}/u.test(config.oidcName))
    throw new ConfigError('OIDC_NAME must be at most 60 characters, without control characters');
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** localhost, 127.0.0.0/8 or ::1: a provider on this machine. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An entry proxy-addr understands: a name, an address, or an address with a prefix length. */
function isProxySpec(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  if (ipaddr.isValid(entry)) return true;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}
