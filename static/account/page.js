// @ts-check
// What the account pages share: their texts, the signed-in account (or the way back to sign in),
// the account bar, and showing a refusal or a note in its place.
import { currentAccount, refusalText, signOut } from '../lib/account.js';
import { byId } from '../lib/dom.js';
import { applyStrings, pageHref, t } from '../lib/i18n.js';

/** @import { AccountView } from '../lib/account.js' */
/** @import { JsonAnswer } from '../lib/http.js' */

/**
 * Fills the page's texts and its account bar; resolves with the signed-in account, or sends
 * the browser to the console's sign-in form (and never resolves) when nobody is signed in.
 * @param {string} title
 * @returns {Promise<AccountView>}
 */
export async function accountPage(title) {
  applyStrings(document);
  document.title = t(title);
  byId('signOut', HTMLButtonElement).addEventListener('click', () => void signOut());
  const account = await currentAccount().catch(() => null);
  if (!account) {
    location.assign(pageHref('kefu.html'));
    return new Promise(() => {});
  }
  byId('accountName', HTMLElement).textContent = account.name;
  byId('page', HTMLElement).hidden = false;
  return account;
}

/**
 * Shows a refused answer's text in `node` (hidden again when `answer` is null).
 * @param {HTMLElement} node
 * @param {JsonAnswer | string | null} answer
 */
export function showError(node, answer) {
  node.textContent = answer === null ? '' : typeof answer === 'string' ? answer : refusalText(answer);
  node.hidden = answer === null;
}

/**
 * A short note that something worked, gone again after a while.
 * @param {HTMLElement} node
 * @param {string} text
 */
export function flash(node, text) {
  node.textContent = text;
  setTimeout(() => {
    if (node.textContent === text) node.textContent = '';
  }, 4000);
}

/** A date and time as people read them, in the page's locale. */
export { dateTime } from '../lib/format.js';
