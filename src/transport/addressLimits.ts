import type { NextFunction, Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ClientAddresses } from './clientAddress.js';
import { refuseResponse, tooManyRequests } from './refusal.js';

/** The answer of a limit: go ahead, or wait this long. */
export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

/** A count per client address over a window, shared by every node when it lives in Redis. */
export interface AddressLimit {
  /** Which limit this is, for metrics and logs. */
  readonly name: string;
  /** Counts one more for this address; refused once it is over its count for the window. */
  take(address: string): Promise<Verdict>;
}

/** One limit's size: `points` per `windowSec`; an address past it waits `windowSec` from then. */
export interface LimitSize {
  points: number;
  windowSec: number;
}

/** The limits per client address the transport applies. */
export interface AddressLimits {
  getroom: AddressLimit;
  upgrade: AddressLimit;
  upload: AddressLimit;
  /** POSTs that need no credential (offline messages). */
  publicPost: AddressLimit;
}

/** How long a Redis count may take before the node's own count answers instead. */
const REDIS_TIMEOUT_MS = 300;

class RateLimiterLimit implements AddressLimit {
  constructor(
    readonly name: string,
    private readonly limiter: RateLimiterAbstract,
  ) {}

  async take(address: string): Promise<Verdict> {
    try {
      await this.limiter.consume(address);
      return { ok: true };
    } catch (err) {
      if (err instanceof RateLimiterRes) return { ok: false, retryAfterMs: err.msBeforeNext };
      // Only reachable if the insurance itself failed: a broken limiter lets people in rather than refusing everyone.
      return { ok: true };
    }
  }
}

/**
 * One limit in this process's memory, or in Redis with the node's own memory count as insurance:
 * while Redis is down or slow each node counts for itself (a flood is still slowed, nobody is
 * refused for the outage, nothing throws). An address past its count is also remembered in
 * memory for the rest of its wait, so a flood's refused requests cost Redis nothing.
 */
export function createAddressLimit(name: string, size: LimitSize, redis?: Redis, redisPrefix = ''): AddressLimit {
  const common = { points: size.points, duration: size.windowSec, blockDuration: size.windowSec };
  const memory = new RateLimiterMemory({ ...common, keyPrefix: name });
  if (redis === undefined) return new RateLimiterLimit(name, memory);
  const shared = new RateLimiterRedis({
    ...common,
    storeClient: redis,
    keyPrefix: `${redisPrefix}limit:${name}`,
    insuranceLimiter: memory,
    rejectIfRedisNotReady: true,
    inMemoryBlockOnConsumed: size.points + 1,
    inMemoryBlockDuration: size.windowSec,
  });
  return new RateLimiterLimit(
    name,
    new RLWrapperTimeouts({ limiter: shared, insuranceLimiter: memory, timeoutMs: REDIS_TIMEOUT_MS, blockDuration: size.windowSec }),
  );
}

/** The per-minute counts of config, in memory or (with `redis`) shared by every node. */
export function createAddressLimits(
  perMinute: { getroom: number; upgrade: number; upload: number; publicPost: number },
  redis?: Redis,
  redisPrefix = '',
): AddressLimits {
  const size = (points: number): LimitSize => ({ points, windowSec: 60 });
  return {
    getroom: createAddressLimit('getroom', size(perMinute.getroom), redis, redisPrefix),
    upgrade: createAddressLimit('upgrade', size(perMinute.upgrade), redis, redisPrefix),
    upload: createAddressLimit('upload', size(perMinute.upload), redis, redisPrefix),
    publicPost: createAddressLimit('public_post', size(perMinute.publicPost), redis, redisPrefix),
  };
}

/**
 * Express middleware counting a request against `limit` for its client address; over it, 429
 * with Retry-After and `{error: 'rate_limited'}` before anything else reads the request.
 */
export function limitPerAddress(limit: AddressLimit, addresses: ClientAddresses, onRefused: (limit: string) => void = () => {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    limit.take(addresses.of(req)).then((verdict) => {
      if (verdict.ok) return next();
      onRefused(limit.name);
      refuseResponse(res, tooManyRequests(verdict.retryAfterMs));
    }, next);
  };
}
