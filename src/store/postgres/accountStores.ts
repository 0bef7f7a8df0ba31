import type pg from 'pg';
import type { AccountStores } from '../accountStores.js';
import { PostgresAccountStore } from './accountStore.js';
import { PostgresAuditLog } from './auditLog.js';
import { PostgresCredentialStore } from './credentialStore.js';

/** Accounts and credentials in the PostgreSQL database the other stores use (their owner ends the pool). */
export function postgresAccountStores(pool: pg.Pool): AccountStores {
  return {
    accounts: new PostgresAccountStore(pool),
    credentials: new PostgresCredentialStore(pool),
    audit: new PostgresAuditLog(pool),
    secrets: {
      async secret(name, candidate) {
        await pool.query('INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, candidate]);
        const { rows } = await pool.query<{ value: string }>('SELECT value FROM server_secrets WHERE name = $1', [name]);
        return rows[0]?.value as string;
      },
    },
  };
}
