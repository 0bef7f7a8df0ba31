import type { Profile, ProfileDirectory } from './profileDirectory.js';

/** The single-process default. */
export class MemoryProfileDirectory implements ProfileDirectory {
  private readonly profiles = new Map<string, Profile>();

  async set(session: string, profile: Profile): Promise<void> {
    this.profiles.set(session, profile);
  }

  async getMany(sessions: readonly string[]): Promise<Map<string, Profile>> {
    const out = new Map<string, Profile>();
    for (const s of sessions) {
      const p = this.profiles.get(s);
      if (p !== undefined) out.set(s, p);
    }
    return out;
  }

  async delete(session: string): Promise<void> {
    this.profiles.delete(session);
  }
}
