import type * as OpenId from 'openid-client';
import type { Logger } from 'pino';
import type { ProviderIdentity } from '../../domain/accounts/singleSignOn.js';
import { checkEmail } from '../../protocol/accountInput.js';
import type { Flow } from './oidcFlow.js';

/** Where kefu is registered at an OpenID provider. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** How long discovery and each request to the provider may take. */
const PROVIDER_TIMEOUT_S = 10;
/** A discovery that failed is tried again when asked, but not more often than this. */
const RETRY_AFTER_MS = 60_000;
/** What kefu asks the provider for: who it is (`openid`) and the e-mail address it is known by. */
const SCOPE = 'openid email';

/**
 * kefu as a client of one OpenID provider (openid-client): discovery, the authorization URL with
 * PKCE, state and nonce, and the code exchanged for a verified identity. openid-client is an ES
 * module, loaded only here and only when single sign-on is configured.
 *
 * Discovery starts with the server and never stops it: while the provider cannot be reached the
 * sign-in button stays hidden, and discovery is tried again when a page asks (at most once a minute).
 */
export class OidcClient {
  private discovered: { lib: typeof OpenId; config: OpenId.Configuration } | undefined;
  private attempt: Promise<void> | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly settings: OidcSettings,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts discovery (called with the server's start; not awaited). */
  start(): void {
    void this.discover();
  }

  /** True once the provider is discovered; waits for a discovery in progress, or starts one when the last failed a while ago. */
  async ready(): Promise<boolean> {
    if (this.discovered) return true;
    if (this.attempt === undefined && this.now() - this.failedAt >= RETRY_AFTER_MS) void this.discover();
    await this.attempt;
    return this.discovered !== undefined;
  }

  private discover(): Promise<void> {
    this.attempt ??= (async () => {
      const issuer = this.settings.issuer;
      try {
        const lib = await import('openid-client');
        const url = new URL(issuer);
        const config = await lib.discovery(url, this.settings.clientId, this.settings.clientSecret, secretAuth(lib, this.settings.clientSecret), {
          timeout: PROVIDER_TIMEOUT_S,
          // Plain http only for a provider on this machine: config.ts refuses it for any other host.
          execute: url.protocol === 'http:' ? [lib.allowInsecureRequests] : [],
        });
        this.discovered = { lib, config };
        this.log.info({ issuer }, 'single sign-on: provider discovered');
      } catch (err) {
        this.failedAt = this.now();
        this.log.warn({ err, issuer }, 'single sign-on: discovery failed; its sign-in button stays hidden until it succeeds');
      } finally {
        this.attempt = undefined;
      }
    })();
    return this.attempt;
  }

  private use() {
    if (!this.discovered) throw new Error('single sign-on provider not discovered');
    return this.discovered;
  }

  /** Where to send the browser to sign in, and the flow the callback will check the answer against. */
  async begin(redirectUri: string): Promise<{ url: URL; flow: Omit<Flow, 'expiresAt'> }> {
    const { lib, config } = this.use();
    const flow = { state: lib.randomState(), nonce: lib.randomNonce(), verifier: lib.randomPKCECodeVerifier(), redirectUri };
    const url = lib.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: SCOPE,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await lib.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    return { url, flow };
  }

  /**
   * The provider's answer (the callback's query string) exchanged for the identity in its ID token,
   * verified by openid-client (signature, issuer, audience, expiry, nonce; state and PKCE). A
   * provider that puts the e-mail in its userinfo rather than the ID token (as the spec's default
   * is) is asked there, for the same subject. Throws when anything does not check out.
   */
  async finish(query: string, flow: Flow): Promise<ProviderIdentity> {
    const { lib, config } = this.use();
    const current = new URL(flow.redirectUri);
    current.search = query;
    const tokens = await lib.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
    });
    const claims = tokens.claims();
    if (claims === undefined) throw new Error('the provider sent no ID token');
    let source: Record<string, unknown> = claims;
    if (claims.email === undefined) source = await lib.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { subject: claims.sub, email: emailOf(source.email), emailVerified: verifiedOf(source.email_verified) };
  }
}

/**
 * How the client secret goes to the token endpoint: HTTP Basic (client_secret_basic, OpenID's
 * default, which providers support unless they say otherwise), or in the form
 * (client_secret_post) when the provider's discovery document lists that and not Basic.
 */
function secretAuth(lib: typeof OpenId, secret: string): OpenId.ClientAuth {
  const basic = lib.ClientSecretBasic(secret);
  const post = lib.ClientSecretPost(secret);
  return (as, client, body, headers) => {
    const methods = as.token_endpoint_auth_methods_supported;
    const usePost = Array.isArray(methods) && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    (usePost ? post : basic)(as, client, body, headers);
  };
}

/** An e-mail claim as an address accounts are found by; anything else is none. */
function emailOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const checked = checkEmail(raw);
  return checked.ok && checked.value !== null ? checked.value : undefined;
}

/** `email_verified` as sent (some providers send it as a string); a value that is neither is not taken as verified. */
function verifiedOf(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null) return undefined;
  return raw === true || raw === 'true';
}
