import { createHash, timingSafeEqual } from 'node:crypto';

/** The shared agent secret, compared in constant time so its length and prefix do not leak. */
export class AgentKey {
  private readonly digest: Buffer;

  constructor(key: string) {
    this.digest = createHash('sha256').update(key).digest();
  }

  matches(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    return timingSafeEqual(this.digest, createHash('sha256').update(candidate).digest());
  }
}
