/**
 * Sessions that just ended, whose sockets must close at once wherever they are: every session of
 * the account (`sessionIds` unset: disabled, signed out everywhere, password reset) or the ones
 * named (one sign-out, a password change that keeps the current session).
 */
export interface Revocation {
  accountId: number;
  sessionIds?: number[];
  reason: 'disabled' | 'signed_out' | 'password_reset';
  /**
   * The account's agent name, when every session ended: an agent of it who dropped and is within
   * grace has no socket to close, so their room is closed by this name.
   */
  agent?: string;
}
