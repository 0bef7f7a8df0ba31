import type Database from 'better-sqlite3';
import type { AccountStores } from '../accountStores.js';
import { SqliteAccountStore } from './accountStore.js';
import { SqliteAuditLog } from './auditLog.js';
import { SqliteCredentialStore } from './credentialStore.js';

/** Accounts and credentials in the SQLite file the other stores use (its owner closes it). */
export function sqliteAccountStores(db: Database.Database): AccountStores {
  const insertSecret = db.prepare('INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING');
  const readSecret = db.prepare('SELECT value FROM server_secrets WHERE name = ?').pluck();
  return {
    accounts: new SqliteAccountStore(db),
    credentials: new SqliteCredentialStore(db),
    audit: new SqliteAuditLog(db),
    secrets: {
      async secret(name, candidate) {
        insertSecret.run(name, candidate);
        return readSecret.get(name) as string;
      },
    },
  };
}
