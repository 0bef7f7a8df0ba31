import type { CannedReplyInput } from '../../protocol/cannedReply.js';
import type { CannedReply, CannedReplyStore, CannedReplyWrite } from '../cannedReplyStore.js';

/** Canned replies in this process only (STORE=memory): same contract, forgotten on restart. */
export class MemoryCannedReplyStore implements CannedReplyStore {
  private readonly replies = new Map<number, CannedReply>();
  private nextId = 1;

  async listCannedReplies(): Promise<CannedReply[]> {
    return [...this.replies.values()].sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0)).map((r) => ({ ...r }));
  }

  async createCannedReply(input: CannedReplyInput, now: number): Promise<CannedReplyWrite> {
    if (this.taken(input.shortcut)) return { ok: false, reason: 'shortcut_taken' };
    const reply: CannedReply = { id: this.nextId++, ...input, createdAt: now, updatedAt: now };
    this.replies.set(reply.id, reply);
    return { ok: true, reply: { ...reply } };
  }

  async updateCannedReply(id: number, patch: Partial<CannedReplyInput>, now: number): Promise<CannedReplyWrite> {
    const reply = this.replies.get(id);
    if (!reply) return { ok: false, reason: 'not_found' };
    if (patch.shortcut !== undefined && this.taken(patch.shortcut, id)) return { ok: false, reason: 'shortcut_taken' };
    Object.assign(reply, patch, { updatedAt: now });
    return { ok: true, reply: { ...reply } };
  }

  async deleteCannedReply(id: number): Promise<boolean> {
    return this.replies.delete(id);
  }

  private taken(shortcut: string, except?: number): boolean {
    for (const r of this.replies.values()) if (r.shortcut === shortcut && r.id !== except) return true;
    return false;
  }
}
