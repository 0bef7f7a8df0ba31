import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { isSignedVisitorId, signedVisitorId, verifyIdentity, type ClaimedIdentity, type VisitorIdentity } from '../domain/visitorIdentity.js';
import { CloseCode } from '../protocol/closeCodes.js';
import { HttpError } from '../protocol/errorCodes.js';
import { closeReasons } from '../protocol/notices.js';

/** WIDGET_SECRET and IDENTITY_REQUIRED. */
export interface IdentityOptions {
  /** Empty: identities are not checked, and identity parameters are ignored. */
  secret: string;
  /** Refuse a visitor who brings no signed identity (needs `secret`). */
  required: boolean;
  now?: () => number;
}

/** The query parameters a visitor identity travels in, on /getroom and on the customer's WebSocket URL. */
export const IDENTITY_PARAMS: Readonly<Record<keyof ClaimedIdentity, string>> = {
  id: 'identityId',
  name: 'identityName',
  email: 'identityEmail',
  expiry: 'identityExpiry',
  signature: 'identitySignature',
};

/** How a visitor's identity ended: passed (the query is rewritten in place; `identity` when verified), or refused. */
export type IdentityVerdict =
  | { ok: true; signed: false }
  | { ok: true; signed: true; identity: VisitorIdentity }
  | { ok: false; status: 401 | 403; error: string; message: string; reason?: string; closeReason: string };

const REQUIRED: IdentityVerdict = {
  ok: false,
  status: 401,
  error: HttpError.IDENTITY_REQUIRED,
  message: 'a signed visitor identity is required (see docs/operations.md, Embedding the widget)',
  closeReason: closeReasons.identityRequired,
};

/**
 * Resolves the identity parameters of a customer's request into the plain parameters the rest of
 * the server already reads, so /getroom and the gateway treat a verified visitor exactly as any
 * other: a verified identity sets `visitor` to its signed visitor id and, when it carries a name,
 * the name parameter (`userName` on /getroom, `name` on the socket) to it. The identity parameters
 * themselves are removed, and so is a visitor id of the signed form that no verified identity
 * backs. Without a secret the identity parameters are only dropped: an unsigned claim never names
 * a visitor (the page uses an unsigned name as a hint for the name field, nothing more).
 * `nameParam` null leaves the name as it is (a resume, whose name is the seat's).
 */
export function resolveIdentity(params: URLSearchParams, options: IdentityOptions, nameParam: 'userName' | 'name' | null): IdentityVerdict {
  const claimed: Partial<Record<keyof ClaimedIdentity, string>> = {};
  let present = false;
  let repeated = false;
  for (const [field, param] of Object.entries(IDENTITY_PARAMS) as Array<[keyof ClaimedIdentity, string]>) {
    const values = params.getAll(param);
    params.delete(param);
    if (values.length > 0) present = true;
    if (values.length > 1) repeated = true;
    claimed[field] = values[0] ?? '';
  }
  const visitors = params.getAll('visitor');
  if (visitors.some(isSignedVisitorId)) {
    params.delete('visitor');
    for (const v of visitors) if (!isSignedVisitorId(v)) params.append('visitor', v);
  }
  if (options.secret === '') return { ok: true, signed: false };
  if (!present) return options.required ? REQUIRED : { ok: true, signed: false };
  const check = repeated
    ? ({ ok: false, reason: 'malformed' } as const)
    : verifyIdentity(options.secret, claimed as ClaimedIdentity, (options.now ?? Date.now)());
  if (!check.ok) {
    return {
      ok: false,
      status: 403,
      error: HttpError.BAD_IDENTITY,
      message: 'the visitor identity is malformed, not signed with WIDGET_SECRET, or expired',
      reason: check.reason,
      closeReason: closeReasons.badIdentity,
    };
  }
  params.set('visitor', signedVisitorId(check.identity.id));
  if (check.identity.name !== '' && nameParam !== null) params.set(nameParam, check.identity.name);
  return { ok: true, signed: true, identity: check.identity };
}

/** The path and rewritten query of a request URL. */
function withQuery(url: URL): string {
  const query = url.searchParams.toString();
  return query === '' ? url.pathname : `${url.pathname}?${query}`;
}

/**
 * GET /getroom's identity check, mounted in front of it: refuses (401 identity_required, 403
 * bad_identity) or rewrites the request's query (Express reads req.query from req.url) and passes on.
 */
export function getroomIdentity(options: IdentityOptions): RequestHandler {
  return (req, res, next) => {
    const url = new URL(req.url, 'http://x');
    const verdict = resolveIdentity(url.searchParams, options, 'userName');
    if (!verdict.ok) {
      res.setHeader('Cache-Control', 'no-store');
      res.status(verdict.status).json({ error: verdict.error, message: verdict.message, ...(verdict.reason ? { reason: verdict.reason } : {}) });
      return;
    }
    req.url = withQuery(url);
    next();
  };
}

/** What the gate made of a customer's socket: the close to send, or on, with the identity the site signed, if any. */
export type CustomerGateVerdict = { ok: false; code: number; reason: string } | { ok: true; identity?: VisitorIdentity };

/**
 * The same check on a customer's WebSocket, before the query is read. A socket with a ticket is
 * checked as /getroom checks: refused (4401), or let on with its URL rewritten and the verified
 * identity, which the agent's console shows as verified. A socket that resumes with its token
 * proved who it is when the conversation began, and an identity that has expired since must not
 * cut a conversation short: it is never refused, and an identity it brings counts only when it
 * verifies and names the same person (otherwise it is dropped, as an unsigned one is).
 */
export function socketIdentity(options: IdentityOptions): (req: IncomingMessage) => CustomerGateVerdict | undefined {
  return (req) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.get('type') !== 'yonghu') return undefined;
    const resuming = url.searchParams.has('resume');
    const verdict = resolveIdentity(url.searchParams, resuming ? { ...options, required: false } : options, resuming ? null : 'name');
    if (!verdict.ok && !resuming) return { ok: false, code: CloseCode.UNAUTHORIZED, reason: verdict.closeReason };
    req.url = withQuery(url);
    if (!verdict.ok || !verdict.signed) return { ok: true };
    const { identity } = verdict;
    if (resuming && identity.name !== '' && identity.name !== url.searchParams.get('name')) {
      // Not the person seated: the conversation goes on, unverified, under no one else's visitor id.
      url.searchParams.delete('visitor');
      req.url = withQuery(url);
      return { ok: true };
    }
    return { ok: true, identity };
  };
}
