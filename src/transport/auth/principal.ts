import type { Actor } from '../../domain/accounts/auditTrail.js';
import type { AccountRole } from '../../protocol/accountInput.js';
import type { Account } from '../../store/accountStore.js';
import type { SessionRecord } from '../../store/credentialStore.js';

/**
 * Who an agent-side request acts as: an account, signed in through the console (a session cookie)
 * or a personal API token; or the legacy shared key (KEFU_KEY), which stands for no account.
 */
export type Principal =
  | { kind: 'account'; account: Account; via: 'session'; session: SessionRecord }
  | { kind: 'account'; account: Account; via: 'token'; tokenId: number }
  | { kind: 'service' };

/** The role the matrix (domain/accounts/roles.ts) is read with. */
export function roleOf(p: Principal): AccountRole | 'service' {
  return p.kind === 'service' ? 'service' : p.account.role;
}

/** The principal as the audit trail names it. */
export function actorOf(p: Principal, address: string): Actor {
  return { account: p.kind === 'service' ? 'service' : p.account, address };
}

/**
 * An account as the API shows it: never its password hash or TOTP secrets, but whether it has a
 * password yet (an invite not accepted has none) and whether TOTP is on.
 */
export function publicAccount(a: Account) {
  return {
    id: a.id,
    name: a.name,
    login: a.login,
    email: a.email,
    role: a.role,
    disabled: a.disabled,
    avatar: a.avatar,
    maxChats: a.maxChats,
    totp: a.totpSecret !== null,
    passwordSet: a.passwordHash !== null,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
