import { TokenBucket } from './tokenBucket.js';

/**
 * A token bucket per client address, for public HTTP endpoints that write (offline messages).
 * The number of addresses kept is bounded: past it the oldest is forgotten, so a flood from
 * many addresses costs memory up to the bound, never more.
 */
export class AddressRateLimit {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly burst: number,
    private readonly perSec: number,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Takes one token for this address; false when it has none left. */
  take(address: string, now: number): boolean {
    let bucket = this.buckets.get(address);
    if (!bucket) {
      if (this.buckets.size >= this.maxAddresses) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
      bucket = new TokenBucket(this.burst, this.perSec, now);
      this.buckets.set(address, bucket);
    }
    return bucket.take(now);
  }
}
