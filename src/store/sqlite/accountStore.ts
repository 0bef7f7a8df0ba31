import type Database from 'better-sqlite3';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from '../accountRows.js';
import type { Account, AccountPatch, AccountRefusal, AccountStore, AccountWrite, NewAccount } from '../accountStore.js';

/**
 * Accounts in the embedded SQLite file. better-sqlite3 is synchronous and each write is one
 * transaction, so the uniqueness and last-owner checks cannot race another write of this process;
 * the unique indexes hold them against anything else.
 */
export class SqliteAccountStore implements AccountStore {
  private readonly stmts;
  private readonly update: (id: number, patch: AccountPatch, now: number, nameKey?: string) => AccountWrite;

  constructor(db: Database.Database) {
    this.stmts = {
      count: db.prepare('SELECT count(*) AS n FROM accounts'),
      insert: db.prepare(`
        INSERT INTO accounts (name, name_key, login, email, password_hash, role, avatar, max_chats, created_at, updated_at)
        VALUES (@name, @nameKey, @login, @email, @passwordHash, @role, @avatar, @maxChats, @now, @now) RETURNING *`),
      byId: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      byLogin: db.prepare('SELECT * FROM accounts WHERE login = ?'),
      byEmail: db.prepare('SELECT * FROM accounts WHERE email = ?'),
      list: db.prepare('SELECT * FROM accounts ORDER BY id'),
      clash: db.prepare(`
        SELECT name_key = @nameKey AS name, login = @login AS login, (email IS NOT NULL AND email = @email) AS email
        FROM accounts WHERE id IS NOT @id AND (name_key = @nameKey OR login = @login OR (email IS NOT NULL AND email = @email)) LIMIT 1`),
      nameKey: db.prepare('SELECT name_key FROM accounts WHERE id = ?').pluck(),
      otherOwners: db.prepare("SELECT count(*) AS n FROM accounts WHERE id <> ? AND role = 'owner' AND disabled = 0"),
      useStep: db.prepare('UPDATE accounts SET totp_step = @step WHERE id = @id AND totp_step < @step'),
    };
    this.update = db.transaction((id: number, patch: AccountPatch, now: number, nameKey?: string): AccountWrite => {
      const row = this.stmts.byId.get(id) as AccountRow | undefined;
      if (!row) return { ok: false, reason: 'not_found' };
      const current = toAccount(row);
      const next: Account = { ...current, ...patch };
      const key = nameKey ?? (this.stmts.nameKey.get(id) as string);
      const clash = this.clash(next, key, id);
      if (clash) return { ok: false, reason: clash };
      if (current.role === 'owner' && !current.disabled && (next.role !== 'owner' || next.disabled)) {
        if ((this.stmts.otherOwners.get(id) as { n: number }).n === 0) return { ok: false, reason: 'last_owner' };
      }
      const sets = ['updated_at = @now', 'name_key = @nameKey'];
      const values: Record<string, unknown> = { id, now, nameKey: key };
      for (const [field, column] of Object.entries(ACCOUNT_COLUMNS)) {
        if (!(field in patch)) continue;
        const value = patch[field as keyof AccountPatch];
        sets.push(`${column} = @${field}`);
        values[field] = typeof value === 'boolean' ? Number(value) : (value ?? null);
      }
      const updated = db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = @id RETURNING *`).get(values) as AccountRow;
      return { ok: true, account: toAccount(updated) };
    });
  }

  private clash(a: Pick<Account, 'login' | 'email'>, nameKey: string, id: number | null): Exclude<AccountRefusal, 'not_found' | 'last_owner'> | undefined {
    const hit = this.stmts.clash.get({ nameKey, login: a.login, email: a.email, id }) as { name: number; login: number; email: number } | undefined;
    if (!hit) return undefined;
    return hit.name ? 'name_taken' : hit.login ? 'login_taken' : 'email_taken';
  }

  async countAccounts(): Promise<number> {
    return (this.stmts.count.get() as { n: number }).n;
  }

  async createAccount(a: NewAccount, nameKey: string, now: number): Promise<AccountWrite> {
    const email = a.email ?? null;
    const clash = this.clash({ login: a.login, email }, nameKey, null);
    if (clash) return { ok: false, reason: clash };
    const row = this.stmts.insert.get({
      name: a.name,
      nameKey,
      login: a.login,
      email,
      passwordHash: a.passwordHash ?? null,
      role: a.role,
      avatar: a.avatar ?? null,
      maxChats: a.maxChats ?? 1,
      now,
    }) as AccountRow;
    return { ok: true, account: toAccount(row) };
  }

  async getAccount(id: number): Promise<Account | undefined> {
    const row = this.stmts.byId.get(id) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async accountByLogin(login: string): Promise<Account | undefined> {
    const row = this.stmts.byLogin.get(login) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async accountByEmail(email: string): Promise<Account | undefined> {
    const row = this.stmts.byEmail.get(email) as AccountRow | undefined;
    return row && toAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    return (this.stmts.list.all() as AccountRow[]).map(toAccount);
  }

  async updateAccount(id: number, patch: AccountPatch, now: number, nameKey?: string): Promise<AccountWrite> {
    return this.update(id, patch, now, nameKey);
  }

  async useTotpStep(id: number, step: number): Promise<boolean> {
    return this.stmts.useStep.run({ id, step }).changes > 0;
  }
}
