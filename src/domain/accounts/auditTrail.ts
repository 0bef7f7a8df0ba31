import type { Account } from '../../store/accountStore.js';
import type { AuditLog } from '../../store/auditLog.js';

/** Who asks for something: an account, the legacy service key, or nobody known yet; and from where. */
export interface Actor {
  account: Account | 'service' | null;
  /** The client address (see transport/clientAddress.ts). */
  address: string;
}

/** The actions the audit log records; docs/operations.md (Audit log) lists them. */
export type AuditAction =
  | 'sign_in'
  | 'sign_in_failed'
  | 'sign_in_locked'
  | 'sign_out'
  | 'session_ended'
  | 'sign_out_everywhere'
  | 'setup_completed'
  | 'account_created'
  | 'account_invited'
  | 'invite_accepted'
  | 'account_changed'
  | 'account_disabled'
  | 'account_enabled'
  | 'password_reset'
  | 'password_changed'
  | 'totp_enabled'
  | 'totp_disabled'
  | 'api_token_created'
  | 'api_token_revoked'
  | 'transcripts_listed'
  | 'transcript_read';

/** Writes audit entries: who (their login, which stays put while display names change), to whom, from where, when. */
export class AuditTrail {
  constructor(
    private readonly log: AuditLog,
    private readonly now: () => number,
  ) {}

  record(action: AuditAction, actor: Actor, target?: Account | null, detail?: Record<string, unknown>): Promise<void> {
    const who = actor.account;
    return this.log.appendAudit({
      ts: this.now(),
      action,
      actorId: who === null || who === 'service' ? null : who.id,
      actor: who === null ? null : who === 'service' ? 'service' : who.login,
      targetId: target?.id ?? null,
      target: target?.login ?? null,
      address: actor.address,
      detail: detail ?? null,
    });
  }
}
