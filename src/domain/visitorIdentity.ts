import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A visitor as the embedding site's backend vouches for them: its own user id, and optionally the
 * name and e-mail address it knows them by, valid until `expiry` (seconds since the epoch).
 */
export interface VisitorIdentity {
  id: string;
  /** Empty: the site gave none (the visitor types their own). */
  name: string;
  /** Empty: the site gave none. */
  email: string;
  expiry: number;
}

/** What the page passed on: every field as the query string carried it, signature included. */
export interface ClaimedIdentity {
  id: string;
  name: string;
  email: string;
  expiry: string;
  signature: string;
}

export type IdentityCheck =
  | { ok: true; identity: VisitorIdentity }
  /**
   * malformed: a field missing, too long, holding a control character, or a signature that is
   * not 64 hex digits; bad_signature: not signed with our secret (or a field changed since);
   * expired: signed by us, but its expiry has passed.
   */
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** The first line of the signed text: a later format gets a new one, so no signature can be read as another's. */
export const IDENTITY_FORMAT = 'kefu-identity-v1';

const MAX_ID_CHARS = 128;
const MAX_NAME_CHARS = 64;
const MAX_EMAIL_CHARS = 254;

// A line break would let one field pose as two in the signed text; no field needs any control character.
const CONTROL = /\p{Cc}/u;

/**
 * The exact text the site signs: the format line, then id, name, e-mail and expiry, each on its
 * own line, joined by a single "\n" with none at the end, as UTF-8. Empty name or e-mail: an empty line.
 */
export function identityText(identity: VisitorIdentity): string {
  return [IDENTITY_FORMAT, identity.id, identity.name, identity.email, String(identity.expiry)].join('\n');
}

/** HMAC-SHA256 of identityText under the secret, as 64 lower-case hex digits: what the site's backend computes. */
export function signIdentity(secret: string, identity: VisitorIdentity): string {
  return createHmac('sha256', secret).update(identityText(identity), 'utf8').digest('hex');
}

function fieldOk(value: string, max: number, required: boolean): boolean {
  const chars = [...value].length;
  return (required ? chars >= 1 : true) && chars <= max && !CONTROL.test(value);
}

/**
 * Checks a claimed identity: well formed, signed with `secret` (compared in constant time, so the
 * time taken says nothing about how much of a guess was right), and not expired at `nowMs`.
 */
export function verifyIdentity(secret: string, claimed: ClaimedIdentity, nowMs: number): IdentityCheck {
  if (
    !fieldOk(claimed.id, MAX_ID_CHARS, true) ||
    !fieldOk(claimed.name, MAX_NAME_CHARS, false) ||
    !fieldOk(claimed.email, MAX_EMAIL_CHARS, false) ||
    !/^\d{1,12}$/.test(claimed.expiry) ||
    !/^[0-9a-fA-F]{64}$/.test(claimed.signature)
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const identity: VisitorIdentity = { id: claimed.id, name: claimed.name, email: claimed.email, expiry: Number(claimed.expiry) };
  const expected = Buffer.from(signIdentity(secret, identity), 'hex');
  const given = Buffer.from(claimed.signature, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  // Told apart from a bad signature only once the signature is ours: a forger learns nothing from it.
  if (identity.expiry * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, identity };
}

/** Prefix of a visitor id that comes from a signed identity; anonymous ids are 22 characters and never this long. */
const SIGNED_VISITOR_PREFIX = 's-';

/**
 * The visitor id of a signed identity: the site's user id hashed into the visitor id's alphabet
 * and length (`s-` and 43 base64url characters), so any id the site uses fits, and the same user
 * is the same visitor on every device and browser.
 */
export function signedVisitorId(id: string): string {
  return SIGNED_VISITOR_PREFIX + createHash('sha256').update(`${IDENTITY_FORMAT}\n${id}`, 'utf8').digest('base64url');
}

/**
 * True for a visitor id of the signed form. Sent without a verified identity it is a claim to be
 * someone the site vouched for, and is dropped: the hash is public, the signature is what counts.
 */
export function isSignedVisitorId(visitor: string): boolean {
  return visitor.startsWith(SIGNED_VISITOR_PREFIX) && visitor.length === SIGNED_VISITOR_PREFIX.length + 43;
}
