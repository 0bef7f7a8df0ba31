import { randomBytes } from 'node:crypto';

/** A customer's ticket: 144 random bits, URL-safe, unguessable. */
export function newTicket(): string {
  return randomBytes(18).toString('base64url');
}
