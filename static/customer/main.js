// @ts-check
// The customer widget (/yonghu.html): ask for an agent (or a place in the queue), chat, and come
// back by itself after a drop or a reload with the resume token the server gave. This file holds
// the page's state and turns server frames into changes of it.
import { announce } from '../lib/announce.js';
import { chime, TitleBadge } from '../lib/attention.js';
import { bindAvatarPicker } from '../lib/avatarPicker.js';
import { byId, setStatus } from '../lib/dom.js';
import { reloadHistory } from '../lib/history.js';
import { applyStrings, closeReason, t } from '../lib/i18n.js';
import { MessageList } from '../lib/messageList.js';
import { agentOf, botLine, noticeLine } from '../lib/notices.js';
import { Outbox } from '../lib/outbox.js';
import { PassingText } from '../lib/passingText.js';
import { askForRoom } from './askForRoom.js';
import { ChatView } from './chatView.js';
import { comesBack, connectionParams } from './connectionParams.js';
import { bindComposer } from './composerBindings.js';
import { embed } from './embedBridge.js';
import { FirstQuestion } from './firstQuestion.js';
import { closedLine } from './hoursCard.js';
import { ReplyTimeLine } from './replyTime.js';
import { OfflineForm } from './offlineForm.js';
import { Rating } from './rating.js';
import { emptySession, forgetSession, onSessionChanged, readSession, saveSession } from './session.js';
import { StartForm } from './startForm.js';
import { announceConversation, announceRated, conversationSocket, onOtherTabConversation, onOtherTabRated } from './tabLink.js';

/** @import { PrechatDetails } from './startForm.js' */

/** @import { ServerFrame } from '../lib/frames.js' */
/** @import { ConversationSocket } from './tabLink.js' */

/**
 * What the widget is doing:
 * - start: the name form;
 * - connecting: connecting with a fresh ticket;
 * - queued: waiting in the queue (the FAQ bot answers meanwhile);
 * - chatting: placed with an agent;
 * - rejoining: placed, and coming back into the conversation after a drop or a reload;
 * - ended: the conversation is over (rating offered when there was one);
 * - offline: leaving a message without a place in the queue (nobody online, queue full).
 * @typedef {'start' | 'connecting' | 'queued' | 'chatting' | 'rejoining' | 'ended' | 'offline'} Phase
 */

/** The phases in which the page has a socket, open or coming back. */
const CONNECTED = new Set(['connecting', 'queued', 'chatting', 'rejoining']);

applyStrings(document);

const status = byId('status', HTMLElement);

const state = {
  /** @type {Phase} */
  phase: 'start',
  session: readSession(),
  /** @type {string | null} the ticket /getroom gave, until the first connection uses it */
  ticket: null,
  /** @type {number | null} agents online, when the server last said (0: offer the message form) */
  agentsOnline: null,
  /** @type {string | null} the agent whose arrival the conversation shows: a resumed socket is told again */
  assignedShown: null,
};

const list = new MessageList(byId('messages', HTMLElement), 'yonghu', byId('jump', HTMLElement));
// While the connection comes back, what the visitor writes waits as pending and goes on reconnect.
const outbox = new Outbox(
  list,
  (frame) => socket?.send(frame) ?? false,
  () => state.phase === 'rejoining',
);
const badge = new TitleBadge(t('customerTitle'));
const notice = new PassingText(byId('notice', HTMLElement), 5000);
const typing = new PassingText(byId('typing', HTMLElement), 4000);
const rating = new Rating(announceRated);
const chosenAvatar = bindAvatarPicker(byId('avatarChoices', HTMLElement), 'yonghu.avatar', byId('name', HTMLInputElement));
const offline = new OfflineForm({ name: () => state.session.name, sent: offlineSent });
const start = new StartForm({ contact, leaveMessage });
const view = new ChatView(offline, rating, { queued: () => state.phase === 'queued', nobodyOnline: () => state.agentsOnline === 0 });
const ui = view.ui;
const replyTime = new ReplyTimeLine();
const firstQuestion = new FirstQuestion({ session: () => state.session, save: saveSession, send: (text) => outbox.sendText(state.session.name, text) });
/** @type {ConversationSocket | null} */
let socket = null;

const seated = () => state.phase === 'chatting' || state.phase === 'rejoining';

/**
 * How many agents are online, when the server says (0: offer the message form).
 * @param {number | null} n
 */
function setAgentsOnline(n) {
  state.agentsOnline = n;
  view.showAgentsOnline();
}

/**
 * The header: the agent serving, or the widget's title while nobody does.
 * @param {string} name
 * @param {string} doing
 */
function peer(name, doing) {
  view.peer(name, doing, state.session.agent ? { avatar: state.session.agentAvatar } : null);
}

/** @param {string} contactText how the agent will reach them */
function offlineSent(contactText) {
  if (state.phase === 'offline') {
    end(t('offlineThanks', contactText));
    return;
  }
  view.showOfflineForm(false);
  list.system(t('offlineThanks', contactText));
  ui.offlineOpen.focus();
}

/**
 * The conversation is over: no reconnect, the next chat starts from the name field.
 * @param {string} text
 */
function end(text) {
  // A conversation took place (an agent was assigned): its token still rates it after the end.
  const rateWith = state.session.resume && state.session.agent ? state.session.resume : null;
  state.phase = 'ended';
  state.session.resume = null;
  forgetSession();
  view.ended(text);
  setStatus(status, t('stateEnded'), 'idle');
  if (state.session.agent) ui.peerState.textContent = t('stateEnded');
  view.reconnecting(false);
  socket?.stop();
  if (!rating.open) rating.offer(rateWith);
  ui.again.focus();
}

/** @param {number} position */
function queued(position) {
  state.phase = 'queued';
  setStatus(status, t('stateQueued', position), 'waiting');
  view.queuePlace(position);
  peer(t('customerTitle'), t('queueWaiting'));
  view.bottom('queue');
  view.setComposer(true);
}

/** @param {ServerFrame} f */
function agentAssigned(f) {
  const name = agentOf(f, state.session.agent);
  const transferred = !!f.transferredFrom;
  state.phase = 'chatting';
  setAgentsOnline(null);
  state.session.agent = name;
  state.session.agentAvatar = f.avatar ?? '';
  list.avatars.set(name, state.session.agentAvatar);
  saveSession(state.session);
  peer(name, t('servingShort'));
  setStatus(status, t('stateChatting', name), 'ok');
  view.bottom('composer');
  view.setComposer(true);
  // A resumed socket is told again; the conversation shows it once (a new agent is news). A
  // transfer says so: the customer did not ask for another agent.
  if (transferred) list.system(t('transferredToAgent', name));
  else if (state.assignedShown !== name) list.system(noticeLine(f));
  state.assignedShown = name;
  replyTime.show(false);
  typing.hide();
  if (badge.bump()) chime();
  ui.input.focus();
}

/** @param {ServerFrame} f a system frame */
function onSystem(f) {
  if (typeof f.resume === 'string') {
    state.session.resume = f.resume;
    // The ticket is spent: from now on this conversation is reached with the resume token (by
    // another tab of this visitor too, should it take over the socket).
    state.ticket = null;
    saveSession(state.session);
  }
  switch (f.event) {
    case 'queue_position':
      if (typeof f.position === 'number') queued(f.position);
      return;
    case 'requeued':
      // Back in the queue, same conversation: the next agent picks it up with its history.
      state.phase = 'queued';
      state.session.agent = null;
      state.assignedShown = null;
      saveSession(state.session);
      list.system(noticeLine(f));
      typing.hide();
      if (typeof f.position === 'number') queued(f.position);
      return;
    case 'agent_assigned':
      agentAssigned(f);
      return;
    case 'peer_away':
      list.system(noticeLine(f), 'away');
      setStatus(status, t('statePeerAway'), 'warn');
      ui.peerState.textContent = t('statePeerAway');
      return;
    case 'peer_back':
      list.system(noticeLine(f));
      setStatus(status, t('stateChatting', state.session.agent ?? t('someAgent')), 'ok');
      ui.peerState.textContent = t('servingShort');
      return;
    case 'resumed':
      if (!f.recovered && state.session.resume) void reloadHistory(list, '/api/me/messages', state.session.resume);
      return;
    default:
      // agent_left, queue_timeout and anything newer: shown as a notice in the conversation.
      list.system(noticeLine(f));
  }
}

/**
 * Server frames: a switch on type, then on event, so a new event is one more case.
 * @param {ServerFrame} f
 * @param {boolean} [fromHistory] from before this tab joined (another tab of the visitor had it): not news
 */
function onFrame(f, fromHistory = false) {
  if (!fromHistory) embed.frame(f);
  firstQuestion.frame(f);
  switch (f.type) {
    case 'message':
      if (f.role === 'kefu') typing.hide();
      if (!list.message(f)) return;
      if (!f.replay && !fromHistory) announce(t('announceMessage', f.shuiFaDe, f.image ? t('notifyImage') : f.neiRong));
      if (!fromHistory && badge.bump()) chime();
      return;
    case 'bot': {
      const line = closedLine(f) ?? botLine(f);
      list.bot({ neiRong: line, shuiFaDe: t('botName'), ts: f.ts });
      if (!fromHistory) announce(t('announceMessage', t('botName'), line));
      if (typeof f.agentsOnline === 'number') setAgentsOnline(f.agentsOnline);
      return;
    }
    case 'typing':
      if (seated()) typing.show(t('typing', f.shuiFaDe));
      return;
    case 'close':
      end(t('stateEnded'));
      return;
    case 'error':
      outbox.failed(f.cid);
      notice.show(noticeLine(f));
      return;
    case 'system':
      onSystem(f);
  }
}

/**
 * The socket closed for good (not a drop to come back from).
 * @param {number} code
 */
function closed(code) {
  if (code === 4429) {
    // The queue filled up between /getroom and connecting: the same as a full answer.
    state.phase = 'start';
    state.ticket = null;
    forgetSession();
    view.showChat(false);
    start.noRoom(true, state.agentsOnline);
    return;
  }
  // A resume refused means the conversation ended while we were away.
  if (code === 4401 && state.session.resume) end(t('stateEnded'));
  else end(code === 1006 && !seated() ? t('stateUnreachable') : closeReason(code, 'yonghu'));
}

/** Opens the socket: with the fresh ticket, or with the resume token to come back. */
function connect() {
  view.showChat(true);
  view.bottom('composer');
  // Coming back to a conversation with an agent: the visitor may write meanwhile (held as pending).
  view.setComposer(state.phase === 'rejoining' && !!state.session.agent);
  peer(state.session.agent || t('customerTitle'), t('stateConnecting'));
  setStatus(status, t('stateConnecting'), 'busy');
  socket = conversationSocket({
    params: () => connectionParams(state.session, { ticket: state.ticket, seated: seated(), lastSeq: list.lastSeq }),
    onOpen: () => {
      view.reconnecting(false);
      outbox.resendAll();
    },
    onFrame,
    shouldRetry: (code, opened) => comesBack(code, opened, seated() || state.phase === 'queued'),
    onRetry: (seconds) => {
      state.phase = 'rejoining';
      // The visitor may go on writing: the outbox holds it until the connection is back.
      view.setComposer(true);
      view.reconnecting(true);
      setStatus(status, t('stateReconnecting', seconds), 'warn');
      ui.peerState.textContent = t('stateReconnecting', seconds);
    },
    onClose: (code, retrying) => {
      if (!retrying && CONNECTED.has(state.phase)) closed(code);
    },
  });
  socket.start();
}

/**
 * Asks for a room for this name and connects with the ticket, or says why not.
 * @param {string} name
 * @param {PrechatDetails} details
 */
async function contact(name, details) {
  setStatus(status, t('stateConnecting'), 'busy');
  const answer = await askForRoom(name, details.email);
  if (answer.kind !== 'ticket') {
    start.refused(answer);
    return;
  }
  state.session = { ...emptySession(name), avatar: chosenAvatar(), ...details };
  saveSession(state.session);
  announceConversation(answer.ticket);
  firstQuestion.reset();
  state.ticket = answer.ticket;
  state.assignedShown = null;
  state.phase = 'connecting';
  start.placed();
  list.clear();
  connect();
  setAgentsOnline(answer.agentsOnline);
}

/**
 * The queue is full and nobody is online: the message form alone, without a place in the queue.
 * @param {string} name
 */
function leaveMessage(name) {
  state.session = emptySession(name);
  state.phase = 'offline';
  list.clear();
  view.showChat(true);
  peer(t('customerTitle'), t('noAgentOnline'));
  setStatus(status, t('noAgentOnline'), 'idle');
  view.setComposer(false);
  view.bottom('offline');
  state.agentsOnline = 0;
  offline.prefill(start.email);
  view.showOfflineForm(true);
}

ui.offlineOpen.addEventListener('click', () => view.showOfflineForm(true));
byId('offlineCancel', HTMLButtonElement).addEventListener('click', () => {
  view.showOfflineForm(false);
  if (state.phase !== 'offline') {
    ui.offlineOpen.focus();
    return;
  }
  state.phase = 'start';
  view.showChat(false);
  start.focusLeaveMessage();
});
ui.leave.addEventListener('click', () => end(t('stateEnded')));
ui.reconnectNow.addEventListener('click', () => socket?.reconnectNow());
ui.again.addEventListener('click', () => {
  state.phase = 'start';
  view.bottom('composer');
  view.showChat(false);
  replyTime.show(true);
  start.again(state.session.name);
});
bindComposer({
  ui,
  outbox,
  notice,
  sender: () => state.session.name,
  canWrite: () => state.phase === 'chatting' || state.phase === 'queued' || state.phase === 'rejoining',
  uploadToken: () => (seated() ? state.session.resume : null),
  typingSocket: () => (seated() && socket !== null && !socket.stopped ? socket : null),
});

/**
 * Another tab of this visitor started a conversation (with this ticket), or has one this tab has
 * not joined (null): this tab shows it too. A tab in a conversation of its own stays in it.
 * @param {string | null} ticket
 */
function joinOtherTab(ticket) {
  if (CONNECTED.has(state.phase)) return;
  const session = readSession();
  if (!session.name || (!ticket && !session.resume)) return;
  state.session = session;
  state.ticket = ticket;
  state.assignedShown = null;
  state.phase = ticket ? 'connecting' : 'rejoining';
  start.placed();
  list.clear();
  connect();
}
onOtherTabConversation(joinOtherTab);
// A tab opened while another was still connecting saw a name without a token: it joins once the token is there.
onSessionChanged(() => joinOtherTab(null));
onOtherTabRated(() => rating.ratedElsewhere());

start.setName(state.session.name);
// Reloaded mid-conversation: come back with the resume token and get the whole history.
if (state.session.resume && state.session.name) {
  state.phase = 'rejoining';
  connect();
} else if (!embed.framed) {
  start.focusName();
}
