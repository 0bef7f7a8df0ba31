import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Delivery } from '../../domain/roomEvent.js';
import type { Bus } from './bus.js';

export interface RedisBusOptions {
  prefix?: string;
  /** How often this node renews its heartbeat key. */
  heartbeatMs?: number;
  /** How long the key lives: a node silent this long is dead. */
  heartbeatTtlMs?: number;
  nodeId?: string;
}

/**
 * Cross-node delivery over Redis pub/sub, one channel per node (a frame goes to the node that
 * holds its addressee, not to all). Liveness is a heartbeat key with a TTL per node; a node
 * whose key lapsed is claimed by exactly one survivor through SREM on the member set.
 */
export class RedisBus implements Bus {
  readonly nodeId: string;
  private readonly prefix: string;
  private readonly heartbeatMs: number;
  private readonly heartbeatTtlMs: number;
  private heartbeat?: NodeJS.Timeout;
  private readonly subscriber: Redis;

  constructor(
    private readonly redis: Redis,
    options: RedisBusOptions = {},
  ) {
    this.nodeId = options.nodeId ?? randomBytes(4).toString('hex');
    this.prefix = options.prefix ?? 'kefu:';
    this.heartbeatMs = options.heartbeatMs ?? 1000;
    this.heartbeatTtlMs = options.heartbeatTtlMs ?? 5000;
    // A subscribed connection can do nothing else, so it gets its own.
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => {});
  }

  private channel(node: string): string {
    return `${this.prefix}node:${node}`;
  }

  private async beat(): Promise<void> {
    await this.redis
      .multi()
      .set(`${this.prefix}alive:${this.nodeId}`, String(Date.now()), 'PX', this.heartbeatTtlMs)
      .sadd(`${this.prefix}nodes`, this.nodeId)
      .exec();
  }

  async start(receive: (deliveries: Delivery[]) => void, resubscribed?: () => void): Promise<void> {
    this.subscriber.on('message', (_channel: string, message: string) => {
      receive(JSON.parse(message) as Delivery[]);
    });
    if (this.subscriber.status === 'wait') await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel(this.nodeId));
    // Pub/sub keeps nothing for a subscriber that was away: after a reconnect, what was
    // published meanwhile is gone, so the owner must make its clients catch up from the store.
    // Registered after the first connection is up, so every 'ready' from here on is a reconnect.
    this.subscriber.on('ready', () => resubscribed?.());
    await this.beat();
    this.heartbeat = setInterval(() => {
      // A missed beat while Redis is down is retried on the next tick; the TTL absorbs it.
      this.beat().catch(() => {});
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  async publish(node: string, deliveries: Delivery[]): Promise<void> {
    await this.redis.publish(this.channel(node), JSON.stringify(deliveries));
  }

  async claimDeadNodes(): Promise<string[]> {
    const nodes = await this.redis.smembers(`${this.prefix}nodes`);
    const dead: string[] = [];
    for (const node of nodes) {
      if (node === this.nodeId) continue;
      if ((await this.redis.exists(`${this.prefix}alive:${node}`)) === 1) continue;
      if ((await this.redis.srem(`${this.prefix}nodes`, node)) === 1) dead.push(node);
    }
    return dead;
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    // Leaving on purpose: the others need not wait for the TTL to learn it.
    await this.redis
      .multi()
      .del(`${this.prefix}alive:${this.nodeId}`)
      .exec()
      .catch(() => {});
    this.subscriber.disconnect();
  }
}
