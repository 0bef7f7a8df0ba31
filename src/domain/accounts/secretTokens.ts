import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret (a session, an API token, a one-time link): 256 random bits, URL-safe. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * How every such secret is kept: its sha256. The tokens are random and long, so a plain hash is
 * enough (no salt or slow hash needed, unlike a password), and a leaked database opens nothing.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
