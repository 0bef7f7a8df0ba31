import type { Redis } from 'ioredis';
import type { Profile, ProfileDirectory } from './profileDirectory.js';

/**
 * Profiles in Redis, so a node shows the avatar of a peer connected to another node. Each is a
 * small string key with a TTL: a node that dies without deleting its sessions' profiles leaves
 * nothing behind for long, and a connection older than the TTL only loses its picked avatar.
 */
export const PROFILE_TTL_MS = 24 * 3600_000;

export class RedisProfileDirectory implements ProfileDirectory {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kefu:',
  ) {}

  private key(session: string): string {
    return `${this.prefix}profile:${session}`;
  }

  async set(session: string, profile: Profile): Promise<void> {
    await this.redis.set(this.key(session), JSON.stringify(profile), 'PX', PROFILE_TTL_MS);
  }

  async getMany(sessions: readonly string[]): Promise<Map<string, Profile>> {
    const out = new Map<string, Profile>();
    if (sessions.length === 0) return out;
    const values = await this.redis.mget(...sessions.map((s) => this.key(s)));
    values.forEach((v, i) => {
      const session = sessions[i];
      if (v !== null && session !== undefined) out.set(session, JSON.parse(v) as Profile);
    });
    return out;
  }

  async delete(session: string): Promise<void> {
    await this.redis.del(this.key(session));
  }
}
