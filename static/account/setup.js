// @ts-check
// The page of a one-time link (#token=… in the fragment, which reaches no server log): the
// first run's link creates the owner; an invite (or a password reset) lets its account choose a
// password. Either signs in and goes to the console.
import { sendJson } from '../lib/account.js';
import { byId } from '../lib/dom.js';
import { applyStrings, pageHref, t } from '../lib/i18n.js';
import { showError } from './page.js';

applyStrings(document);
const ui = {
  form: byId('setupForm', HTMLFormElement),
  title: byId('setupTitle', HTMLElement),
  hint: byId('setupHint', HTMLElement),
  ownerFields: byId('ownerFields', HTMLElement),
  passwordFields: byId('passwordFields', HTMLElement),
  name: byId('setupName', HTMLInputElement),
  login: byId('setupLogin', HTMLInputElement),
  email: byId('setupEmail', HTMLInputElement),
  password: byId('setupPassword', HTMLInputElement),
  error: byId('setupError', HTMLElement),
  submit: byId('setupSubmit', HTMLButtonElement),
};

const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
// Out of the address bar (and the history) once read.
history.replaceState(null, '', location.pathname);

const view = token ? await sendJson('POST', '/api/links/inspect', { token }).catch(() => null) : null;
const purpose = view?.status === 200 ? view.body?.purpose : undefined;
const invited = view?.body?.account;

if (purpose === 'setup') {
  ui.title.textContent = t('setupTitle');
  ui.hint.textContent = t('setupHint');
  ui.ownerFields.hidden = false;
  ui.passwordFields.hidden = false;
  ui.submit.textContent = t('setupSubmit');
  ui.submit.hidden = false;
  ui.name.focus();
} else if (purpose === 'invite' && typeof invited === 'object' && invited !== null) {
  const who = /** @type {Record<string, unknown>} */ (invited);
  ui.title.textContent = t('inviteWelcome', String(who.name ?? ''));
  ui.hint.textContent = t('inviteHint', String(who.login ?? ''));
  ui.passwordFields.hidden = false;
  ui.submit.textContent = t('inviteSubmit');
  ui.submit.hidden = false;
  ui.password.focus();
} else {
  ui.title.textContent = t('accountErrors.bad_link');
}

ui.form.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(ui.error, null);
  if ([...ui.password.value].length < 10) return showError(ui.error, t('badPassword'));
  ui.submit.disabled = true;
  const answer =
    purpose === 'setup'
      ? await sendJson('POST', '/api/setup', { token, name: ui.name.value, login: ui.login.value, email: ui.email.value, password: ui.password.value })
      : await sendJson('POST', '/api/invites/accept', { token, password: ui.password.value });
  ui.submit.disabled = false;
  if (answer.status === 200 || answer.status === 201) {
    location.assign(pageHref('kefu.html'));
    return;
  }
  showError(ui.error, answer);
});
