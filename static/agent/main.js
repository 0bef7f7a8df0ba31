// @ts-check
// The agent console (/kefu.html): one room, one customer at a time, resumable after a drop or a
// reload. This file holds the page's state and turns server frames into changes of it; the
// sidebar's parts and the shared pieces live in their own modules.
import { currentAccount } from '../lib/account.js';
import { chime, TitleBadge } from '../lib/attention.js';
import { paintAvatar } from '../lib/avatars.js';
import { bindEmoji, bindEnterToSend, bindTyping } from '../lib/composer.js';
import { byId, setStatus } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { reloadHistory } from '../lib/history.js';
import { applyStrings, closeReason, t } from '../lib/i18n.js';
import { bindImagePicker, sendImage } from '../lib/imagePicker.js';
import { MessageList } from '../lib/messageList.js';
import { customerOf, noticeLine } from '../lib/notices.js';
import { Outbox } from '../lib/outbox.js';
import { PassingText } from '../lib/passingText.js';
import { ChatSocket } from '../lib/socket.js';
import { CannedMenu } from './cannedMenu.js';
import { CannedReplies } from './cannedReplies.js';
import { CustomerPanel } from './customerPanel.js';
import { AccountPanel } from './accountPanel.js';
import { OfflineInbox } from './offlineInbox.js';
import { singleSignOn } from './singleSignOn.js';
import { TeamChannel } from './teamChannel.js';
import { TeamList } from './teamList.js';

/** @import { AccountView } from '../lib/account.js' */
/** @import { ServerFrame } from '../lib/frames.js' */
/** @import { Customer } from './customerPanel.js' */

/**
 * What the console is doing:
 * - login: not online: the sign-in form (not signed in), or the card to go online (signed in);
 * - connecting: the first connection is under way;
 * - waiting: connected, the room is open and empty;
 * - serving: a customer is in the room;
 * - reconnecting: the connection dropped and comes back by itself (until the room is told again).
 * @typedef {'login' | 'connecting' | 'waiting' | 'serving' | 'reconnecting'} Phase
 */

/** Refusals of a transfer or a note: about no chat message, so no message is marked failed. */
const TEAM_ERRORS = new Set(['agent_unavailable', 'no_customer', 'bad_target', 'agents_only', 'customer_away']);
/** Close codes after which connecting again cannot help: the page says why. */
const FINAL_CLOSES = new Set([4400, 4401, 4403, 4409]);
/** Close codes that mean the session is gone (never was, signed out, disabled): sign in again. */
const SIGNED_OUT = new Set([4401, 4403]);

applyStrings(document);

const ui = {
  status: byId('status', HTMLElement),
  loginView: byId('loginView', HTMLElement),
  chat: byId('chat', HTMLElement),
  messages: byId('messages', HTMLElement),
  composer: byId('composer', HTMLFormElement),
  input: byId('input', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  attach: byId('attachButton', HTMLButtonElement),
  requeue: byId('requeue', HTMLButtonElement),
  disconnect: byId('disconnect', HTMLButtonElement),
  meName: byId('meName', HTMLElement),
  meAvatar: byId('meAvatar', HTMLElement),
};

const state = {
  /** @type {Phase} */
  phase: 'login',
  /** The signed-in account, as far as the console needs it. */
  me: { name: '', avatar: '', role: '' },
  /** @type {string | null} the conversation in the room */
  conversationId: null,
  /** @type {Customer | null} */
  customer: null,
};

const list = new MessageList(ui.messages, 'kefu', byId('jump', HTMLElement));
const outbox = new Outbox(list, (frame) => socket?.send(frame) ?? false);
const badge = new TitleBadge(t('agentTitle'));
const notice = new PassingText(byId('notice', HTMLElement), 5000);
const typing = new PassingText(byId('typing', HTMLElement), 4000);
const panel = new CustomerPanel();
const accountPanel = new AccountPanel(
  (account) => {
    signedIn(account);
    start();
  },
  () => start(),
);
const team = new TeamList({
  myName: () => state.me.name,
  serving: () => state.customer !== null,
  transfer: (to) => {
    notice.show(t('transferring', to));
    socket?.send({ type: 'transfer', to });
  },
});
const channel = new TeamChannel({ myName: () => state.me.name, send: (f) => socket?.send(f) ?? false, attention });
const inbox = new OfflineInbox({ notice: (text) => notice.show(text) });
// Bound before the composer's Enter handler, so Enter in the `/` menu inserts rather than sends.
const canned = new CannedReplies(
  () => state.me.name !== '',
  () => state.me.role === 'owner' || state.me.role === 'admin',
);
const cannedMenu = new CannedMenu(ui.input, () => canned.replies);
canned.onLoaded = () => cannedMenu.refresh();
/** @type {ChatSocket | null} */
let socket = null;

/** @param {boolean} enabled */
function setComposer(enabled) {
  // A disabled field keeps focus but takes no keys: hand focus to the conversation instead.
  if (!enabled && document.activeElement === ui.input) ui.messages.focus();
  ui.input.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.attach.disabled = !enabled;
}

/** @param {boolean} on */
function showChat(on) {
  ui.loginView.hidden = on;
  ui.chat.hidden = !on;
}

/**
 * The account is signed in: its name and links in the top bar.
 * @param {AccountView} account
 */
function signedIn(account) {
  state.me = { name: account.name, avatar: account.avatar ?? '', role: account.role };
  accountPanel.signedIn(account);
  ui.meName.textContent = account.name;
  paintAvatar(ui.meAvatar, account.name, state.me.avatar);
}

/** Not online: the card to go online (with why, after a refusal), or the sign-in form. */
function showOffline(reason = '') {
  showChat(false);
  accountPanel.offline(state.me.name, reason);
}

/**
 * The room is told again: serving `customer`, or (null) waiting for one.
 * @param {Customer | null} customer
 */
function seat(customer) {
  state.customer = customer;
  state.phase = customer ? 'serving' : 'waiting';
  const wasDisabled = ui.input.disabled;
  // With nobody in the room a message would only echo back: wait for a customer.
  setComposer(state.phase === 'serving');
  const focus = document.activeElement;
  if (wasDisabled && !ui.input.disabled && (!focus || focus === document.body || focus === ui.messages)) ui.input.focus();
  panel.show(customer);
  if (customer) setStatus(ui.status, t('stateServing', customer.name), 'ok');
  else setStatus(ui.status, t('stateWaitingRoom'), 'waiting');
}

function attention() {
  if (badge.bump()) chime();
}

/**
 * A customer came into the room, or is told again after a reconnect or a reload.
 * @param {ServerFrame} f
 */
function customerEntered(f) {
  const same = f.conversationId === state.conversationId;
  if (!same) {
    list.clear();
    state.conversationId = f.conversationId ?? null;
    attention();
  }
  // When the conversation started (the server says; older servers did not, so the first
  // notice's time is remembered), so a reloaded console still shows it.
  const sinceKey = `kefu.since.${state.conversationId}`;
  if (typeof f.startedAt === 'number') sessionStorage.setItem(sinceKey, String(f.startedAt));
  else if (!sessionStorage.getItem(sinceKey)) sessionStorage.setItem(sinceKey, String(f.ts ?? Date.now()));
  const name = customerOf(f, state.customer?.name);
  const avatar = f.avatar ?? '';
  list.avatars.set(name, avatar);
  seat({
    name,
    avatar,
    // Told again (after a reconnect) without it, the wait is still the one said first.
    waitedMs: f.waitedMs ?? (same ? state.customer?.waitedMs : null) ?? null,
    since: clockTime(Number(sessionStorage.getItem(sinceKey))),
  });
  list.system(noticeLine(f));
  team.render();
}

/** @param {ServerFrame} f a system frame */
function onSystem(f) {
  if (typeof f.waiting === 'number') team.showQueue(f.waiting);
  switch (f.event) {
    case 'room_opened':
      state.conversationId = null;
      seat(null);
      list.system(f.neiRong);
      return;
    case 'customer_entered':
      customerEntered(f);
      return;
    case 'customer_left':
    case 'customer_transferred':
    case 'customer_requeued':
      list.system(f.neiRong);
      state.conversationId = null;
      typing.hide();
      seat(null);
      team.render();
      return;
    case 'peer_away':
      list.system(f.neiRong, 'away');
      setStatus(ui.status, t('statePeerAway'), 'warn');
      panel.showAway();
      return;
    case 'peer_back':
      list.system(f.neiRong);
      seat(state.customer);
      return;
    case 'resumed':
      if (!f.recovered && state.conversationId) {
        void reloadHistory(list, `/api/conversations/${encodeURIComponent(state.conversationId)}/messages`, '');
      }
      if (f.unread && f.unread > 0) {
        list.system(t('unreadWhileAway', f.unread));
        attention();
      }
      return;
    default:
      // rated, and anything newer: shown as a notice in the conversation.
      list.system(noticeLine(f));
  }
}

/**
 * Server frames: a switch on type, then on event, so a new event is one more case.
 * @param {ServerFrame} f
 */
function onFrame(f) {
  switch (f.type) {
    case 'message':
      if (f.role === 'yonghu') typing.hide();
      if (list.message(f)) attention();
      return;
    case 'typing':
      if (state.customer) typing.show(t('typing', f.shuiFaDe));
      return;
    case 'presence':
      team.update(f);
      return;
    case 'team':
      channel.show(f);
      return;
    case 'offline_messages':
      if (inbox.add(f) > 0) {
        list.system(f.neiRong);
        attention();
      }
      return;
    case 'bot_history': {
      // What the customer just placed here asked the bot while waiting: their questions, the bot's answers.
      const who = f.customer || state.customer?.name || '';
      list.system(f.neiRong);
      for (const e of f.botExchanges ?? []) {
        list.message({ type: 'message', neiRong: e.question, shuiFaDe: who, role: 'yonghu', ts: e.ts });
        list.bot({ neiRong: e.answer, shuiFaDe: t('botName'), ts: e.ts });
      }
      return;
    }
    case 'error':
      notice.show(f.neiRong);
      // Transfer and team-note refusals are about no chat message: the team list is redrawn.
      if (TEAM_ERRORS.has(f.error ?? '')) {
        ui.requeue.disabled = false;
        team.render();
      } else if (!channel.refused(f.cid)) {
        outbox.failed(f.cid);
      }
      return;
    case 'system':
      onSystem(f);
  }
}

/** Connects the signed-in account's console: the server takes its name and avatar from the account. */
function start() {
  accountPanel.hideCard();
  accountPanel.connecting(true);
  state.phase = 'connecting';
  setStatus(ui.status, t('stateConnecting'), 'busy');
  const conn = new ChatSocket({
    params: () => {
      /** @type {Record<string, string>} */
      const p = { type: 'kefu', v: '2' };
      if (state.conversationId && list.lastSeq > 0) p.since = String(list.lastSeq);
      return p;
    },
    onOpen: () => {
      sessionStorage.setItem('kefu.active', '1');
      accountPanel.connecting(false);
      showChat(true);
      // The room frame that follows says whether a customer is here; until then, nothing to type into.
      setComposer(false);
      ui.messages.focus();
      void canned.load();
      outbox.resendAll();
    },
    onFrame,
    shouldRetry: (code, opened) => !FINAL_CLOSES.has(code) && (opened || code === 1006),
    onRetry: (seconds) => {
      state.phase = 'reconnecting';
      setStatus(ui.status, t('stateReconnecting', seconds), 'warn');
    },
    onClose: (code, retrying) => {
      setComposer(false);
      if (retrying) return;
      state.phase = 'login';
      state.conversationId = null;
      state.customer = null;
      accountPanel.connecting(false);
      sessionStorage.removeItem('kefu.active');
      list.clear();
      if (code === 1000 && conn.stopped) {
        setStatus(ui.status, t('stateIdle'), 'idle');
        showOffline();
        return;
      }
      const reason = closeReason(code, 'kefu');
      setStatus(ui.status, reason, 'error');
      if (SIGNED_OUT.has(code)) {
        state.me = { name: '', avatar: '', role: '' };
        showChat(false);
        accountPanel.signedOut(reason);
      } else showOffline(reason);
    },
  });
  socket = conn;
  conn.start();
}

/** An image into the current conversation (uploaded with the session cookie, for that conversation). */
function sendImageFile(/** @type {File} */ file) {
  if (state.phase !== 'serving' || !state.conversationId || ui.input.disabled) return;
  const url = `/api/images?conversation=${encodeURIComponent(state.conversationId)}`;
  void sendImage(file, { url, token: '', sender: state.me.name }, notice, outbox);
}

function sendMessage() {
  const text = ui.input.value;
  if (!text.trim() || ui.input.disabled) return;
  outbox.sendText(state.me.name, text);
  ui.input.value = '';
  ui.input.focus();
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  sendMessage();
});
ui.requeue.addEventListener('click', () => {
  if (!socket || !state.customer) return;
  ui.requeue.disabled = true;
  socket.send({ type: 'transfer' });
});
ui.disconnect.addEventListener('click', () => {
  sessionStorage.removeItem('kefu.active');
  socket?.stop();
});
bindEnterToSend(ui.input, sendMessage);
bindTyping(
  ui.input,
  () => state.phase === 'serving',
  (frame) => socket?.send(frame),
);
bindEmoji(byId('emojiButton', HTMLButtonElement), byId('emojiPanel', HTMLElement), ui.input);
bindImagePicker(
  { button: ui.attach, input: byId('fileInput', HTMLInputElement), textarea: ui.input, dropZone: byId('conversation', HTMLElement) },
  sendImageFile,
);

// Who is signed in decides what shows: the sign-in form (saying why single sign-on did not sign in),
// or, after a reload while online or back from signing on, the console connecting at once.
const signOn = singleSignOn(byId('signInWith', HTMLElement));
currentAccount().then(
  (account) => {
    if (!account) {
      showOffline(signOn.message);
      return;
    }
    signedIn(account);
    if (sessionStorage.getItem('kefu.active') || signOn.returned) start();
    else showOffline();
  },
  () => {
    setStatus(ui.status, t('stateUnreachable'), 'error');
    showOffline(t('stateUnreachable'));
  },
);
