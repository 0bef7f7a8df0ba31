import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How many failed sign-ins lock a login or an address, and for how long. */
export interface SignInLimitOptions {
  failuresPerAccount: number;
  failuresPerAddress: number;
  lockoutMs: number;
}

/**
 * Brute force on the sign-in (password and TOTP code alike): failures are counted per login and
 * per client address over a window of `lockoutMs`; at the count, that login (from anywhere) or that
 * address (for any login) is locked for `lockoutMs`. A sign-in that succeeds clears its login's
 * count, so an agent who mistypes now and then never locks themselves out. Counts live in this
 * process, or in Redis with REDIS_URL so every node counts together (with the node's own memory
 * as insurance while Redis is down: guessing is still slowed, nobody is let in for the outage).
 */
export class SignInLimits {
  private readonly perLogin: RateLimiterAbstract;
  private readonly perAddress: RateLimiterAbstract;

  constructor(
    private readonly options: SignInLimitOptions,
    redis?: Redis,
    redisPrefix = '',
  ) {
    this.perLogin = limiter('sign_in_login', options.failuresPerAccount, options.lockoutMs, redis, redisPrefix);
    this.perAddress = limiter('sign_in_address', options.failuresPerAddress, options.lockoutMs, redis, redisPrefix);
  }

  /**
   * How long a sign-in for this login from this address must wait; 0 when it may be tried now.
   * Without a login (a one-time link), the address alone.
   */
  async lockedFor(login: string | undefined, address: string): Promise<number> {
    const [byLogin, byAddress] = await Promise.all([login === undefined ? null : this.perLogin.get(keyOf(login)), this.perAddress.get(address)]);
    let wait = 0;
    if (byLogin && byLogin.consumedPoints >= this.options.failuresPerAccount) wait = Math.max(wait, byLogin.msBeforeNext);
    if (byAddress && byAddress.consumedPoints >= this.options.failuresPerAddress) wait = Math.max(wait, byAddress.msBeforeNext);
    return wait;
  }

  /** Counts a failure (without a login: the address's only); true when it is the one that locked the login or the address. */
  async failed(login: string | undefined, address: string): Promise<boolean> {
    const [byLogin, byAddress] = await Promise.all([
      login === undefined ? false : this.count(this.perLogin, keyOf(login), this.options.failuresPerAccount),
      this.count(this.perAddress, address, this.options.failuresPerAddress),
    ]);
    return byLogin || byAddress;
  }

  /** A sign-in succeeded: its login starts again from nothing. */
  async succeeded(login: string): Promise<void> {
    await this.perLogin.delete(keyOf(login)).catch(() => false);
  }

  private async count(l: RateLimiterAbstract, key: string, points: number): Promise<boolean> {
    const res = await l.penalty(key, 1);
    if (res.consumedPoints !== points) return false;
    // The lockout runs from the failure that reached the count, not from the first one.
    await l.block(key, this.options.lockoutMs / 1000);
    return true;
  }
}

/** One login as a limiter key: the form it signs in as, bounded (a guesser may send anything). */
function keyOf(login: string): string {
  return login.trim().toLowerCase().slice(0, 100);
}

function limiter(name: string, points: number, windowMs: number, redis: Redis | undefined, prefix: string): RateLimiterAbstract {
  const common = { points, duration: Math.ceil(windowMs / 1000) };
  const memory = new RateLimiterMemory({ ...common, keyPrefix: name });
  if (redis === undefined) return memory;
  return new RateLimiterRedis({ ...common, storeClient: redis, keyPrefix: `${prefix}limit:${name}`, insuranceLimiter: memory, rejectIfRedisNotReady: true });
}
