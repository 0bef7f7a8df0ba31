import type { AccountRole } from '../protocol/accountInput.js';

export type { AccountRole } from '../protocol/accountInput.js';

/**
 * A person who signs in to the console or the API. `name` is what the protocol shows (the agent
 * name of every frame); `login` is what they type to sign in. Neither is a secret.
 */
export interface Account {
  id: number;
  /** The display name, normalised by checkName; unique by agentNameKey (look-alikes are one name). */
  name: string;
  /** Lower-case; unique. */
  login: string;
  /** Lower-case; unique when set. Single sign-on finds an invited account by it. */
  email: string | null;
  role: AccountRole;
  disabled: boolean;
  /** An avatar id of protocol/avatars, or null for the one drawn from the name. */
  avatar: string | null;
  /** The most chats the agent may hold at once. */
  maxChats: number;
  /** scrypt hash (domain/accounts/passwords.ts); null until the invitee chose a password. */
  passwordHash: string | null;
  /** The TOTP secret once enrolment was confirmed with a code; null when not enrolled. */
  totpSecret: string | null;
  /** A secret offered for enrolment, waiting for its first code. */
  totpPending: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A new account; the store gives it its id. */
export interface NewAccount {
  name: string;
  login: string;
  email?: string | null;
  role: AccountRole;
  passwordHash?: string | null;
  avatar?: string | null;
  maxChats?: number;
}

/** Fields an update may change; the others stay. */
export type AccountPatch = Partial<
  Pick<Account, 'name' | 'login' | 'email' | 'role' | 'disabled' | 'avatar' | 'maxChats' | 'passwordHash' | 'totpSecret' | 'totpPending'>
>;

/** Why a write was refused. `last_owner`: it would leave no enabled owner. */
export type AccountRefusal = 'name_taken' | 'login_taken' | 'email_taken' | 'not_found' | 'last_owner';

export type AccountWrite = { ok: true; account: Account } | { ok: false; reason: AccountRefusal };

/**
 * Where accounts live. Uniqueness (name by its look-alike key, login, e-mail) and "at least one
 * enabled owner" are the store's to hold, so two admins acting at once on two nodes cannot break them.
 */
export interface AccountStore {
  countAccounts(): Promise<number>;
  /** `nameKey` is agentNameKey(name): the form two names are compared in. */
  createAccount(account: NewAccount, nameKey: string, now: number): Promise<AccountWrite>;
  getAccount(id: number): Promise<Account | undefined>;
  accountByLogin(login: string): Promise<Account | undefined>;
  accountByEmail(email: string): Promise<Account | undefined>;
  /** Every account, oldest first. */
  listAccounts(): Promise<Account[]>;
  /**
   * Changes the fields given (`nameKey` with a new name). Refused with `last_owner` when the
   * change would leave no owner who is not disabled.
   */
  updateAccount(id: number, patch: AccountPatch, now: number, nameKey?: string): Promise<AccountWrite>;
  /**
   * Records that a TOTP code of time step `step` was used: true once per step and account, so a
   * code seen over someone's shoulder cannot be replayed within its window.
   */
  useTotpStep(id: number, step: number): Promise<boolean>;
}
