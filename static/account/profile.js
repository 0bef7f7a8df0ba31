// @ts-check
// The profile page: one's avatar, password, two-step sign-in (TOTP), signed-in devices and API
// tokens. Every name and user agent from the server goes in as text.
import { sendJson } from '../lib/account.js';
import { bindAvatarPicker } from '../lib/avatarPicker.js';
import { button, byId, el } from '../lib/dom.js';
import { pageHref, t } from '../lib/i18n.js';
import { accountPage, dateTime, flash, showError } from './page.js';

const ui = {
  avatarForm: byId('avatarForm', HTMLFormElement),
  avatarChoices: byId('avatarChoices', HTMLElement),
  avatarNote: byId('avatarNote', HTMLElement),
  passwordForm: byId('passwordForm', HTMLFormElement),
  currentPassword: byId('currentPassword', HTMLInputElement),
  newPassword: byId('newPassword', HTMLInputElement),
  passwordError: byId('passwordError', HTMLElement),
  passwordNote: byId('passwordNote', HTMLElement),
  totpState: byId('totpState', HTMLElement),
  totpStart: byId('totpStart', HTMLButtonElement),
  totpEnrol: byId('totpEnrol', HTMLFormElement),
  totpQr: byId('totpQr', HTMLImageElement),
  totpSecret: byId('totpSecret', HTMLElement),
  totpCode: byId('totpCode', HTMLInputElement),
  totpOff: byId('totpOff', HTMLFormElement),
  totpPassword: byId('totpPassword', HTMLInputElement),
  totpError: byId('totpError', HTMLElement),
  sessions: byId('sessions', HTMLUListElement),
  signOutEverywhere: byId('signOutEverywhere', HTMLButtonElement),
  tokens: byId('tokens', HTMLUListElement),
  tokensEmpty: byId('tokensEmpty', HTMLElement),
  tokenForm: byId('tokenForm', HTMLFormElement),
  tokenName: byId('tokenName', HTMLInputElement),
  tokenShown: byId('tokenShown', HTMLElement),
  tokenValue: byId('tokenValue', HTMLElement),
  tokenError: byId('tokenError', HTMLElement),
};

const account = await accountPage('profile');

// The avatar: the built-in set, this account's choice checked.
const nameForInitials = el('input');
nameForInitials.value = account.name;
const chosen = bindAvatarPicker(ui.avatarChoices, 'kefu.profile.avatar', nameForInitials);
for (const radio of ui.avatarChoices.querySelectorAll('input')) radio.checked = radio.value === (account.avatar ?? '');
ui.avatarForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const answer = await sendJson('PATCH', '/api/profile', { avatar: chosen() || null });
  flash(ui.avatarNote, answer.status === 200 ? t('avatarSaved') : t('requestFailed'));
});

ui.passwordForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(ui.passwordError, null);
  if ([...ui.newPassword.value].length < 10) return showError(ui.passwordError, t('badPassword'));
  const answer = await sendJson('POST', '/api/profile/password', { current: ui.currentPassword.value, password: ui.newPassword.value });
  if (answer.status !== 204) return showError(ui.passwordError, answer);
  ui.currentPassword.value = '';
  ui.newPassword.value = '';
  flash(ui.passwordNote, t('passwordChanged'));
  void loadSessions();
});

/** @param {boolean} on */
function showTotp(on) {
  ui.totpState.textContent = on ? t('totpOn') : t('totpOff');
  ui.totpStart.hidden = on;
  ui.totpOff.hidden = !on;
  ui.totpEnrol.hidden = true;
}
showTotp(account.totp);
ui.totpStart.addEventListener('click', async () => {
  showError(ui.totpError, null);
  const answer = await sendJson('POST', '/api/profile/totp');
  const { qr, secret } = answer.body ?? {};
  if (answer.status !== 200 || typeof qr !== 'string' || typeof secret !== 'string' || !qr.startsWith('data:image/png;base64,')) {
    return showError(ui.totpError, answer);
  }
  ui.totpQr.src = qr;
  ui.totpSecret.textContent = secret;
  ui.totpStart.hidden = true;
  ui.totpEnrol.hidden = false;
  ui.totpCode.focus();
});
ui.totpEnrol.addEventListener('submit', async (e) => {
  e.preventDefault();
  const answer = await sendJson('POST', '/api/profile/totp/confirm', { code: ui.totpCode.value });
  if (answer.status !== 204) return showError(ui.totpError, answer);
  showError(ui.totpError, null);
  ui.totpCode.value = '';
  showTotp(true);
});
ui.totpOff.addEventListener('submit', async (e) => {
  e.preventDefault();
  const answer = await sendJson('POST', '/api/profile/totp/disable', { password: ui.totpPassword.value });
  if (answer.status !== 204) return showError(ui.totpError, answer);
  showError(ui.totpError, null);
  ui.totpPassword.value = '';
  showTotp(false);
});

async function loadSessions() {
  const answer = await sendJson('GET', '/api/auth/sessions');
  const list = Array.isArray(answer.body?.sessions) ? answer.body.sessions : [];
  ui.sessions.textContent = '';
  for (const s of list) {
    if (typeof s !== 'object' || s === null || typeof s.id !== 'number') continue;
    const li = el('li');
    const what = el('span', 'what', t('sessionInfo', String(s.userAgent ?? ''), String(s.address ?? ''), dateTime(s.createdAt)));
    what.title = String(s.userAgent ?? '');
    li.appendChild(what);
    if (s.current === true) {
      li.appendChild(el('span', 'current', t('sessionCurrent')));
    } else {
      const end = button('ghost', t('sessionEnd'));
      end.setAttribute('aria-label', t('sessionEndLabel', String(s.address ?? '')));
      end.addEventListener('click', async () => {
        end.disabled = true;
        await sendJson('DELETE', `/api/auth/sessions/${s.id}`);
        void loadSessions();
      });
      li.appendChild(end);
    }
    ui.sessions.appendChild(li);
  }
}
ui.signOutEverywhere.addEventListener('click', async () => {
  await sendJson('POST', '/api/auth/sign-out-everywhere');
  location.assign(pageHref('kefu.html'));
});

async function loadTokens() {
  const answer = await sendJson('GET', '/api/tokens');
  const list = Array.isArray(answer.body?.tokens) ? answer.body.tokens : [];
  ui.tokens.textContent = '';
  ui.tokensEmpty.hidden = list.length > 0;
  for (const tok of list) {
    if (typeof tok !== 'object' || tok === null || typeof tok.id !== 'number') continue;
    const li = el('li');
    li.appendChild(el('span', 'what', t('tokenInfo', String(tok.name ?? ''), dateTime(tok.createdAt))));
    const revoke = button('ghost', t('tokenRevoke'));
    revoke.setAttribute('aria-label', t('tokenRevokeLabel', String(tok.name ?? '')));
    revoke.addEventListener('click', async () => {
      revoke.disabled = true;
      await sendJson('DELETE', `/api/tokens/${tok.id}`);
      ui.tokenShown.hidden = true;
      void loadTokens();
    });
    li.appendChild(revoke);
    ui.tokens.appendChild(li);
  }
}
ui.tokenForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(ui.tokenError, null);
  const answer = await sendJson('POST', '/api/tokens', { name: ui.tokenName.value });
  if (answer.status !== 201 || typeof answer.body?.token !== 'string') return showError(ui.tokenError, answer);
  ui.tokenValue.textContent = answer.body.token;
  ui.tokenShown.hidden = false;
  ui.tokenName.value = '';
  void loadTokens();
});

void loadSessions();
void loadTokens();
