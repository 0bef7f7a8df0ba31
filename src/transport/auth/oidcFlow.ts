import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie that carries a single sign-on in progress from its start to the provider's callback. */
export const FLOW_COOKIE = 'kefu_oidc';
/** Only the callback needs it, so only requests under this path carry it. */
const FLOW_PATH = '/api/auth/oidc';
/** Time to sign in at the provider; a flow older than this is refused at the callback. */
export const FLOW_TTL_MS = 10 * 60_000;

/** What the callback must check the provider's answer against: one sign-on, one browser. */
export interface Flow {
  /** Echoed by the provider: the answer is to this browser's request (no login CSRF). */
  state: string;
  /** Inside the ID token: the token was made for this request. */
  nonce: string;
  /** PKCE: only who started the flow can exchange its code. */
  verifier: string;
  /** The redirect URI sent at the start; the token request must send the same. */
  redirectUri: string;
  expiresAt: number;
}

/**
 * A sign-on in progress, kept in the browser that started it rather than on the server: an
 * HttpOnly, SameSite=Lax cookie (the provider's redirect back is a top-level GET, which Lax
 * cookies go with) holding the flow in JSON with an HMAC of the server secret every node shares,
 * so any node can finish what another started and nobody can forge or alter one. The verifier
 * in it is no secret from this browser, whose sign-in it is; nobody else ever sees it.
 */
export class FlowCookies {
  constructor(
    private readonly secret: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Set-Cookie value that starts a flow. */
  issue(flow: Omit<Flow, 'expiresAt'>, secure: boolean): string {
    const payload = Buffer.from(JSON.stringify({ ...flow, expiresAt: this.now() + FLOW_TTL_MS })).toString('base64url');
    return cookie(`${payload}.${this.mac(payload)}`, Math.floor(FLOW_TTL_MS / 1000), secure);
  }

  /** The Set-Cookie value that ends a flow (the callback uses each once). */
  cleared(secure: boolean): string {
    return cookie('', 0, secure);
  }

  /** The flow a request's cookie carries, if it carries one this deployment made and it has not expired. */
  read(req: IncomingMessage): Flow | undefined {
    const value = cookieValue(req, FLOW_COOKIE);
    const dot = value?.indexOf('.') ?? -1;
    if (value === undefined || dot === -1) return undefined;
    const payload = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(payload), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let flow: unknown;
    try {
      flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    if (!isFlow(flow) || flow.expiresAt <= this.now()) return undefined;
    return flow;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(`${FLOW_COOKIE}:${payload}`).digest('base64url');
  }
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${FLOW_COOKIE}=${value}; Path=${FLOW_PATH}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function isFlow(v: unknown): v is Flow {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  return (
    typeof f.state === 'string' &&
    typeof f.nonce === 'string' &&
    typeof f.verifier === 'string' &&
    typeof f.redirectUri === 'string' &&
    typeof f.expiresAt === 'number'
  );
}
