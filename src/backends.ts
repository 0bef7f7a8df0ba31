import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Bus } from './cluster/bus.js';
import { LocalBus } from './cluster/localBus.js';
import { MemoryRoomRegistry } from './cluster/memoryRoomRegistry.js';
import { RedisBus } from './cluster/redisBus.js';
import { RedisRoomRegistry } from './cluster/redisRoomRegistry.js';
import type { RoomRegistry } from './cluster/roomRegistry.js';
import { FileImageStore } from './store/fileImageStore.js';
import type { ImageStore } from './store/imageStore.js';
import { MemoryImageStore } from './store/memoryImageStore.js';
import { PostgresImageStore } from './store/postgresImageStore.js';
import { MemoryMessageStore } from './store/memoryMessageStore.js';
import type { MessageStore } from './store/messageStore.js';
import { PostgresMessageStore } from './store/postgresMessageStore.js';
import { SqliteMessageStore } from './store/sqliteMessageStore.js';

/** The pluggable parts, chosen once from config; nothing else asks which ones they are. */
export interface Backends {
  registry: RoomRegistry;
  bus: Bus;
  store: MessageStore;
  /** Image bytes: beside the messages (the same database, or DATA_DIR/images next to SQLite). */
  images: ImageStore;
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
  if (config.redisUrl !== '') {
    // Fail fast while Redis is down (an explicit error to the sender) instead of queueing
    // commands that would be acked late or never; ioredis reconnects by itself.
    redis = new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => {});
    await redis.connect();
    registry = new RedisRoomRegistry(redis, config.redisPrefix);
    bus = new RedisBus(redis, {
      prefix: config.redisPrefix,
      heartbeatTtlMs: config.nodeTtlMs,
      heartbeatMs: Math.max(100, Math.floor(config.nodeTtlMs / 5)),
    });
  }
  let store: MessageStore;
  let images: ImageStore;
  let storeKind: string;
  if (config.databaseUrl !== '') {
    const pgOptions = { connectionString: config.databaseUrl, ...(config.pgSchema === '' ? {} : { schema: config.pgSchema }) };
    // The message store migrates first: it creates the images table too.
    store = await PostgresMessageStore.open(pgOptions);
    images = new PostgresImageStore(pgOptions);
    storeKind = 'postgres';
  } else if (config.store === 'memory') {
    store = new MemoryMessageStore();
    images = new MemoryImageStore();
    storeKind = 'memory';
  } else {
    store = new SqliteMessageStore(path.join(config.dataDir, 'kefu.sqlite'));
    images = new FileImageStore(path.join(config.dataDir, 'images'));
    storeKind = 'sqlite';
  }
  return {
    registry,
    bus,
    store,
    images,
    kinds: { registry: redis ? 'redis' : 'memory', store: storeKind },
    async close() {
      redis?.disconnect();
    },
  };
}
