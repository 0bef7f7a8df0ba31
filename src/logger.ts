import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Credentials in a URL's query (agent key, ticket, resume token) or fragment (a one-time link's
 * token), a session cookie, a bearer token, an Authorization header.
 */
const SECRETS: ReadonlyArray<[RegExp, string]> = [
  [/([?&;#](?:key|ticket|resume|token)=)[^&\s#"'\\]*/gi, '$1[redacted]'],
  [/(kefu_session=)[^;\s"'\\]*/gi, '$1[redacted]'],
  [/(bearer\s+)[\x21-\x7e]+/gi, '$1[redacted]'],
  [/(authorization\s*:\s*)[^\r\n"\\]*/gi, '$1[redacted]'],
];

/** A text with every credential in it replaced by `[redacted]`. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}

/** Fields that hold a request's raw bytes or its credentials whole: never written. */
const DROP = new Set(['rawPacket', 'authorization', 'cookie']);

// Where a request's URL or headers could be put in a log line by us or by a library.
const REDACT_PATHS = ['rawPacket', '*.rawPacket', 'url', '*.url', 'headers', '*.headers', 'authorization', '*.authorization'];

/**
 * Errors as pino writes them, without the raw bytes Node's HTTP parser attaches to a request it
 * rejects (`rawPacket`: the whole request line and headers, agent key and bearer token included),
 * and with credentials cut out of the message and stack.
 */
function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (DROP.has(key) || Buffer.isBuffer(value) || value instanceof Uint8Array) delete out[key];
    else if (typeof value === 'string') out[key] = scrubSecrets(value);
  }
  return out;
}

function censor(value: unknown, path: string[]): unknown {
  const field = path[path.length - 1] ?? '';
  if (DROP.has(field) || Buffer.isBuffer(value)) return '[redacted]';
  if (typeof value === 'string') return scrubSecrets(value);
  if (value !== null && typeof value === 'object') {
    // A headers object: every header kept but the credentials.
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) out[name] = DROP.has(name.toLowerCase()) ? '[redacted]' : typeof v === 'string' ? scrubSecrets(v) : v;
    return out;
  }
  return value;
}

/**
 * The process's logger (main.ts and server.ts both get theirs here): JSON lines at `level`, to
 * stdout or `destination`. Raw packets and credentials are never written at any level: errors
 * lose `rawPacket`, URLs and headers lose `key=`, `ticket=`, `resume=` and Authorization, and a
 * message text carrying any of them is scrubbed too.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    serializers: { err: serializeError, error: serializeError },
    redact: { paths: REDACT_PATHS, censor },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<typeof method>;
        method.apply(this, scrubbed);
      },
    },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
