import type { ApiTokenRecord, CredentialStore, LinkPurpose, LinkRecord, NewApiToken, NewSession, SessionRecord } from '../credentialStore.js';

/** Sessions, API tokens and one-time links in this process only (STORE=memory, tests). */
export class MemoryCredentialStore implements CredentialStore {
  private readonly sessions = new Map<number, SessionRecord>();
  private readonly tokens = new Map<number, ApiTokenRecord>();
  private readonly links = new Map<string, LinkRecord>();
  private nextSession = 1;
  private nextToken = 1;

  async createSession(session: NewSession): Promise<SessionRecord> {
    const record = { id: this.nextSession++, ...session };
    this.sessions.set(record.id, record);
    return { ...record };
  }

  async sessionByHash(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    for (const s of this.sessions.values()) if (s.tokenHash === tokenHash && s.expiresAt > now) return { ...s };
    return undefined;
  }

  async touchSession(id: number, now: number, expiresAt: number): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s || s.expiresAt <= now) return false;
    s.lastSeenAt = now;
    s.expiresAt = expiresAt;
    return true;
  }

  async sessionsOf(accountId: number, now: number): Promise<SessionRecord[]> {
    return [...this.sessions.values()]
      .filter((s) => s.accountId === accountId && s.expiresAt > now)
      .sort((a, b) => b.createdAt - a.createdAt || b.id - a.id)
      .map((s) => ({ ...s }));
  }

  async deleteSession(id: number, accountId: number): Promise<boolean> {
    if (this.sessions.get(id)?.accountId !== accountId) return false;
    return this.sessions.delete(id);
  }

  async deleteSessionsOf(accountId: number, except?: number): Promise<number[]> {
    const ended: number[] = [];
    for (const s of this.sessions.values()) {
      if (s.accountId !== accountId || s.id === except) continue;
      this.sessions.delete(s.id);
      ended.push(s.id);
    }
    return ended;
  }

  async purgeExpired(now: number): Promise<void> {
    for (const s of this.sessions.values()) if (s.expiresAt <= now) this.sessions.delete(s.id);
    for (const l of this.links.values()) if (l.expiresAt <= now) this.links.delete(l.tokenHash);
  }

  async createApiToken(token: NewApiToken): Promise<ApiTokenRecord> {
    const record = { id: this.nextToken++, ...token, lastUsedAt: null };
    this.tokens.set(record.id, record);
    return { ...record };
  }

  async apiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    for (const t of this.tokens.values()) if (t.tokenHash === tokenHash) return { ...t };
    return undefined;
  }

  async apiTokensOf(accountId: number): Promise<ApiTokenRecord[]> {
    return [...this.tokens.values()]
      .filter((t) => t.accountId === accountId)
      .sort((a, b) => b.id - a.id)
      .map((t) => ({ ...t }));
  }

  async deleteApiToken(id: number, accountId: number): Promise<boolean> {
    if (this.tokens.get(id)?.accountId !== accountId) return false;
    return this.tokens.delete(id);
  }

  async touchApiToken(id: number, now: number): Promise<void> {
    const t = this.tokens.get(id);
    if (t) t.lastUsedAt = now;
  }

  async createLink(link: LinkRecord): Promise<void> {
    this.links.set(link.tokenHash, { ...link });
  }

  private live(tokenHash: string, purpose: LinkPurpose, now: number): LinkRecord | undefined {
    const l = this.links.get(tokenHash);
    return l && l.purpose === purpose && l.expiresAt > now ? { ...l } : undefined;
  }

  async peekLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    return this.live(tokenHash, purpose, now);
  }

  async consumeLink(tokenHash: string, purpose: LinkPurpose, now: number): Promise<LinkRecord | undefined> {
    // Checked and taken in one step: two callers racing for one link never both get it.
    const l = this.live(tokenHash, purpose, now);
    if (l) this.links.delete(tokenHash);
    return l;
  }

  async deleteLinks(purpose: LinkPurpose, accountId?: number): Promise<void> {
    for (const l of this.links.values()) if (l.purpose === purpose && (accountId === undefined || l.accountId === accountId)) this.links.delete(l.tokenHash);
  }
}
