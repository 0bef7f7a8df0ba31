import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityText, isSignedVisitorId, signedVisitorId, signIdentity, verifyIdentity, type ClaimedIdentity } from '../../src/domain/visitorIdentity.js';

const SECRET = 'a-widget-secret-of-at-least-32-chars!';
const NOW = 1_800_000_000_000;
const EXPIRY = NOW / 1000 + 600;

/** A claim signed by the documented recipe, written out here rather than taken from the code under test. */
function claim(fields: Partial<ClaimedIdentity> = {}, secret = SECRET): ClaimedIdentity {
  const base = { id: 'user-42', name: '王先生', email: 'wang@example.com', expiry: String(EXPIRY), ...fields };
  const text = `kefu-identity-v1\n${base.id}\n${base.name}\n${base.email}\n${base.expiry}`;
  return { ...base, signature: createHmac('sha256', secret).update(text, 'utf8').digest('hex'), ...fields };
}

describe('verifyIdentity', () => {
  it('accepts an identity signed with the secret and not yet expired', () => {
    expect(verifyIdentity(SECRET, claim(), NOW)).toEqual({ ok: true, identity: { id: 'user-42', name: '王先生', email: 'wang@example.com', expiry: EXPIRY } });
  });

  it('accepts upper-case hex and empty name and e-mail', () => {
    const c = claim({ name: '', email: '' });
    expect(verifyIdentity(SECRET, { ...c, signature: c.signature.toUpperCase() }, NOW).ok).toBe(true);
  });

  it('refuses an identity signed with another secret', () => {
    expect(verifyIdentity(SECRET, claim({}, 'another-secret-another-secret-0000'), NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses an identity whose expiry has passed', () => {
    expect(verifyIdentity(SECRET, claim(), EXPIRY * 1000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyIdentity(SECRET, claim(), EXPIRY * 1000 - 1).ok).toBe(true);
  });

  it.each([
    ['id', { id: 'user-43' }],
    ['name', { name: '老板' }],
    ['email', { email: 'boss@example.com' }],
    ['expiry', { expiry: String(EXPIRY + 3600) }],
  ])('refuses an identity whose %s was changed after signing', (_field, change) => {
    expect(verifyIdentity(SECRET, { ...claim(), ...change }, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a field that would pose as two lines of the signed text', () => {
    // id "a\nb" with name "" signs the same text as id "a" with name "b": line breaks are refused outright.
    expect(verifyIdentity(SECRET, claim({ id: 'a\nb', name: '' }), NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['an empty id', { id: '' }],
    ['an expiry that is not a whole number', { expiry: '1.5' }],
    ['a signature that is not 64 hex digits', { signature: 'abc' }],
    ['a name over 64 characters', { name: 'x'.repeat(65) }],
  ])('refuses %s as malformed', (_what, change) => {
    expect(verifyIdentity(SECRET, { ...claim(), ...change }, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('signs what it verifies', () => {
    const identity = { id: 'u', name: '', email: '', expiry: EXPIRY };
    expect(identityText(identity)).toBe(`kefu-identity-v1\nu\n\n\n${EXPIRY}`);
    expect(verifyIdentity(SECRET, { ...identity, expiry: String(EXPIRY), signature: signIdentity(SECRET, identity) }, NOW).ok).toBe(true);
  });
});

describe('signedVisitorId', () => {
  it('is the same for the same user, fits the visitor id alphabet, and is told apart from anonymous ids', () => {
    const id = signedVisitorId('user-42');
    expect(id).toBe(signedVisitorId('user-42'));
    expect(id).not.toBe(signedVisitorId('user-43'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(isSignedVisitorId(id)).toBe(true);
    expect(isSignedVisitorId('s-AAAAAAAAAAAAAAAAAAAA')).toBe(false);
  });
});
