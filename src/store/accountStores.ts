import type { AccountStore } from './accountStore.js';
import type { AuditLog } from './auditLog.js';
import type { CredentialStore } from './credentialStore.js';
import type { SecretStore } from './secretStore.js';

/**
 * The stores of accounts and their credentials, in the same database as the conversations
 * (opened beside Stores by backends.ts, closed with it).
 */
export interface AccountStores {
  accounts: AccountStore;
  credentials: CredentialStore;
  audit: AuditLog;
  secrets: SecretStore;
}
