import type http from 'node:http';
import type Provider from 'oidc-provider';
import type { CookieJar } from './cookieJar.js';

/**
 * The test provider's own sign-in and consent pages, in place of oidc-provider's development ones
 * (whose page loads a web font from the internet): plain forms a person, or signOnAtProvider,
 * fills in. Any login is accepted with any password and is the account id findAccount is asked
 * for. Answers the requests under /interaction/; false for any other, which the provider serves.
 */
export function interactionPages(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|consent|abort))?$/.exec(req.url ?? '');
  if (!match) return false;
  const [, uid, step] = match;
  answer(provider, req, res, uid ?? '', step).catch((err: unknown) => {
    res.statusCode = 500;
    res.end(`interaction failed: ${err instanceof Error ? err.message : String(err)}`);
  });
  return true;
}

async function answer(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, uid: string, step: string | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (step === undefined) {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(details.prompt.name === 'login' ? loginPage(uid) : consentPage(uid));
    return;
  }
  if (step === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person cancelled' }, { mergeWithLastSubmission: false });
    return;
  }
  const form = new URLSearchParams(await bodyOf(req));
  if (step === 'login') {
    await provider.interactionFinished(req, res, { login: { accountId: form.get('login') ?? '' } }, { mergeWithLastSubmission: false });
    return;
  }
  const { session, params, prompt, grantId } = details;
  const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId: session?.accountId, clientId: params.client_id ?? '' });
  if (!grant) throw new Error('no such grant');
  const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
}

function bodyOf(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test ID</title></head><body><h1>Test ID</h1>${body}</body></html>`;

function loginPage(uid: string): string {
  return page(`<form method="post" action="/interaction/${uid}/login">
<label>login <input id="providerLogin" name="login" autofocus></label>
<label>password <input id="providerPassword" name="password" type="password"></label>
<button id="providerSignIn" type="submit">sign in</button>
</form>
<a id="providerCancel" href="/interaction/${uid}/abort">cancel</a>`);
}

function consentPage(uid: string): string {
  return page(`<p>kefu asks to know who you are and your e-mail address.</p>
<form method="post" action="/interaction/${uid}/consent"><button id="providerAllow" type="submit">allow</button></form>`);
}

/**
 * Walks a browser (its cookie jar) from `startUrl` (kefu's start of single sign-on) through the
 * provider's sign-in form, as `login`, and its consent form, up to the redirect back to
 * `callbackUrl`; returns that URL (with the code and state) without requesting it. With `cancel`,
 * the person cancels on the sign-in form instead (the provider answers with an error).
 */
export async function signOnAtProvider(jar: CookieJar, startUrl: string, login: string, callbackUrl: string, cancel = false): Promise<string> {
  let res = await jar.fetch(startUrl);
  let at = startUrl;
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      at = new URL(res.headers.get('location') ?? '', at).href;
      if (at.startsWith(`${callbackUrl}?`)) return at;
      res = await jar.fetch(at);
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || action === undefined) throw new Error(`the provider answered ${res.status} at ${at}: ${html.slice(0, 300)}`);
    const abort = /<a id="providerCancel" href="([^"]+)"/.exec(html)?.[1];
    if (cancel && abort !== undefined) {
      at = new URL(abort, at).href;
      res = await jar.fetch(at);
      continue;
    }
    at = new URL(action, at).href;
    const form = new URLSearchParams({ login, password: 'any password' });
    res = await jar.fetch(at, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  }
  throw new Error('no redirect back to kefu after 20 steps');
}
