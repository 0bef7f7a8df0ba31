import type { Account } from '../../store/accountStore.js';
import type { Accounts } from './accounts.js';
import type { ClientInfo, StartedSession } from './sessions.js';

/** What a single sign-on provider vouched for, from its verified ID token (or its userinfo). */
export interface ProviderIdentity {
  /** The provider's subject for the person: kept in the audit entry, not used to find the account. */
  subject: string;
  email: string | undefined;
  /** The provider's `email_verified`, when it sent one. */
  emailVerified: boolean | undefined;
}

/**
 * Why a single sign-on was refused; the browser is told none of them (one answer for all), the
 * audit log all of them. The first ones are the transport's (the round trip through the provider
 * went wrong), the last ones the mapping's.
 */
export type SingleSignOnRefusal =
  | 'no_flow'
  | 'state_mismatch'
  | 'provider_refused'
  | 'provider_error'
  | 'no_email'
  | 'email_unverified'
  | 'no_account'
  | 'disabled';

export type SingleSignOnResult = ({ kind: 'signed_in' } & StartedSession) | { kind: 'refused'; reason: SingleSignOnRefusal };

/** The audit detail's `method` for everything single sign-on records. */
const METHOD = 'oidc';

/**
 * Single sign-on maps a provider's identity to an account an admin made (invited) here, by its
 * e-mail address, and never makes one: the provider says who someone is, kefu's admins say
 * whether they are an agent. An e-mail the provider says it has not verified maps to nobody (an
 * address anyone could have typed into their profile there); one it says nothing about is taken
 * as the provider's word. A disabled account stays out as it does with a password.
 */
export class SingleSignOn {
  constructor(private readonly accounts: Pick<Accounts, 'accountByEmail' | 'sessions' | 'audit'>) {}

  /** Starts a session (a new token, audited as a sign-in with method `oidc`) or refuses, audited with the reason. */
  async signIn(identity: ProviderIdentity, client: ClientInfo): Promise<SingleSignOnResult> {
    const { email } = identity;
    if (email === undefined) return this.refuse('no_email', client, { subject: identity.subject });
    if (identity.emailVerified === false) return this.refuse('email_unverified', client, { email });
    const account = await this.accounts.accountByEmail(email);
    if (!account) return this.refuse('no_account', client, { email });
    if (account.disabled) return this.refuse('disabled', client, { email }, account);
    return { kind: 'signed_in', ...(await this.accounts.sessions.start(account, client, METHOD)) };
  }

  /** Records a refusal (the transport's own, or the mapping's) as a failed sign-in with method `oidc`. */
  async refuse(reason: SingleSignOnRefusal, client: ClientInfo, detail: Record<string, unknown> = {}, account?: Account): Promise<SingleSignOnResult> {
    await this.accounts.audit.record('sign_in_failed', { account: null, address: client.address }, account ?? null, { method: METHOD, reason, ...detail });
    return { kind: 'refused', reason };
  }
}
