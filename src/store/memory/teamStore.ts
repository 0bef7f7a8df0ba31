import type { NewTeamMessage, TeamAppendResult, TeamMessage, TeamStore } from '../teamStore.js';

/** The team channel and private notes in this process only (STORE=memory): same contract, forgotten on restart. */
export class MemoryTeamStore implements TeamStore {
  private readonly messages: TeamMessage[] = [];
  private readonly byCid = new Map<string, TeamMessage>();

  async appendTeamMessage(m: NewTeamMessage): Promise<TeamAppendResult> {
    // Per sender and addressee (the whole team is one); names hold no NUL, so NUL separates the parts.
    const key = m.cid === undefined ? undefined : `${m.sender}\u0000${m.to ?? ''}\u0000${m.cid}`;
    const existing = key === undefined ? undefined : this.byCid.get(key);
    if (existing) return { message: { ...existing }, duplicate: true };
    const message: TeamMessage = { id: this.messages.length + 1, sender: m.sender, to: m.to ?? null, content: m.content, ts: m.ts, cid: m.cid ?? null };
    this.messages.push(message);
    if (key !== undefined) this.byCid.set(key, message);
    return { message: { ...message }, duplicate: false };
  }

  async teamMessagesFor(agent: string, limit: number): Promise<TeamMessage[]> {
    const out: TeamMessage[] = [];
    for (let i = this.messages.length - 1; i >= 0 && out.length < limit; i--) {
      const m = this.messages[i] as TeamMessage;
      if (m.to === null || m.to === agent || m.sender === agent) out.push({ ...m });
    }
    return out.reverse();
  }
}
