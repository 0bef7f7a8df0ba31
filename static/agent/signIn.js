// @ts-check
// The console's sign-in form: login and password, then the TOTP code when the account has one.
// One message for every refusal (the server never says which part was wrong); a lockout says
// how long to wait.
import { accountFrom, sendJson } from '../lib/account.js';
import { byId } from '../lib/dom.js';
import { retryAfterSeconds } from '../lib/http.js';
import { t } from '../lib/i18n.js';

/** @import { AccountView } from '../lib/account.js' */

/** The sign-in form; `onSignedIn` runs once the session cookie is set. */
export class SignInForm {
  #ui = {
    form: byId('signIn', HTMLFormElement),
    passwordStep: byId('passwordStep', HTMLElement),
    codeStep: byId('codeStep', HTMLElement),
    login: byId('login', HTMLInputElement),
    password: byId('password', HTMLInputElement),
    code: byId('code', HTMLInputElement),
    error: byId('loginError', HTMLElement),
    submit: byId('signInButton', HTMLButtonElement),
  };
  /** @type {string | null} the challenge of the code step, while it is shown */
  #challenge = null;

  /** @param {(account: AccountView) => void} onSignedIn */
  constructor(onSignedIn) {
    this.onSignedIn = onSignedIn;
    this.#ui.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.#submit();
    });
  }

  /**
   * Shows the form at its first step, with a reason when there is one (a refused connection).
   * @param {string} [reason]
   */
  show(reason = '') {
    this.#challenge = null;
    this.#ui.passwordStep.hidden = false;
    this.#ui.codeStep.hidden = true;
    this.#ui.password.value = '';
    this.#ui.code.value = '';
    this.#ui.error.textContent = reason;
    this.#ui.form.hidden = false;
    (this.#ui.login.value ? this.#ui.password : this.#ui.login).focus();
  }

  hide() {
    this.#ui.form.hidden = true;
  }

  async #submit() {
    const ui = this.#ui;
    ui.error.textContent = '';
    const codeStep = this.#challenge !== null;
    if (!codeStep && (!ui.login.value.trim() || !ui.password.value)) {
      ui.error.textContent = t('loginRequired');
      (ui.login.value.trim() ? ui.password : ui.login).focus();
      return;
    }
    if (codeStep && !/^\d{6}$/.test(ui.code.value.replace(/\s/g, ''))) {
      ui.error.textContent = t('codeRequired');
      ui.code.focus();
      return;
    }
    ui.submit.disabled = true;
    try {
      const answer = codeStep
        ? await sendJson('POST', '/api/auth/sign-in/code', { challenge: this.#challenge, code: ui.code.value })
        : await sendJson('POST', '/api/auth/sign-in', { login: ui.login.value, password: ui.password.value });
      const account = accountFrom(answer.body?.account);
      if (answer.status === 200 && account) {
        ui.password.value = '';
        this.onSignedIn(account);
        return;
      }
      if (answer.status === 200 && answer.body?.totpRequired === true && typeof answer.body.challenge === 'string') {
        this.#challenge = answer.body.challenge;
        ui.passwordStep.hidden = true;
        ui.codeStep.hidden = false;
        ui.code.focus();
        return;
      }
      if (answer.status === 429) {
        ui.error.textContent = t('lockedOut', Math.ceil(retryAfterSeconds(answer.headers.get('Retry-After'), Date.now()) / 60));
      } else {
        ui.error.textContent = answer.status === 401 ? t('signInFailed') : t('requestFailed');
      }
      (codeStep ? ui.code : ui.password).select();
    } catch {
      ui.error.textContent = t('stateUnreachable');
    } finally {
      ui.submit.disabled = false;
    }
  }
}
