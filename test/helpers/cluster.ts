import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { dropPrefix, TEST_REDIS_URL, testPrefix } from './redis.js';

/** The machine's PostgreSQL (trust auth, database test); .ci/run starts it if it is down. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

const uniqueSchema = (): string => `kefu_test_${randomBytes(6).toString('hex')}`;

/**
 * Env for one server on the machine's PostgreSQL (no Redis), in a schema nobody else uses, so
 * a test can run against the Postgres store; `drop()` cleans up.
 */
export function postgresEnv() {
  const schema = uniqueSchema();
  return {
    env: { DATABASE_URL: TEST_DATABASE_URL, PG_SCHEMA: schema },
    drop: () => dropSchema(schema),
  };
}

/**
 * Env for nodes of one test cluster: a Redis key prefix and a Postgres schema nobody else
 * uses, so test files run in parallel on the machine's shared services. `drop()` cleans up.
 */
export function clusterEnv(extra: Record<string, string> = {}) {
  const prefix = testPrefix();
  const schema = uniqueSchema();
  return {
    env: { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATABASE_URL: TEST_DATABASE_URL, PG_SCHEMA: schema, ...extra },
    async drop() {
      const redis = new Redis(TEST_REDIS_URL);
      await dropPrefix(redis, prefix);
      redis.disconnect();
      await dropSchema(schema);
    },
  };
}
