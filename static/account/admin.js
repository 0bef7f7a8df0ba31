// @ts-check
// The admin page (owners and admins): every account with its role, maxChats and state, invite,
// disable or enable, reset a password, and the audit log. The server holds the rules (an admin
// can neither make nor change an owner, the last owner stays one); this page only offers what
// the role may try, and shows the server's answer. Every name goes in as text.
import { accountFrom, sendJson } from '../lib/account.js';
import { button, byId, el } from '../lib/dom.js';
import { pageHref, t } from '../lib/i18n.js';
import { accountPage, dateTime, showError } from './page.js';

/** @import { AccountView } from '../lib/account.js' */

const ui = {
  accounts: byId('accounts', HTMLTableSectionElement),
  accountsError: byId('accountsError', HTMLElement),
  linkShown: byId('linkShown', HTMLElement),
  linkText: byId('linkText', HTMLElement),
  linkValue: byId('linkValue', HTMLElement),
  inviteForm: byId('inviteForm', HTMLFormElement),
  inviteName: byId('inviteName', HTMLInputElement),
  inviteLogin: byId('inviteLogin', HTMLInputElement),
  inviteEmail: byId('inviteEmail', HTMLInputElement),
  inviteRole: byId('inviteRole', HTMLSelectElement),
  inviteError: byId('inviteError', HTMLElement),
  audit: byId('audit', HTMLTableSectionElement),
  auditMore: byId('auditMore', HTMLButtonElement),
};

const me = await accountPage('admin');
if (me.role === 'agent') {
  location.assign(pageHref('kefu.html'));
  await new Promise(() => {});
}
/** Roles this account may give: only an owner makes owners. */
const ROLES = me.role === 'owner' ? ['owner', 'admin', 'agent'] : ['admin', 'agent'];

/**
 * A role picker with the roles this account may give (and the current one, shown even when it may not).
 * @param {string} current
 */
function roleSelect(current) {
  const select = el('select');
  for (const role of ROLES.includes(current) ? ROLES : [current, ...ROLES]) {
    const option = el('option', undefined, t(`roles.${role}`));
    option.value = role;
    option.selected = role === current;
    select.appendChild(option);
  }
  return select;
}
for (const option of roleSelect('agent').options) ui.inviteRole.appendChild(option.cloneNode(true));
ui.inviteRole.value = 'agent';

/**
 * A one-time link to pass on: shown once, absolute on this page's origin.
 * @param {string} text
 * @param {unknown} path
 */
function showLink(text, path) {
  if (typeof path !== 'string' || !path.startsWith('/setup.html#token=')) return;
  ui.linkText.textContent = text;
  ui.linkValue.textContent = `${location.origin}${path}`;
  ui.linkShown.hidden = false;
}

/**
 * Sends a change of one account and redraws the list with the answer.
 * @param {number} id
 * @param {object} change
 */
async function change(id, change) {
  showError(ui.accountsError, null);
  const answer = await sendJson('PATCH', `/api/accounts/${id}`, change);
  if (answer.status !== 200) showError(ui.accountsError, answer);
  await loadAccounts();
}

/** @param {AccountView} a */
function row(a) {
  const tr = el('tr', a.disabled ? 'disabled-row' : undefined);
  tr.appendChild(el('td', undefined, a.name));
  tr.appendChild(el('td', undefined, a.login));
  // An admin cannot change an owner: the row shows what it is, and offers nothing.
  const locked = me.role !== 'owner' && a.role === 'owner';
  const roleCell = el('td');
  if (locked) roleCell.textContent = t(`roles.${a.role}`);
  else {
    const select = roleSelect(a.role);
    select.setAttribute('aria-label', t('roleOf', a.name));
    select.addEventListener('change', () => void change(a.id, { role: select.value }));
    roleCell.appendChild(select);
  }
  tr.appendChild(roleCell);
  const chatsCell = el('td');
  const chats = el('input');
  chats.type = 'number';
  chats.min = '1';
  chats.max = '20';
  chats.value = String(a.maxChats);
  chats.disabled = locked;
  chats.setAttribute('aria-label', t('maxChatsOf', a.name));
  chats.addEventListener('change', () => void change(a.id, { maxChats: Number(chats.value) }));
  chatsCell.appendChild(chats);
  tr.appendChild(chatsCell);
  tr.appendChild(el('td', undefined, a.disabled ? t('statusDisabled') : a.passwordSet ? t('statusActive') : t('statusInvited')));
  const actions = el('td');
  if (!locked && a.id !== me.id) {
    const toggle = button('ghost', a.disabled ? t('enable') : t('disable'));
    toggle.setAttribute('aria-label', t('actionLabel', toggle.textContent ?? '', a.name));
    toggle.addEventListener('click', () => void change(a.id, { disabled: !a.disabled }));
    const reset = button('ghost', t('resetPassword'));
    reset.setAttribute('aria-label', t('actionLabel', t('resetPassword'), a.name));
    reset.addEventListener('click', async () => {
      showError(ui.accountsError, null);
      const answer = await sendJson('POST', `/api/accounts/${a.id}/reset-password`);
      if (answer.status !== 200) return showError(ui.accountsError, answer);
      showLink(t('resetLink', a.name), answer.body?.invitePath);
      await loadAccounts();
    });
    actions.append(toggle, reset);
  }
  tr.appendChild(actions);
  return tr;
}

async function loadAccounts() {
  const answer = await sendJson('GET', '/api/accounts');
  const list = Array.isArray(answer.body?.accounts) ? answer.body.accounts : [];
  ui.accounts.textContent = '';
  for (const raw of list) {
    const a = accountFrom(raw);
    if (a) ui.accounts.appendChild(row(a));
  }
  void reloadAudit();
}

ui.inviteForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  showError(ui.inviteError, null);
  const name = ui.inviteName.value.trim();
  const answer = await sendJson('POST', '/api/accounts', { name, login: ui.inviteLogin.value, email: ui.inviteEmail.value, role: ui.inviteRole.value });
  if (answer.status !== 201) return showError(ui.inviteError, answer);
  showLink(t('inviteLink', name), answer.body?.invitePath);
  ui.inviteForm.reset();
  ui.inviteRole.value = 'agent';
  await loadAccounts();
});

/** @type {string | null} the cursor of the next (older) page of the log */
let auditBefore = null;

/** @param {boolean} more the next page, or the newest again */
async function loadAudit(more) {
  const query = more && auditBefore !== null ? `&before=${encodeURIComponent(auditBefore)}` : '';
  const answer = await sendJson('GET', `/api/audit?limit=50${query}`);
  if (!more) ui.audit.textContent = '';
  const entries = Array.isArray(answer.body?.entries) ? answer.body.entries : [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null) continue;
    const tr = el('tr');
    const action = String(entry.action ?? '');
    const label = t(`auditActions.${action}`);
    for (const text of [
      dateTime(entry.ts),
      label.startsWith('auditActions.') ? action : label,
      String(entry.actor ?? ''),
      String(entry.target ?? ''),
      String(entry.address ?? ''),
    ]) {
      tr.appendChild(el('td', undefined, text));
    }
    ui.audit.appendChild(tr);
  }
  auditBefore = typeof answer.body?.nextBefore === 'string' ? answer.body.nextBefore : null;
  ui.auditMore.hidden = auditBefore === null;
}
const reloadAudit = () => loadAudit(false);
ui.auditMore.addEventListener('click', () => void loadAudit(true));

void loadAccounts();
