import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** The machine's Redis; .ci/run starts it if it is down. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test shares, so test files can run in parallel on one Redis. */
export function testPrefix(): string {
  return `kefu-test:${randomBytes(6).toString('hex')}:`;
}

/** Deletes every key under a prefix (SCAN, not KEYS, so a busy Redis is not blocked). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
