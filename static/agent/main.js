// @ts-check
// The agent console (/kefu.html): one room, one customer at a time, resumable after a drop or a
// reload. This file holds the page's state and turns server frames into changes of it; the
// sidebar's parts and the shared pieces live in their own modules.
import { chime, TitleBadge } from '../lib/attention.js';
import { bindAvatarPicker } from '../lib/avatarPicker.js';
import { paintAvatar } from '../lib/avatars.js';
import { bindEmoji, bindEnterToSend, bindTyping } from '../lib/composer.js';
import { byId, setStatus } from '../lib/dom.js';
import { clockTime } from '../lib/format.js';
import { reloadHistory } from '../lib/history.js';
import { applyStrings, closeReason, t } from '../lib/i18n.js';
import { bindImagePicker, sendImage } from '../lib/imagePicker.js';
import { MessageList } from '../lib/messageList.js';
import { normalName, validName } from '../lib/names.js';
import { customerOf, noticeLine } from '../lib/notices.js';
import { Outbox } from '../lib/outbox.js';
import { PassingText } from '../lib/passingText.js';
import { ChatSocket } from '../lib/socket.js';
import { CannedMenu } from './cannedMenu.js';
import { CannedReplies } from './cannedReplies.js';
import { CustomerPanel } from './customerPanel.js';
import { OfflineInbox } from './offlineInbox.js';
import { TeamChannel } from './teamChannel.js';
import { TeamList } from './teamList.js';

/** @import { ServerFrame } from '../lib/frames.js' */
/** @import { Customer } from './customerPanel.js' */

/**
 * What the console is doing:
 * - login: the sign-in form (before connecting, after a refusal, after going offline);
 * - connecting: the first connection is under way;
 * - waiting: connected, the room is open and empty;
 * - serving: a customer is in the room;
 * - reconnecting: the connection dropped and comes back by itself (until the room is told again).
 * @typedef {'login' | 'connecting' | 'waiting' | 'serving' | 'reconnecting'} Phase
 */

/** Refusals of a transfer or a note: about no chat message, so no message is marked failed. */
const TEAM_ERRORS = new Set(['agent_unavailable', 'no_customer', 'bad_target', 'agents_only', 'customer_away']);
/** Close codes after which connecting again cannot help: the sign-in form says why. */
const FINAL_CLOSES = new Set([4400, 4401, 4409]);

applyStrings(document);

const ui = {
  status: byId('status', HTMLElement),
  loginView: byId('loginView', HTMLElement),
  login: byId('login', HTMLFormElement),
  name: byId('name', HTMLInputElement),
  key: byId('key', HTMLInputElement),
  loginError: byId('loginError', HTMLElement),
  connect: byId('connect', HTMLButtonElement),
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
  me: { name: '', key: '', avatar: '' },
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
const chosenAvatar = bindAvatarPicker(byId('avatarChoices', HTMLElement), 'kefu.avatar', ui.name);
const team = new TeamList({
  myName: () => state.me.name,
  serving: () => state.customer !== null,
  transfer: (to) => {
    notice.show(t('transferring', to));
    socket?.send({ type: 'transfer', to });
  },
});
const channel = new TeamChannel({ myName: () => state.me.name, send: (f) => socket?.send(f) ?? false, attention });
const inbox = new OfflineInbox({ me: () => state.me, notice: (text) => notice.show(text) });
// Bound before the composer's Enter handler, so Enter in the `/` menu inserts rather than sends.
const canned = new CannedReplies(() => state.me.key);
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
        void reloadHistory(list, `/api/conversations/${encodeURIComponent(state.conversationId)}/messages`, state.me.key);
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

/** Signs in with the form's name, key and avatar, and connects. */
function start() {
  const name = normalName(ui.name.value);
  const key = ui.key.value;
  ui.loginError.textContent = '';
  if (!validName(name)) {
    ui.loginError.textContent = t('nameRequired');
    ui.name.focus();
    return;
  }
  if (!key) {
    ui.loginError.textContent = t('keyRequired');
    ui.key.focus();
    return;
  }
  state.me = { name, key, avatar: chosenAvatar() };
  ui.meName.textContent = name;
  paintAvatar(ui.meAvatar, name, state.me.avatar);
  sessionStorage.setItem('kefu.name', name);
  state.phase = 'connecting';
  ui.connect.disabled = true;
  setStatus(ui.status, t('stateConnecting'), 'busy');
  const conn = new ChatSocket({
    params: () => {
      /** @type {Record<string, string>} */
      const p = { type: 'kefu', name: state.me.name, key: state.me.key, v: '2' };
      if (state.me.avatar) p.avatar = state.me.avatar;
      if (state.conversationId && list.lastSeq > 0) p.since = String(list.lastSeq);
      return p;
    },
    onOpen: () => {
      sessionStorage.setItem('kefu.active', '1');
      ui.connect.disabled = false;
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
      ui.connect.disabled = false;
      sessionStorage.removeItem('kefu.active');
      list.clear();
      if (code === 1000 && conn.stopped) {
        setStatus(ui.status, t('stateIdle'), 'idle');
      } else {
        const reason = closeReason(code, 'kefu');
        setStatus(ui.status, reason, 'error');
        ui.loginError.textContent = reason;
      }
      showChat(false);
      ui.connect.focus();
    },
  });
  socket = conn;
  conn.start();
}

/** An image into the current conversation (uploaded with the agent key, for that conversation). */
function sendImageFile(/** @type {File} */ file) {
  if (state.phase !== 'serving' || !state.conversationId || ui.input.disabled) return;
  const url = `/api/images?conversation=${encodeURIComponent(state.conversationId)}`;
  void sendImage(file, { url, token: state.me.key, sender: state.me.name }, notice, outbox);
}

function sendMessage() {
  const text = ui.input.value;
  if (!text.trim() || ui.input.disabled) return;
  outbox.sendText(state.me.name, text);
  ui.input.value = '';
  ui.input.focus();
}

ui.login.addEventListener('submit', (e) => {
  e.preventDefault();
  start();
});
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

// The key comes in the URL fragment (never sent to a server) and stays only in this tab.
const fragmentKey = new URLSearchParams(location.hash.slice(1)).get('key');
if (fragmentKey) ui.key.value = fragmentKey;
ui.name.value = sessionStorage.getItem('kefu.name') || '';
(ui.name.value ? (ui.key.value ? ui.connect : ui.key) : ui.name).focus();
// A reload while connected reconnects at once; the server replays the whole conversation.
if (sessionStorage.getItem('kefu.active') && ui.name.value && ui.key.value) start();
