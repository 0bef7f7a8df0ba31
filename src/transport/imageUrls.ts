import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring image URLs. A browser's <img> cannot send an Authorization header, so the
 * frame that delivers an image message carries a URL whose query holds an expiry and an HMAC of
 * (id, expiry) under a server secret: a capability that only the two people in the conversation
 * receive (and agents through the API), that dies after a while, and that names no account.
 * The secret is the deployment's own (made once, kept in the database every node shares), so a
 * URL signed by one node is honoured by all, and by the next run. Expiries are rounded to a window, so one image keeps the
 * same URL for a while and the browser's cache serves repeats.
 */
export class ImageUrls {
  private readonly secret: Buffer;

  constructor(
    secret: string,
    private readonly ttlMs: number,
  ) {
    this.secret = createHmac('sha256', secret).update('kefu image urls v1').digest();
  }

  private sign(id: string, exp: number): string {
    return createHmac('sha256', this.secret).update(`${id}\n${exp}`).digest('base64url');
  }

  /** A same-origin path valid for between one and two TTLs from `now`. */
  url(id: string, now: number): string {
    const exp = (Math.floor(now / this.ttlMs) + 2) * this.ttlMs;
    return `/api/images/${id}?exp=${exp}&sig=${this.sign(id, exp)}`;
  }

  /** True when `sig` is ours for this id and expiry, and the expiry has not passed. */
  verify(id: string, exp: unknown, sig: unknown, now: number): boolean {
    if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,15}$/.test(exp)) return false;
    const expiry = Number(exp);
    if (expiry <= now) return false;
    const want = Buffer.from(this.sign(id, expiry));
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}
