// @ts-check
// The agent console (/kefu.html): an inbox of conversations on one connection, resumable after a
// drop or a reload. This file wires the parts together and holds what the console is doing;
// server frames become changes in consoleFrames.js, and each part lives in its own module.
import { currentAccount } from '../lib/account.js';
import { paintAvatar } from '../lib/avatars.js';
import { bindEmoji, bindEnterToSend, bindTyping } from '../lib/composer.js';
import { byId, setStatus } from '../lib/dom.js';
import { applyStrings, closeReason, t } from '../lib/i18n.js';
import { bindImagePicker, sendImage } from '../lib/imagePicker.js';
import { PassingText } from '../lib/passingText.js';
import { ChatSocket } from '../lib/socket.js';
import { AccountPanel } from './accountPanel.js';
import { CannedMenu } from './cannedMenu.js';
import { CannedReplies } from './cannedReplies.js';
import { frameHandler } from './consoleFrames.js';
import { ConversationList } from './conversationList.js';
import { ConversationThreads } from './conversationThreads.js';
import { CustomerPanel } from './customerPanel.js';
import { refocusIfHidden } from './keepFocus.js';
import { Layout } from './layout.js';
import { Attention } from './notifications.js';
import { OfflineInbox } from './offlineInbox.js';
import { ResolveDialog } from './resolveDialog.js';
import { singleSignOn } from './singleSignOn.js';
import { StatusSwitch } from './statusSwitch.js';
import { TeamChannel } from './teamChannel.js';
import { TeamList } from './teamList.js';

/** @import { AccountView } from '../lib/account.js' */
/** @import { ConversationThread } from './conversationThread.js' */

/**
 * What the console is doing:
 * - login: not online: the sign-in form (not signed in), or the card to go online (signed in);
 * - connecting: the first connection is under way;
 * - online: connected, the room is open (with or without conversations);
 * - reconnecting: the connection dropped and comes back by itself (until the room is told again).
 * @typedef {'login' | 'connecting' | 'online' | 'reconnecting'} Phase
 */

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
  resolve: byId('resolve', HTMLButtonElement),
  disconnect: byId('disconnect', HTMLButtonElement),
  meName: byId('meName', HTMLElement),
  meAvatar: byId('meAvatar', HTMLElement),
  navUnread: byId('navUnread', HTMLElement),
};

const state = {
  /** @type {Phase} */
  phase: 'login',
  /** The signed-in account, as far as the console needs it. */
  me: { name: '', avatar: '', role: '' },
};

/** @type {ChatSocket | null} */
let socket = null;
/** @param {object} frame */
const send = (frame) => socket?.send(frame) ?? false;

let redrawQueued = false;
/** Threads changed: the list, the counts and the title follow (once per turn, however many changes). */
function redraw() {
  if (redrawQueued) return;
  redrawQueued = true;
  queueMicrotask(() => {
    redrawQueued = false;
    const unread = threads.unreadTotal();
    list.render();
    attention.unread(unread);
    ui.navUnread.textContent = String(unread);
    ui.navUnread.hidden = unread === 0;
  });
}

const threads = new ConversationThreads({ scroller: ui.messages, jump: byId('jump', HTMLElement), input: ui.input, transmit: send, changed: redraw });
const attention = new Attention(t('agentTitle'), () => threads.markRead());
const notice = new PassingText(byId('notice', HTMLElement), 5000);
const typing = new PassingText(byId('typing', HTMLElement), 4000);
const panel = new CustomerPanel();
const dialog = new ResolveDialog();
const layout = new Layout({ list: byId('tab-mine', HTMLElement), thread: ui.messages, panel: byId('backToThread', HTMLElement) });
const list = new ConversationList({
  threads,
  open: (thread) => {
    showThread(thread);
    layout.show('thread', true);
    // Side by side, the list stays where it is and the agent goes on typing in this conversation.
    if (!layout.narrow && !ui.input.disabled) ui.input.focus();
  },
  myName: () => state.me.name,
  admin: () => state.me.role === 'owner' || state.me.role === 'admin',
});
const statusSwitch = new StatusSwitch(
  (status) => send({ type: 'status', status }),
  () => showState(),
);
const accountPanel = new AccountPanel(
  (account) => {
    signedIn(account);
    start();
  },
  () => start(),
);
const team = new TeamList({
  myName: () => state.me.name,
  serving: () => !!threads.current && !threads.current.ended,
  transfer: (to) => {
    const thread = threads.current;
    if (!thread || thread.ended) return;
    notice.show(t('transferring', to));
    send({ type: 'transfer', to, conversationId: thread.id });
  },
});
const channel = new TeamChannel({ myName: () => state.me.name, send, attention: () => attention.other() });
const offlineInbox = new OfflineInbox({ notice: (text) => notice.show(text) });
// Bound before the composer's Enter handler, so Enter in the `/` menu inserts rather than sends.
const canned = new CannedReplies(
  () => state.me.name !== '',
  () => state.me.role === 'owner' || state.me.role === 'admin',
);
const cannedMenu = new CannedMenu(ui.input, () => canned.replies);
canned.onLoaded = () => cannedMenu.refresh();

/** @param {boolean} enabled */
function setComposer(enabled) {
  // A disabled field keeps focus but takes no keys: hand focus to the conversation instead.
  if (!enabled && document.activeElement === ui.input) ui.messages.focus();
  ui.input.disabled = !enabled;
  ui.send.disabled = !enabled;
  ui.attach.disabled = !enabled;
}

/** The composer takes text when a conversation going on is in view and the socket is up. */
function composerState() {
  const thread = threads.current;
  const wasDisabled = ui.input.disabled;
  setComposer(state.phase === 'online' && !!thread && !thread.ended);
  const focus = document.activeElement;
  if (wasDisabled && !ui.input.disabled && (!focus || focus === document.body || focus === ui.messages)) ui.input.focus();
}

/** The status line: the conversation in view, or how many go on, or waiting. */
function showState() {
  if (state.phase !== 'online') return;
  const thread = threads.current;
  const open = threads.open().length;
  if (thread && !thread.ended && thread.away) setStatus(ui.status, t('statePeerAway'), 'warn');
  else if (thread && !thread.ended) setStatus(ui.status, t('stateServing', thread.customer.name), 'ok');
  else if (open > 0) setStatus(ui.status, t('stateChats', open), 'ok');
  else if (statusSwitch.status === 'away') setStatus(ui.status, t('stateAwayStatus'), 'warn');
  else setStatus(ui.status, t('stateWaitingRoom'), 'waiting');
}

/**
 * Brings a conversation (or, null, the lobby) into view, with everything that shows it.
 * @param {ConversationThread | null} thread
 */
function showThread(thread) {
  if (thread !== threads.active) typing.hide();
  threads.show(thread);
  refreshView();
}

/** The conversation in view changed state (came, ended, dropped, returned): what shows it follows. */
function refreshView() {
  const thread = threads.current;
  const focused = document.activeElement;
  panel.show(thread);
  if (!thread || thread.ended) dialog.dismiss();
  composerState();
  showState();
  team.render();
  redraw();
  // Resolve and hand back go with their conversation: the conversation's log, with its last notice, takes the focus.
  refocusIfHidden(focused, ui.messages);
}

/** @param {boolean} on */
function showChat(on) {
  ui.loginView.hidden = on;
  ui.chat.hidden = !on;
  statusSwitch.shown(on);
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
  list.signedIn();
}

/** Not online: the card to go online (with why, after a refusal), or the sign-in form. */
function showOffline(reason = '') {
  showChat(false);
  accountPanel.offline(state.me.name, reason);
}

const frames = frameHandler({
  threads,
  list,
  team,
  channel,
  offlineInbox,
  statusSwitch,
  attention,
  notice,
  typing,
  layout,
  previous: panel.previous,
  showThread,
  refreshView,
  requeueButton: ui.requeue,
});

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
      // `since` is one conversation's: with several, each one's missed messages come replayed whole.
      const all = threads.all();
      const only = all.length === 1 ? all[0] : undefined;
      if (only && !only.ended && only.list.lastSeq > 0) p.since = String(only.list.lastSeq);
      return p;
    },
    onOpen: () => {
      frames.connected();
      sessionStorage.setItem('kefu.active', '1');
      accountPanel.connecting(false);
      state.phase = 'online';
      showChat(true);
      // The room frames that follow say which conversations go on; until then, nothing to type into.
      setComposer(false);
      ui.messages.focus();
      void canned.load();
      threads.resendAll();
    },
    onFrame: frames.onFrame,
    shouldRetry: (code, opened) => !FINAL_CLOSES.has(code) && (opened || code === 1006),
    onRetry: (seconds) => {
      state.phase = 'reconnecting';
      setStatus(ui.status, t('stateReconnecting', seconds), 'warn');
    },
    onClose: (code, retrying) => {
      setComposer(false);
      if (retrying) return;
      state.phase = 'login';
      accountPanel.connecting(false);
      sessionStorage.removeItem('kefu.active');
      threads.clear();
      refreshView();
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

/** An image into the conversation in view (uploaded with the session cookie, for that conversation). */
function sendImageFile(/** @type {File} */ file) {
  const thread = threads.current;
  if (!thread?.id || thread.ended || ui.input.disabled) return;
  const url = `/api/images?conversation=${encodeURIComponent(thread.id)}`;
  void sendImage(file, { url, token: '', sender: state.me.name }, notice, thread.outbox);
}

function sendMessage() {
  const thread = threads.current;
  const text = ui.input.value;
  if (!thread || thread.ended || !text.trim() || ui.input.disabled) return;
  thread.outbox.sendText(state.me.name, text);
  thread.touch(text);
  ui.input.value = '';
  ui.input.focus();
  redraw();
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  sendMessage();
});
ui.requeue.addEventListener('click', () => {
  const thread = threads.current;
  if (!thread || thread.ended) return;
  ui.requeue.disabled = true;
  send({ type: 'transfer', conversationId: thread.id });
});
ui.resolve.addEventListener('click', () => {
  const thread = threads.current;
  if (!thread || thread.ended) return;
  dialog.ask(thread.customer.name, ui.resolve, () => {
    if (!thread.ended) send({ type: 'resolve', conversationId: thread.id });
  });
});
ui.disconnect.addEventListener('click', () => {
  sessionStorage.removeItem('kefu.active');
  socket?.stop();
});
bindEnterToSend(ui.input, sendMessage);
bindTyping(
  ui.input,
  () => state.phase === 'online' && !!threads.current && !threads.current.ended,
  (frame) => send({ ...frame, conversationId: threads.current?.id }),
  () => threads.current?.id ?? '',
);
bindEmoji(byId('emojiButton', HTMLButtonElement), byId('emojiPanel', HTMLElement), ui.input);
bindImagePicker(
  { button: ui.attach, input: byId('fileInput', HTMLInputElement), textarea: ui.input, dropZone: byId('conversation', HTMLElement) },
  sendImageFile,
);
refreshView();

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
