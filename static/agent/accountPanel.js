// @ts-check
// Who is signed in, as the console shows it: the account bar at the top (name, profile, admin
// for owners and admins, sign out) and, while not online, the card to go online or, with no
// session, the sign-in form.
import { signOut } from '../lib/account.js';
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { SignInForm } from './signIn.js';

/** @import { AccountView } from '../lib/account.js' */

/** The account bar, the go-online card and the sign-in form. */
export class AccountPanel {
  #ui = {
    bar: byId('accountBar', HTMLElement),
    name: byId('accountName', HTMLElement),
    adminLink: byId('adminLink', HTMLAnchorElement),
    signOut: byId('signOut', HTMLButtonElement),
    card: byId('offlineCard', HTMLFormElement),
    hint: byId('offlineHint', HTMLElement),
    error: byId('onlineError', HTMLElement),
    connect: byId('connect', HTMLButtonElement),
  };

  /**
   * @param {(account: AccountView) => void} onSignedIn after a sign-in through the form
   * @param {() => void} onGoOnline when the card's button is pressed
   */
  constructor(onSignedIn, onGoOnline) {
    this.signIn = new SignInForm(onSignedIn);
    this.#ui.card.addEventListener('submit', (e) => {
      e.preventDefault();
      onGoOnline();
    });
    this.#ui.signOut.addEventListener('click', () => {
      sessionStorage.removeItem('kefu.active');
      void signOut();
    });
  }

  /** @param {AccountView} account */
  signedIn(account) {
    this.#ui.name.textContent = account.name;
    this.#ui.adminLink.hidden = account.role === 'agent';
    this.#ui.bar.hidden = false;
    this.signIn.hide();
  }

  /**
   * The session ended (signed out here or elsewhere, disabled): the sign-in form, saying why.
   * @param {string} reason
   */
  signedOut(reason) {
    this.#ui.bar.hidden = true;
    this.hideCard();
    this.signIn.show(reason);
  }

  /**
   * Not online: for a signed-in account (`name`), the card to go online, with why the last
   * connection ended when it did not end on purpose; with no account, the sign-in form.
   * @param {string} name
   * @param {string} reason
   */
  offline(name, reason) {
    if (!name) {
      this.signIn.show(reason);
      return;
    }
    this.#ui.hint.textContent = t('offlineCardHint', name);
    this.#ui.error.textContent = reason;
    this.#ui.card.hidden = false;
    this.#ui.connect.disabled = false;
    this.#ui.connect.focus();
  }

  hideCard() {
    this.#ui.card.hidden = true;
  }

  /** @param {boolean} busy while a connection is being made */
  connecting(busy) {
    this.#ui.connect.disabled = busy;
  }
}
