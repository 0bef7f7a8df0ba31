import type { RedisOptions } from 'ioredis';

/**
 * How every node's Redis connection is made (the registry contract tests use it too, so they
 * run the scripts the way the server sends them).
 *
 * - No offline queue and one retry: while Redis is down a sender gets an explicit error at once
 *   instead of an ack that comes late or never; ioredis reconnects by itself.
 * - Auto-pipelining: the commands issued in one event-loop turn (each message's registry
 *   lookups and bus publish, from every connection) leave in one write instead of one write
 *   per command; replies still come back in order, one per command.
 */
export const REDIS_CLIENT_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  lazyConnect: true,
  enableAutoPipelining: true,
};
