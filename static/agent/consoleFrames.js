// @ts-check
// Server frames as the console reads them: a switch on type, then on event, so a new event is one
// more case. Each frame about a conversation goes to that conversation's thread (by its
// conversationId; a server that names none has one conversation at a time).
import { announce } from '../lib/announce.js';
import { t } from '../lib/i18n.js';
import { clockTime } from '../lib/format.js';
import { reloadHistory } from '../lib/history.js';
import { customerOf, noticeLine } from '../lib/notices.js';

/** @import { ServerFrame, InboxConversation } from '../lib/frames.js' */
/** @import { PassingText } from '../lib/passingText.js' */
/** @import { ConversationThread } from './conversationThread.js' */
/** @import { ConversationThreads } from './conversationThreads.js' */
/** @import { ConversationList } from './conversationList.js' */
/** @import { TeamList } from './teamList.js' */
/** @import { TeamChannel } from './teamChannel.js' */
/** @import { OfflineInbox } from './offlineInbox.js' */
/** @import { StatusSwitch } from './statusSwitch.js' */
/** @import { Attention } from './notifications.js' */
/** @import { Layout } from './layout.js' */
/** @import { PreviousConversations } from './previousConversations.js' */

/** Refusals of a transfer or a note: about no chat message, so no message is marked failed. */
const TEAM_ERRORS = new Set(['agent_unavailable', 'no_customer', 'bad_target', 'agents_only', 'customer_away']);
/** Notices that end a conversation for this console. */
const ENDINGS = new Set(['customer_left', 'customer_transferred', 'customer_requeued', 'conversation_resolved']);

/**
 * The console's parts a frame may change.
 * @typedef {object} ConsoleParts
 * @property {ConversationThreads} threads
 * @property {ConversationList} list
 * @property {TeamList} team
 * @property {TeamChannel} channel
 * @property {OfflineInbox} offlineInbox
 * @property {StatusSwitch} statusSwitch
 * @property {Attention} attention
 * @property {PassingText} notice
 * @property {PassingText} typing
 * @property {Layout} layout
 * @property {PreviousConversations} previous
 * @property {(thread: ConversationThread | null) => void} showThread brings a conversation into view
 * @property {() => void} refreshView the conversation in view changed state
 * @property {HTMLButtonElement} requeueButton
 */

/**
 * The frame handler of a console, and `connected`, to call when a connection opens.
 * @param {ConsoleParts} c
 * @returns {{ onFrame: (f: ServerFrame) => void, connected: () => void }}
 */
export function frameHandler(c) {
  const { threads } = c;
  /**
   * Whether this connection has been told its room (room_opened, or the inbox frame that ends a
   * resume). Before that, customer_entered tells again what the room already held.
   */
  let settled = false;
  /** Conversations this page first heard of from a resume (a reload): their history is not news. */
  const retold = new Set();

  /**
   * When a conversation started: the server says (a server that does not is taken at its first
   * notice, remembered for the tab), so a reloaded console still shows it.
   * @param {string} id
   * @param {number | undefined} startedAt
   * @param {number | undefined} ts
   */
  function since(id, startedAt, ts) {
    const key = `kefu.since.${id}`;
    if (typeof startedAt === 'number') sessionStorage.setItem(key, String(startedAt));
    else if (!sessionStorage.getItem(key)) sessionStorage.setItem(key, String(ts ?? Date.now()));
    return clockTime(Number(sessionStorage.getItem(key)));
  }

  /**
   * A conversation the console holds from now on (new, or told again after a reconnect): its
   * thread, and whether it is new to this page.
   * @param {string} id
   * @param {{ customer: string, avatar?: string, waitedMs?: number, startedAt?: number, visitorId?: string, ts?: number, away?: boolean, email?: string, verified?: boolean }} about
   */
  function hold(id, about) {
    let thread = threads.get(id);
    const isNew = !thread || thread.ended;
    if (thread?.ended) threads.drop(thread);
    const customer = {
      name: about.customer,
      // Told again without them (the customer away), the face and the wait are still the ones said first.
      avatar: about.avatar ?? thread?.customer.avatar ?? '',
      waitedMs: about.waitedMs ?? thread?.customer.waitedMs ?? null,
      since: since(id, about.startedAt, about.ts),
      email: about.email ?? thread?.customer.email ?? '',
      // Only the server's word counts, told each time: a resume without the signature is not verified.
      verified: about.verified === true,
    };
    if (!thread || isNew) thread = threads.add(id, customer);
    else thread.customer = customer;
    if (about.visitorId) thread.visitorId = about.visitorId;
    if (typeof about.away === 'boolean') thread.away = about.away;
    thread.list.avatars.set(customer.name, customer.avatar);
    if (!thread.lastTs) thread.touch('', about.startedAt ?? about.ts);
    // Nothing in view yet (or only an ended conversation): this one comes up by itself.
    const current = threads.current;
    if (!current || current.ended) {
      c.showThread(thread);
      c.layout.opened();
    }
    return { thread, isNew };
  }

  /** @param {ServerFrame} f a customer_entered notice */
  function customerEntered(f) {
    if (!f.conversationId) return;
    const { thread, isNew } = hold(f.conversationId, { ...f, customer: customerOf(f, threads.get(f.conversationId)?.customer.name) });
    // Told again on a reconnect (after a drop or a restart): the thread already says they came in.
    if (isNew) thread.list.system(noticeLine(f));
    if (isNew && !settled) retold.add(thread.id);
    else if (isNew) {
      thread.touch(noticeLine(f), f.ts);
      threads.bump(thread);
      // A new chat is worth a sound and a notification even when it comes up in view.
      announce(t('notifyNewChat', thread.customer.name));
      c.attention.notify(t('notifyNewChat', thread.customer.name), noticeLine(f), thread.id ?? '', () => open(thread));
    }
    c.refreshView();
  }

  /** @param {ConversationThread} thread brought into view from a notification */
  function open(thread) {
    if (!threads.get(thread.id ?? '')) return;
    c.showThread(thread);
    c.layout.show('thread');
  }

  /**
   * The inbox frame: every conversation the agent holds. Those the page does not know yet are
   * added (their missed messages come replayed); those it holds that are not listed ended meanwhile.
   * @param {ServerFrame} f
   */
  function inbox(f) {
    settled = true;
    c.statusSwitch.set(f.status);
    const listed = new Set();
    for (const conv of /** @type {InboxConversation[]} */ (f.conversations ?? [])) {
      listed.add(conv.conversationId);
      hold(conv.conversationId, conv);
    }
    for (const thread of threads.open()) {
      if (!listed.has(thread.id)) threads.end(thread);
    }
    c.refreshView();
  }

  /** @param {ServerFrame} f */
  function ended(f) {
    const thread = threads.of(f);
    if (!thread) return;
    thread.list.system(noticeLine(f));
    // The hand-over went through: "transferring…" is done (its conversation's own line says so).
    if (f.event === 'customer_transferred' || f.event === 'customer_requeued') c.notice.hide();
    threads.end(thread);
    if (thread.visitorId) c.previous.forget(thread.visitorId);
    if (thread === threads.current) c.typing.hide();
    c.list.ended();
    c.refreshView();
  }

  /** @param {ServerFrame} f a system frame */
  function onSystem(f) {
    if (typeof f.waiting === 'number' && !f.queue) c.team.showQueue(f.waiting);
    if (f.event && ENDINGS.has(f.event)) {
      ended(f);
      return;
    }
    const thread = threads.of(f);
    switch (f.event) {
      case 'room_opened':
        // A new room: whatever the page held is gone (an inbox frame lists what goes on).
        settled = true;
        threads.clear();
        c.statusSwitch.set(f.status);
        threads.lobby.list.system(noticeLine(f));
        c.refreshView();
        return;
      case 'customer_entered':
        customerEntered(f);
        return;
      case 'status':
        c.statusSwitch.set(f.status);
        (threads.current ?? threads.lobby).list.system(noticeLine(f));
        return;
      case 'peer_away':
      case 'peer_back':
        if (!thread) return;
        thread.away = f.event === 'peer_away';
        thread.list.system(noticeLine(f), thread.away ? 'away' : undefined);
        c.refreshView();
        return;
      case 'resumed':
        if (thread?.id && !f.recovered) void reloadHistory(thread.list, `/api/conversations/${encodeURIComponent(thread.id)}/messages`, '');
        // The missed messages themselves come replayed (and are counted unread as they come).
        if (thread && !retold.has(thread.id) && f.unread && f.unread > 0) thread.list.system(t('unreadWhileAway', f.unread));
        return;
      default:
        // rated, and anything newer: a notice in its conversation (or the one in view).
        (thread ?? threads.current ?? threads.lobby).list.system(noticeLine(f));
    }
  }

  /** @param {ServerFrame} f */
  function message(f) {
    const thread = threads.of(f);
    if (!thread) return;
    if (f.role === 'yonghu' && thread === threads.current) c.typing.hide();
    if (!thread.list.message(f)) return;
    thread.touch(f.image ? t('notifyImage') : f.neiRong, f.ts);
    if (!f.replay) announce(t('announceMessage', f.shuiFaDe, f.image ? t('notifyImage') : f.neiRong));
    // A reloaded page is given each conversation's history: read before, not unread now.
    if (f.replay && retold.has(thread.id)) {
      c.list.render();
      return;
    }
    if (threads.bump(thread) && !f.replay) {
      c.attention.notify(t('notifyNewMessage', thread.customer.name), f.image ? t('notifyImage') : f.neiRong, thread.id ?? '', () => open(thread));
    }
    c.list.render();
  }

  /** @param {ServerFrame} f */
  function error(f) {
    c.notice.show(noticeLine(f));
    // Transfer and team-note refusals are about no chat message: the team list is redrawn.
    if (TEAM_ERRORS.has(f.error ?? '')) {
      c.requeueButton.disabled = false;
      c.team.render();
      return;
    }
    if (c.channel.refused(f.cid)) return;
    const named = f.conversationId ? threads.get(f.conversationId) : undefined;
    if (named) named.outbox.failed(f.cid);
    // A cid is unique: only the thread that sent it has it pending.
    else if (f.cid) for (const thread of threads.all()) thread.outbox.failed(f.cid);
    else threads.current?.outbox.failed();
  }

  /** @param {ServerFrame} f */
  function onFrame(f) {
    switch (f.type) {
      case 'message':
        message(f);
        return;
      case 'typing': {
        const thread = threads.of(f);
        if (thread && thread === threads.current && !thread.ended) c.typing.show(t('typing', f.shuiFaDe));
        return;
      }
      case 'inbox':
        inbox(f);
        return;
      case 'presence':
        c.team.update(f);
        c.list.presence(f.queue, f.waiting ?? 0);
        return;
      case 'team':
        c.channel.show(f);
        return;
      case 'offline_messages':
        if (c.offlineInbox.add(f) > 0) {
          (threads.current ?? threads.lobby).list.system(noticeLine(f));
          c.attention.other();
        }
        return;
      case 'bot_history': {
        // What the customer just placed here asked the bot while waiting: their questions, the bot's answers.
        const thread = threads.of(f);
        if (!thread) return;
        const who = f.customer || thread.customer.name;
        thread.list.system(noticeLine(f));
        for (const e of f.botExchanges ?? []) {
          thread.list.message({ type: 'message', neiRong: e.question, shuiFaDe: who, role: 'yonghu', ts: e.ts });
          thread.list.bot({ neiRong: e.answer, shuiFaDe: t('botName'), ts: e.ts });
        }
        return;
      }
      case 'error':
        error(f);
        return;
      case 'system':
        onSystem(f);
    }
  }

  return {
    onFrame,
    connected: () => {
      settled = false;
      retold.clear();
    },
  };
}
