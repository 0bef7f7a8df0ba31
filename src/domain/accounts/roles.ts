import type { AccountRole } from '../../protocol/accountInput.js';
import type { Account } from '../../store/accountStore.js';

/**
 * What a role may do beyond what every signed-in agent may (chat, read and add canned replies,
 * read and handle offline messages, read their own transcripts and rating summary, keep their
 * own sessions and API tokens). The table in docs/operations.md (Roles) is written from this.
 */
export type Permission =
  /** Every conversation's transcript, not only the agent's own. */
  | 'conversations.readAll'
  /** Every agent's rating summary, not only one's own. */
  | 'ratings.readAll'
  /** Edit and delete canned replies (adding one is everyone's). */
  | 'cannedReplies.change'
  /** List, invite, change, disable and reset accounts. */
  | 'accounts.manage'
  /** Read the audit log. */
  | 'audit.read';

const ALL: ReadonlySet<Permission> = new Set(['conversations.readAll', 'ratings.readAll', 'cannedReplies.change', 'accounts.manage', 'audit.read']);

/**
 * Who may do what. `service` is the legacy shared key (KEFU_KEY): it keeps everything the data
 * APIs allowed it before accounts existed, and has no say over accounts or the audit log.
 */
const MATRIX: Record<AccountRole | 'service', ReadonlySet<Permission>> = {
  owner: ALL,
  admin: ALL,
  agent: new Set(),
  service: new Set(['conversations.readAll', 'ratings.readAll', 'cannedReplies.change']),
};

export function may(role: AccountRole | 'service', permission: Permission): boolean {
  return MATRIX[role].has(permission);
}

/** A change an admin asks of an account. */
export interface AccountChange {
  role?: AccountRole;
  disabled?: boolean;
  /** A password reset (a new invite link, the old password void). */
  reset?: boolean;
  /** Name, login, e-mail or maxChats: details that take no power from anyone. */
  details?: boolean;
}

/**
 * Whether `actor` may make `change` to `target`. Owners may change anyone; admins may change
 * admins and agents but neither touch an owner nor make one. Nobody disables or resets
 * themselves (a slip that would lock them out); "at least one enabled owner" is the store's.
 */
export function mayChange(actor: Account, target: Account, change: AccountChange): boolean {
  if (!may(actor.role, 'accounts.manage')) return false;
  if (actor.id === target.id && (change.disabled === true || change.reset === true)) return false;
  if (actor.role === 'owner') return true;
  return target.role !== 'owner' && change.role !== 'owner';
}
