import type { Redis } from 'ioredis';
import type { Revocation } from '../../domain/accounts/revocation.js';
import type { Revocations } from './revocations.js';

/** Revocations over one Redis pub/sub channel every node of the deployment listens on. */
export class RedisRevocations implements Revocations {
  private readonly subscriber: Redis;
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.channel = `${prefix}revocations`;
    // A subscribed connection can do nothing else, so it gets its own.
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => {});
  }

  async start(onRevoked: (r: Revocation) => void, resubscribed?: () => void): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        onRevoked(JSON.parse(message) as Revocation);
      } catch {
        // Not one of ours: nothing to close.
      }
    });
    if (this.subscriber.status === 'wait') await this.subscriber.connect();
    await this.subscriber.subscribe(this.channel);
    // Registered after the first connection is up, so every 'ready' from here on is a reconnect.
    this.subscriber.on('ready', () => resubscribed?.());
  }

  async publish(r: Revocation): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(r));
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
