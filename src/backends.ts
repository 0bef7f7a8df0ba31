import path from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Bus } from './transport/bus/bus.js';
import { LocalBus } from './transport/bus/localBus.js';
import { MemoryProfileDirectory } from './cluster/memoryProfileDirectory.js';
import type { ProfileDirectory } from './cluster/profileDirectory.js';
import { MemoryRoomRegistry } from './cluster/memoryRoomRegistry.js';
import type { RoomRegistry } from './cluster/roomRegistry.js';
import type { AccountStores } from './store/accountStores.js';
import type { ImageStore } from './store/imageStore.js';
import { openMemoryAccountStores } from './store/memory/accountStores.js';
import { MemoryImageStore } from './store/memory/imageStore.js';
import { openMemoryStores } from './store/memory/stores.js';
import type { Stores } from './store/stores.js';

// The Redis, PostgreSQL and SQLite backends (and ioredis, pg, better-sqlite3 under them) are
// loaded only when the config picks them: a server that never talks to Redis does not carry
// its client's modules (startup time, memory, and the shapes the JIT sees; CHANGELOG.md 0.4.3).

/** The pluggable parts, chosen once from config; nothing else asks which ones they are. */
export interface Backends {
  registry: RoomRegistry;
  bus: Bus;
  /** Conversations, team channel, offline messages, bot exchanges, ratings and canned replies: one database. */
  stores: Stores;
  /** Agent accounts, sessions, API tokens, links, the audit log: in the same database (closed with `stores`). */
  accountStores: AccountStores;
  /** Avatars and join times of connected people, for the other side's page. */
  profiles: ProfileDirectory;
  /** Image bytes: beside the messages (the same database, or DATA_DIR/images next to SQLite). */
  images: ImageStore;
  /** The Redis connection when REDIS_URL is set, for state every node must share (rate limits). */
  redis?: Redis;
  /** Names for /healthz and logs: `memory`, `redis`, `sqlite`, `postgres`. */
  kinds: { registry: string; store: string };
  /** Closes what this module opened (Redis connections); stores are closed by their owner. */
  close(): Promise<void>;
}

/** REDIS_URL selects Redis for registry and bus; DATABASE_URL selects Postgres; else embedded. */
export async function createBackends(config: Config): Promise<Backends> {
  let redis: Redis | undefined;
  let registry: RoomRegistry = new MemoryRoomRegistry();
  let bus: Bus = new LocalBus();
  let profiles: ProfileDirectory = new MemoryProfileDirectory();
  if (config.redisUrl !== '') {
    const [{ Redis }, { REDIS_CLIENT_OPTIONS }, { RedisRoomRegistry }, { RedisProfileDirectory }, { RedisBus }] = await Promise.all([
      import('ioredis'),
      import('./cluster/redisClientOptions.js'),
      import('./cluster/redisRoomRegistry.js'),
      import('./cluster/redisProfileDirectory.js'),
      import('./transport/bus/redisBus.js'),
    ]);
    redis = new Redis(config.redisUrl, REDIS_CLIENT_OPTIONS);
    redis.on('error', () => {});
    await redis.connect();
    registry = new RedisRoomRegistry(redis, config.redisPrefix);
    profiles = new RedisProfileDirectory(redis, config.redisPrefix);
    bus = new RedisBus(redis, {
      prefix: config.redisPrefix,
      heartbeatTtlMs: config.nodeTtlMs,
      heartbeatMs: Math.max(100, Math.floor(config.nodeTtlMs / 5)),
    });
  }
  let stores: Stores;
  let accountStores: AccountStores;
  let images: ImageStore;
  let storeKind: string;
  if (config.databaseUrl !== '') {
    const [{ openPostgresStores }, { PostgresImageStore }, { openPostgresPool }, { postgresAccountStores }] = await Promise.all([
      import('./store/postgres/stores.js'),
      import('./store/postgres/imageStore.js'),
      import('./store/postgres/database.js'),
      import('./store/postgres/accountStores.js'),
    ]);
    const pgOptions = { connectionString: config.databaseUrl, ...(config.pgSchema === '' ? {} : { schema: config.pgSchema }) };
    // The pool migrates first: the images table too.
    const pool = await openPostgresPool(pgOptions);
    stores = await openPostgresStores(pool);
    accountStores = postgresAccountStores(pool);
    images = new PostgresImageStore(pgOptions);
    storeKind = 'postgres';
  } else if (config.store === 'memory') {
    stores = openMemoryStores();
    accountStores = openMemoryAccountStores();
    images = new MemoryImageStore();
    storeKind = 'memory';
  } else {
    const [{ openSqliteStores }, { FileImageStore }, { openSqliteDatabase }, { sqliteAccountStores }] = await Promise.all([
      import('./store/sqlite/stores.js'),
      import('./store/sqlite/fileImageStore.js'),
      import('./store/sqlite/database.js'),
      import('./store/sqlite/accountStores.js'),
    ]);
    const db = openSqliteDatabase(path.join(config.dataDir, 'kefu.sqlite'));
    stores = openSqliteStores(db);
    accountStores = sqliteAccountStores(db);
    // Indexes the folder in the background: chats start at once, uploads wait for the index.
    images = new FileImageStore(path.join(config.dataDir, 'images'));
    storeKind = 'sqlite';
  }
  return {
    registry,
    bus,
    stores,
    accountStores,
    profiles,
    images,
    ...(redis === undefined ? {} : { redis }),
    kinds: { registry: redis ? 'redis' : 'memory', store: storeKind },
    async close() {
      redis?.disconnect();
    },
  };
}
