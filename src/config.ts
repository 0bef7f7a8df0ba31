import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { OPTION_SPECS, type OptionSpec } from './configOptions.js';
import type { Config, PrechatFields } from './configShape.js';
import { isTimeZone, parseWeeklyHours } from './domain/businessHours.js';

export { OPTION_SPECS };
export type { Config };

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
    widgetOrigins: [],
    widgetSecret: '',
    identityRequired: false,
    prechatFields: { email: 'off', question: 'off' },
    businessHours: null,
    businessTz: '',
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
    case 'switch':
      if (raw !== '0' && raw !== '1') throw new ConfigError(`${spec.env}/${spec.flag}: "${raw}" is not 0 or 1`);
      return raw === '1';
    case 'prechat':
      return parsePrechat(spec, raw);
    case 'weeklyHours': {
      const parsed = parseWeeklyHours(raw);
      if (!parsed.ok) throw new ConfigError(`${spec.env}/${spec.flag}: ${parsed.reason}; write e.g. "mon-fri 09:00-18:00; sat 10:00-14:00"`);
      return parsed.week;
    }
    case 'timeZone':
      if (!isTimeZone(raw)) throw new ConfigError(`${spec.env}/${spec.flag}: "${raw}" is not an IANA time zone such as Asia/Shanghai or Europe/Berlin`);
      return raw;
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
  checkWidget(config);
  if (config.businessHours !== null && config.businessTz === '') {
    throw new ConfigError('BUSINESS_HOURS needs BUSINESS_TZ, the IANA time zone the hours are in (such as Asia/Shanghai)');
  }
  return config;
}

/**
 * PRECHAT_FIELDS: `name`, `email` and `question`, comma-separated, each optionally `:required`
 * or `:optional` (e-mail and question are optional unless marked; the name is always required).
 */
function parsePrechat(spec: OptionSpec, raw: string): PrechatFields {
  const fields: PrechatFields = { email: 'off', question: 'off' };
  for (const entry of raw.split(',').map((s) => s.trim())) {
    const [field = '', mode = field === 'name' ? 'required' : 'optional', extra] = entry.split(':');
    const known = field === 'name' || field === 'email' || field === 'question';
    if (!known || extra !== undefined || (mode !== 'required' && mode !== 'optional') || (field === 'name' && mode === 'optional')) {
      throw new ConfigError(
        `${spec.env}/${spec.flag}: "${entry}" is not a field: write name, email or question, each optionally :required or :optional (the name is always required), e.g. name,email:required,question`,
      );
    }
    if (field !== 'name') fields[field] = mode;
  }
  return fields;
}

/** Shortest WIDGET_SECRET: 32 characters (`openssl rand -hex 32` gives 64), too long to guess. */
const MIN_WIDGET_SECRET_CHARS = 32;

/**
 * WIDGET_ORIGINS, WIDGET_SECRET and IDENTITY_REQUIRED. Each origin must be written exactly as a
 * browser sends it (scheme, host, port only if not the default, nothing after), because it is
 * compared as a string and written into the customer page's frame-ancestors.
 */
function checkWidget(config: Config): void {
  for (const origin of config.widgetOrigins) {
    const url = parseUrl(origin);
    // The host as a browser sends it: letters, digits, dots and hyphens, or a bracketed IPv6 address (never a wildcard).
    const plainHost = url !== undefined && /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])$/.test(url.hostname);
    if (url === undefined || !plainHost || !['http:', 'https:'].includes(url.protocol) || url.origin !== origin) {
      throw new ConfigError(`WIDGET_ORIGINS: "${origin}" is not an exact origin such as https://shop.example.com (no path, no trailing slash, no wildcard)`);
    }
  }
  if (config.widgetSecret !== '' && config.widgetSecret.length < MIN_WIDGET_SECRET_CHARS) {
    throw new ConfigError(`WIDGET_SECRET must be at least ${MIN_WIDGET_SECRET_CHARS} characters`);
  }
  if (config.identityRequired && config.widgetSecret === '') throw new ConfigError('IDENTITY_REQUIRED=1 needs WIDGET_SECRET');
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
