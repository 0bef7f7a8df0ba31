import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_CLIENT_OPTIONS } from '../../src/cluster/redisClientOptions.js';
import { RedisRoomRegistry } from '../../src/cluster/redisRoomRegistry.js';
import { dropPrefix, TEST_REDIS_URL, testPrefix } from '../helpers/redis.js';
import { describeRoomRegistry } from './roomRegistryContract.js';

// Made as the server makes its connection (auto-pipelining on), so the scripts run as it sends them.
const redis = new Redis(TEST_REDIS_URL, REDIS_CLIENT_OPTIONS);
const prefixes: string[] = [];
beforeAll(() => redis.connect());
function make(): RedisRoomRegistry {
  const prefix = testPrefix();
  prefixes.push(prefix);
  return new RedisRoomRegistry(redis, prefix);
}

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

describeRoomRegistry('Redis', async () => make());

describe('Redis room registry across connections', () => {
  it('reserves exactly as many slots as the capacities add up to for many requests racing from two nodes', async () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    const node1 = new Redis(TEST_REDIS_URL, REDIS_CLIENT_OPTIONS);
    const node2 = new Redis(TEST_REDIS_URL, REDIS_CLIENT_OPTIONS);
    await Promise.all([node1.connect(), node2.connect()]);
    const a = new RedisRoomRegistry(node1, prefix);
    const b = new RedisRoomRegistry(node2, prefix);
    // Capacities 1 to 5: fifteen slots in all.
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).openRoom(`agent${i}`, `n1.${i}`, i + 1);
    const limits = { maxLength: 1000, maxWaitMs: 60_000 };
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).requestRoom(`c${i}`, `t${i}`, 0, 60_000, limits)));
    const reserved = results.flatMap((r) => (r.kind === 'reserved' ? [r.room.agent] : []));
    expect(reserved).toHaveLength(15);
    for (let i = 0; i < 5; i++) {
      expect(reserved.filter((agent) => agent === `agent${i}`)).toHaveLength(i + 1);
      expect((await a.getRoom(`agent${i}`))?.reservedFor).toHaveLength(i + 1);
    }
    expect(results.filter((r) => r.kind === 'queued')).toHaveLength(85);
    node1.disconnect();
    node2.disconnect();
  });

  it('reloads its scripts after Redis forgets them', async () => {
    const r = make();
    expect(await r.openRoom('alice', 's1', 1)).toEqual({ kind: 'opened' });
    await redis.script('FLUSH');
    expect(await r.openRoom('alice', 's2', 1)).toEqual({ kind: 'taken' });
  });
});
