import type { AccountStores } from '../accountStores.js';
import { MemoryAccountStore } from './accountStore.js';
import { MemoryAuditLog } from './auditLog.js';
import { MemoryCredentialStore } from './credentialStore.js';

/** Accounts and credentials in this process (STORE=memory, tests): a restart signs everybody out. */
export function openMemoryAccountStores(): AccountStores {
  const secrets = new Map<string, string>();
  return {
    accounts: new MemoryAccountStore(),
    credentials: new MemoryCredentialStore(),
    audit: new MemoryAuditLog(),
    secrets: {
      async secret(name, candidate) {
        if (!secrets.has(name)) secrets.set(name, candidate);
        return secrets.get(name) as string;
      },
    },
  };
}
