import type pg from 'pg';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from '../accountRows.js';
import type { Account, AccountPatch, AccountStore, AccountWrite, NewAccount } from '../accountStore.js';
import { UNIQUE_VIOLATION } from './database.js';

/** An arbitrary constant naming the lock that orders changes of owners among advisory locks. */
const OWNERS_LOCK = 0x6b656676;

/** Which refusal a unique violation on `accounts` stands for, by the constraint PostgreSQL names. */
function clashOf(err: unknown): 'name_taken' | 'login_taken' | 'email_taken' | undefined {
  const e = err as { code?: string; constraint?: string };
  if (e.code !== UNIQUE_VIOLATION) return undefined;
  if (e.constraint?.includes('name_key')) return 'name_taken';
  if (e.constraint?.includes('email')) return 'email_taken';
  return 'login_taken';
}

/**
 * Accounts in the PostgreSQL database every node shares. The unique constraints decide between
 * concurrent writers; a change that could take away an owner runs under a transaction-scoped
 * advisory lock, so two admins on two nodes cannot each demote one of the last two owners.
 */
export class PostgresAccountStore implements AccountStore {
  constructor(private readonly pool: pg.Pool) {}

  async countAccounts(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
    return rows[0]?.n ?? 0;
  }

  async createAccount(a: NewAccount, nameKey: string, now: number): Promise<AccountWrite> {
    try {
      const { rows } = await this.pool.query<AccountRow>(
        `INSERT INTO accounts (name, name_key, login, email, password_hash, role, avatar, max_chats, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
        [a.name, nameKey, a.login, a.email ?? null, a.passwordHash ?? null, a.role, a.avatar ?? null, a.maxChats ?? 1, now],
      );
      return { ok: true, account: toAccount(rows[0] as AccountRow) };
    } catch (err) {
      const clash = clashOf(err);
      if (clash) return { ok: false, reason: clash };
      throw err;
    }
  }

  private async one(sql: string, value: unknown): Promise<Account | undefined> {
    const { rows } = await this.pool.query<AccountRow>(sql, [value]);
    return rows[0] && toAccount(rows[0]);
  }

  getAccount(id: number): Promise<Account | undefined> {
    return this.one('SELECT * FROM accounts WHERE id = $1', id);
  }

  accountByLogin(login: string): Promise<Account | undefined> {
    return this.one('SELECT * FROM accounts WHERE login = $1', login);
  }

  accountByEmail(email: string): Promise<Account | undefined> {
    return this.one('SELECT * FROM accounts WHERE email = $1', email);
  }

  async listAccounts(): Promise<Account[]> {
    const { rows } = await this.pool.query<AccountRow>('SELECT * FROM accounts ORDER BY id');
    return rows.map(toAccount);
  }

  async updateAccount(id: number, patch: AccountPatch, now: number, nameKey?: string): Promise<AccountWrite> {
    const sets = ['updated_at = $2'];
    const values: unknown[] = [id, now];
    if (nameKey !== undefined) {
      values.push(nameKey);
      sets.push(`name_key = $${values.length}`);
    }
    for (const [field, column] of Object.entries(ACCOUNT_COLUMNS)) {
      if (!(field in patch)) continue;
      values.push(patch[field as keyof AccountPatch] ?? null);
      sets.push(`${column} = $${values.length}`);
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [OWNERS_LOCK]);
      const { rows } = await client.query<AccountRow>('SELECT * FROM accounts WHERE id = $1', [id]);
      const row = rows[0];
      if (!row) {
        await client.query('ROLLBACK');
        return { ok: false, reason: 'not_found' };
      }
      const current = toAccount(row);
      const next = { ...current, ...patch };
      if (current.role === 'owner' && !current.disabled && (next.role !== 'owner' || next.disabled)) {
        const others = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts WHERE id <> $1 AND role = 'owner' AND NOT disabled", [id]);
        if ((others.rows[0]?.n ?? 0) === 0) {
          await client.query('ROLLBACK');
          return { ok: false, reason: 'last_owner' };
        }
      }
      const updated = await client.query<AccountRow>(`UPDATE accounts SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, values);
      await client.query('COMMIT');
      return { ok: true, account: toAccount(updated.rows[0] as AccountRow) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const clash = clashOf(err);
      if (clash) return { ok: false, reason: clash };
      throw err;
    } finally {
      client.release();
    }
  }

  async useTotpStep(id: number, step: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE accounts SET totp_step = $2 WHERE id = $1 AND totp_step < $2', [id, step]);
    return (rowCount ?? 0) > 0;
  }
}
