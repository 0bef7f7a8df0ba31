import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryProfileDirectory } from '../../src/cluster/memoryProfileDirectory.js';
import type { ProfileDirectory } from '../../src/cluster/profileDirectory.js';
import { PROFILE_TTL_MS, RedisProfileDirectory } from '../../src/cluster/redisProfileDirectory.js';
import { dropPrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';

const redis = new Redis(TEST_REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

/** What every ProfileDirectory promises, run against each implementation. */
function describeProfileDirectory(label: string, make: () => ProfileDirectory): void {
  describe(`${label} profile directory`, () => {
    it('gives back the profiles it holds and leaves out sessions it does not know', async () => {
      const d = make();
      await d.set('n1.1', { avatar: 'cat', joinedAt: 10 });
      await d.set('n1.2', { joinedAt: 20 });
      const got = await d.getMany(['n1.1', 'n1.2', 'n1.3']);
      expect([...got.entries()]).toEqual([
        ['n1.1', { avatar: 'cat', joinedAt: 10 }],
        ['n1.2', { joinedAt: 20 }],
      ]);
      expect((await d.getMany([])).size).toBe(0);
    });

    it('forgets a deleted session and replaces a profile set again', async () => {
      const d = make();
      await d.set('n1.1', { avatar: 'cat', joinedAt: 10 });
      await d.set('n1.1', { avatar: 'owl', joinedAt: 30 });
      await d.set('n1.2', { avatar: 'dog', joinedAt: 20 });
      await d.delete('n1.2');
      expect([...(await d.getMany(['n1.1', 'n1.2'])).entries()]).toEqual([['n1.1', { avatar: 'owl', joinedAt: 30 }]]);
    });
  });
}

describeProfileDirectory('in-process', () => new MemoryProfileDirectory());
describeProfileDirectory('Redis', () => {
  const prefix = testPrefix();
  prefixes.push(prefix);
  return new RedisProfileDirectory(redis, prefix);
});

describe('Redis profile directory', () => {
  it('lets a profile expire, so a node that died leaves nothing behind for long', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    await new RedisProfileDirectory(redis, prefix).set('n9.1', { joinedAt: 1 });
    const ttl = await redis.pttl(`${prefix}profile:n9.1`);
    expect(ttl).toBeGreaterThan(PROFILE_TTL_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(PROFILE_TTL_MS);
  });
});
