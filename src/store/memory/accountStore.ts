import type { Account, AccountPatch, AccountStore, AccountWrite, NewAccount } from '../accountStore.js';

/** Accounts in this process only (STORE=memory, tests): same contract, forgotten on restart. */
export class MemoryAccountStore implements AccountStore {
  private readonly accounts = new Map<number, Account>();
  private readonly nameKeys = new Map<number, string>();
  private readonly totpSteps = new Map<number, number>();
  private nextId = 1;

  async countAccounts(): Promise<number> {
    return this.accounts.size;
  }

  async createAccount(input: NewAccount, nameKey: string, now: number): Promise<AccountWrite> {
    const account: Account = {
      id: this.nextId,
      name: input.name,
      login: input.login,
      email: input.email ?? null,
      role: input.role,
      disabled: false,
      avatar: input.avatar ?? null,
      maxChats: input.maxChats ?? 1,
      passwordHash: input.passwordHash ?? null,
      totpSecret: null,
      totpPending: null,
      createdAt: now,
      updatedAt: now,
    };
    const clash = this.clash(account, nameKey);
    if (clash) return { ok: false, reason: clash };
    this.nextId++;
    this.accounts.set(account.id, account);
    this.nameKeys.set(account.id, nameKey);
    return { ok: true, account: { ...account } };
  }

  async getAccount(id: number): Promise<Account | undefined> {
    const a = this.accounts.get(id);
    return a && { ...a };
  }

  async accountByLogin(login: string): Promise<Account | undefined> {
    for (const a of this.accounts.values()) if (a.login === login) return { ...a };
    return undefined;
  }

  async accountByEmail(email: string): Promise<Account | undefined> {
    for (const a of this.accounts.values()) if (a.email === email) return { ...a };
    return undefined;
  }

  async listAccounts(): Promise<Account[]> {
    return [...this.accounts.values()].map((a) => ({ ...a }));
  }

  async updateAccount(id: number, patch: AccountPatch, now: number, nameKey?: string): Promise<AccountWrite> {
    const current = this.accounts.get(id);
    if (!current) return { ok: false, reason: 'not_found' };
    const next: Account = { ...current, ...patch, updatedAt: now };
    const key = nameKey ?? (this.nameKeys.get(id) as string);
    const clash = this.clash(next, key, id);
    if (clash) return { ok: false, reason: clash };
    const owners = [...this.accounts.values()].filter((a) => a.id !== id && a.role === 'owner' && !a.disabled).length;
    if (owners === 0 && current.role === 'owner' && !current.disabled && (next.role !== 'owner' || next.disabled)) return { ok: false, reason: 'last_owner' };
    this.accounts.set(id, next);
    this.nameKeys.set(id, key);
    return { ok: true, account: { ...next } };
  }

  async useTotpStep(id: number, step: number): Promise<boolean> {
    if ((this.totpSteps.get(id) ?? -1) >= step) return false;
    this.totpSteps.set(id, step);
    return true;
  }

  private clash(a: Account, nameKey: string, except?: number): 'name_taken' | 'login_taken' | 'email_taken' | undefined {
    for (const other of this.accounts.values()) {
      if (other.id === except) continue;
      if (this.nameKeys.get(other.id) === nameKey) return 'name_taken';
      if (other.login === a.login) return 'login_taken';
      if (a.email !== null && other.email === a.email) return 'email_taken';
    }
    return undefined;
  }
}
