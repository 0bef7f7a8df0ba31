// @ts-check
// Single sign-on on the console's sign-in form: a "sign in with …" link when the server offers a
// provider (GET /api/auth/oidc), and what the server said when the browser came back from it
// (?sso=failed, locked or unavailable). Signing on leaves the page for the provider and comes
// back to it: a flag in this tab's sessionStorage says to go online at once, as after a password.
import { el } from '../lib/dom.js';
import { requestJson } from '../lib/http.js';
import { t } from '../lib/i18n.js';

const RETURNING = 'kefu.signOn';
const OUTCOMES = new Set(['failed', 'locked', 'unavailable']);

/**
 * Single sign-on on page load: offers the provider's link in `container` (in the background) and
 * reads what the server said on the way back from it.
 * @param {HTMLElement} container
 */
export function singleSignOn(container) {
  void offerSingleSignOn(container);
  return takeSignOnReturn();
}

/**
 * Shows the provider's link in `container` when the server offers single sign-on; nothing
 * otherwise (not configured, its provider unreachable, or the server itself unreachable).
 * @param {HTMLElement} container
 */
async function offerSingleSignOn(container) {
  let answer;
  try {
    answer = await requestJson('/api/auth/oidc', { cache: 'no-store' });
  } catch {
    return;
  }
  const name = answer.body?.name;
  const start = answer.body?.start;
  if (answer.status !== 200 || typeof name !== 'string' || typeof start !== 'string' || !start.startsWith('/api/auth/oidc/')) return;
  // A link, not a form: the start is a navigation to the provider and back.
  const link = el('a', 'ghost sign-on', t('signInWith', name));
  link.id = 'signOn';
  link.href = start;
  link.addEventListener('click', () => sessionStorage.setItem(RETURNING, '1'));
  container.replaceChildren(link);
  container.hidden = false;
}

/**
 * Reads what the server said on the way back from the provider, once: the address bar loses its
 * `sso` parameter (a reload does not say it again), and the flag set on leaving is cleared.
 * @returns {{ returned: boolean, message: string }} `returned`: back from signing on (go online
 *   if signed in); `message`: why it did not sign in, for the sign-in form, or ''
 */
function takeSignOnReturn() {
  const returned = sessionStorage.getItem(RETURNING) === '1';
  sessionStorage.removeItem(RETURNING);
  const url = new URL(location.href);
  const outcome = url.searchParams.get('sso');
  if (outcome === null) return { returned, message: '' };
  url.searchParams.delete('sso');
  history.replaceState(history.state, '', url);
  return { returned, message: OUTCOMES.has(outcome) ? t(`signOn.${outcome}`) : '' };
}
