import { generateSecret, generateURI, verifySync } from 'otplib';

/** How far a code may be off the server's clock: one 30-second step either way (RFC 6238 §5.2). */
const TOLERANCE_S = 30;
/** The time step of the codes authenticator apps show (otplib's default, RFC 6238's). */
const PERIOD_S = 30;

/** A new TOTP secret (160 bits, base32, as authenticator apps take it). */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// URI an authenticator app reads from the enrolment QR code. */
export function totpUri(secret: string, login: string, issuer = 'kefu'): string {
  return generateURI({ issuer, label: login, secret });
}

/**
 * Checks a six-digit code against the secret at `nowMs`; the time step it matched is returned so
 * the caller can refuse that step's code a second time (AccountStore.useTotpStep).
 */
export function checkTotp(secret: string, code: string, nowMs: number): { ok: true; step: number } | { ok: false } {
  try {
    const epoch = Math.floor(nowMs / 1000);
    const result = verifySync({ secret, token: code, epoch, epochTolerance: TOLERANCE_S });
    return result.valid ? { ok: true, step: Math.floor(epoch / PERIOD_S) + result.delta } : { ok: false };
  } catch {
    return { ok: false };
  }
}
