import { agentNameKey } from '../../cluster/roomRegistry.js';
import type { AccountStores } from '../../store/accountStores.js';
import type { AccountWrite } from '../../store/accountStore.js';
import { AccountAdmin } from './accountAdmin.js';
import { ApiTokens } from './apiTokens.js';
import { AuditTrail } from './auditTrail.js';
import { Links } from './links.js';
import { hashPassword } from './passwords.js';
import { Profiles } from './profile.js';
import { Sessions, type SessionOptions } from './sessions.js';

/**
 * Agent accounts, as the transport sees them: a thin front over one-job parts (sessions, one-time
 * links, admin actions, profiles, API tokens, the audit trail), wired here once over the stores.
 */
export class Accounts {
  readonly audit: AuditTrail;
  readonly sessions: Sessions;
  readonly links: Links;
  readonly admin: AccountAdmin;
  readonly profiles: Profiles;
  readonly apiTokens: ApiTokens;

  constructor(
    readonly stores: AccountStores,
    options: SessionOptions,
    private readonly now: () => number = Date.now,
  ) {
    const { accounts, credentials } = stores;
    this.audit = new AuditTrail(stores.audit, now);
    this.sessions = new Sessions(accounts, credentials, this.audit, options, now);
    this.links = new Links(accounts, credentials, this.audit, now);
    this.admin = new AccountAdmin(accounts, credentials, this.links, this.audit, now);
    this.profiles = new Profiles(accounts, credentials, this.audit, now);
    this.apiTokens = new ApiTokens(accounts, credentials, this.audit, now);
  }

  /**
   * An account made from the command line (`node index --create-admin`): the owner when it is the
   * first account, else an admin.
   */
  async createFromCommandLine(input: { name: string; login: string; email: string | null; password: string }): Promise<AccountWrite> {
    const role = (await this.stores.accounts.countAccounts()) === 0 ? 'owner' : 'admin';
    const made = await this.stores.accounts.createAccount(
      { name: input.name, login: input.login, email: input.email, role, passwordHash: await hashPassword(input.password) },
      agentNameKey(input.name),
      this.now(),
    );
    if (made.ok) await this.audit.record('account_created', { account: null, address: 'command line' }, made.account, { role });
    return made;
  }

  /** The account single sign-on maps an identity to: found by its (lower-case) e-mail address. */
  accountByEmail(email: string) {
    return this.stores.accounts.accountByEmail(email.trim().toLowerCase());
  }
}
