import type { Account, AccountStore } from '../../store/accountStore.js';
import type { ApiTokenRecord, CredentialStore } from '../../store/credentialStore.js';
import type { Actor, AuditTrail } from './auditTrail.js';
import { hashToken, newSecretToken } from './secretTokens.js';

/**
 * What every personal API token starts with: a reader (or a secret scanner) tells it from other
 * strings, and the API tells it from a customer's resume token or the legacy key at a glance.
 */
export const API_TOKEN_PREFIX = 'kefu_pat_';

/** A token's last use is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

type Self = Actor & { account: Account };

/**
 * Personal API tokens: bearer tokens for scripts, each named, with the role of its account at the
 * time of use (a disabled account's tokens stop working, a demoted account's lose its rights).
 * Shown once when made; only the hash is kept.
 */
export class ApiTokens {
  constructor(
    private readonly accounts: AccountStore,
    private readonly credentials: CredentialStore,
    private readonly audit: AuditTrail,
    private readonly now: () => number,
  ) {}

  async create(self: Self, name: string): Promise<{ token: string; record: ApiTokenRecord }> {
    const token = API_TOKEN_PREFIX + newSecretToken();
    const record = await this.credentials.createApiToken({ accountId: self.account.id, name, tokenHash: hashToken(token), createdAt: this.now() });
    await this.audit.record('api_token_created', self, self.account, { token: record.id, name });
    return { token, record };
  }

  list(self: Self): Promise<ApiTokenRecord[]> {
    return this.credentials.apiTokensOf(self.account.id);
  }

  async revoke(self: Self, id: number): Promise<boolean> {
    if (!(await this.credentials.deleteApiToken(id, self.account.id))) return false;
    await this.audit.record('api_token_revoked', self, self.account, { token: id });
    return true;
  }

  /** The account a token acts for, if the token exists and the account is enabled. */
  async resolve(token: string): Promise<{ account: Account; record: ApiTokenRecord } | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const record = await this.credentials.apiTokenByHash(hashToken(token));
    if (!record) return undefined;
    const account = await this.accounts.getAccount(record.accountId);
    if (!account || account.disabled) return undefined;
    const now = this.now();
    if (record.lastUsedAt === null || now - record.lastUsedAt >= TOUCH_EVERY_MS) await this.credentials.touchApiToken(record.id, now);
    return { account, record };
  }
}
