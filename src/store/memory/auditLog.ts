import type { AuditEntry, AuditLog, AuditPage, NewAuditEntry } from '../auditLog.js';

/** The audit log in this process only (STORE=memory, tests): forgotten on restart. */
export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async appendAudit(entry: NewAuditEntry): Promise<void> {
    this.entries.push({ id: this.entries.length + 1, ...entry });
  }

  async listAudit(limit: number, before?: string): Promise<AuditPage> {
    const end = before === undefined ? this.entries.length : Math.min(this.entries.length, Number(before) - 1);
    const start = Math.max(0, end - limit);
    const entries = this.entries.slice(start, end).reverse();
    return { entries: entries.map((e) => ({ ...e })), nextBefore: start > 0 && entries.length > 0 ? String(entries[entries.length - 1]?.id) : null };
  }
}
