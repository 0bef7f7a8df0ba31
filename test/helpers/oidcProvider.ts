import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { interactionPages } from './oidcInteractions.js';

/** kefu's registration at the test provider. */
export const OIDC_CLIENT_ID = 'kefu-test';
export const OIDC_CLIENT_SECRET = 'kefu-test-client-secret';

/** A person the provider knows, by the login typed on its sign-in form; their claims as it sends them. */
export type ProviderUsers = Record<string, { email?: string; email_verified?: boolean }>;

export interface TestProvider {
  issuer: string;
  /** The OIDC_* settings that point kefu at this provider. */
  env: Record<string, string>;
  /**
   * Registers kefu (its redirect URI, known once kefu has its port) and starts answering: until
   * then requests wait, so kefu's discovery at its start is answered as soon as this runs.
   */
  register(redirectUri: string): void;
  /** How each request to the token endpoint authenticated kefu: the secret in HTTP Basic, or in the form. */
  tokenAuth: Array<'basic' | 'post'>;
  close(): Promise<void>;
}

export interface TestProviderOptions {
  /** Put the e-mail claims in the ID token (default), or only in userinfo as the spec's default has it. */
  emailInIdToken?: boolean;
  /** Accept the client secret in the form only, and say so in discovery (as some providers do); default: Basic or the form. */
  secretInFormOnly?: boolean;
  /** A port of its own choosing (one kefu was already pointed at); default: a free one. */
  port?: number;
}

// Lifetimes, in seconds, set so the provider does not warn that its defaults are for development.
const TTL = { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 };

/**
 * A real OpenID provider (oidc-provider) on a free port of 127.0.0.1, with sign-in and consent
 * pages of the test's own (oidcInteractions.ts: any login is accepted with any password), signing
 * with a key made for this run.
 */
export async function startTestProvider(users: ProviderUsers, options: TestProviderOptions = {}): Promise<TestProvider> {
  let answer: http.RequestListener | undefined;
  const waiting: Array<() => void> = [];
  const tokenAuth: TestProvider['tokenAuth'] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/token') tokenAuth.push(req.headers.authorization?.startsWith('Basic ') ? 'basic' : 'post');
    if (answer) answer(req, res);
    else waiting.push(() => answer?.(req, res));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return {
    issuer,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET },
    tokenAuth,
    register(redirectUri) {
      // Its warning that the in-memory adapter is for development only: that is what this is.
      const warn = console.warn;
      console.warn = (...args: unknown[]) => {
        if (!String(args[0]).startsWith('oidc-provider WARNING: a quick start development-only')) warn(...args);
      };
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: OIDC_CLIENT_ID,
            client_secret: OIDC_CLIENT_SECRET,
            redirect_uris: [redirectUri],
            token_endpoint_auth_method: options.secretInFormOnly ? 'client_secret_post' : 'client_secret_basic',
          },
        ],
        ...(options.secretInFormOnly ? { clientAuthMethods: ['client_secret_post'] } : {}),
        findAccount: (_ctx, id) => {
          const user = users[id];
          return user && { accountId: id, claims: () => ({ sub: id, ...user }) };
        },
        claims: { openid: ['sub'], email: ['email', 'email_verified'] },
        conformIdTokenClaims: options.emailInIdToken === false,
        cookies: { keys: ['test-provider-cookie-key'] },
        jwks: { keys: [{ ...key, use: 'sig', alg: 'RS256', kid: 'test' }] },
        ttl: TTL,
        features: { devInteractions: { enabled: false } },
      });
      console.warn = warn;
      const serve = provider.callback();
      answer = (req, res) => {
        if (!interactionPages(provider, req, res)) serve(req, res);
      };
      for (const go of waiting.splice(0)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
