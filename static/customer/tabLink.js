// @ts-check
// One visitor, one conversation, however many tabs they open. Exactly one tab, the leader, has
// the WebSocket: it is elected with the Web Locks API (the lock is held for the tab's life, so
// it passes to another tab when the leader closes). The other tabs, the followers, are linked to
// it through a BroadcastChannel: the leader passes on every server frame and its connection's
// state, keeps the conversation's frames so far for a follower that opens later, and sends on its
// socket what a follower sends (the acks come back as relayed frames). A follower that becomes
// the leader connects with the stored resume token, as a reload would.
//
// TabSocket has the ChatSocket's interface: the page does not need to know which kind of tab it
// is. Without Web Locks or BroadcastChannel (or without shared storage), every tab has its own
// ChatSocket, as before.
import { ChatSocket } from '../lib/socket.js';
import { sessionShared } from './session.js';

/** @import { ServerFrame } from '../lib/frames.js' */
/** @import { SocketHooks } from '../lib/socket.js' */

/**
 * What the page uses of its socket.
 * @typedef {{ start(): void, send(frame: object): boolean, stop(): void, reconnectNow(): void, readonly stopped: boolean }} ConversationSocket
 */

/**
 * The leader's connection, as the followers are told it.
 * @typedef {{ kind: 'idle' } | { kind: 'open' } | { kind: 'retry', seconds: number } | { kind: 'closed', code: number, retrying: boolean }} LinkState
 */

/**
 * What the tabs say to each other: `to`/`from` name a tab where one asks and one answers.
 * @typedef {{ type: 'frame', frame: ServerFrame }
 *   | { type: 'state', state: LinkState }
 *   | { type: 'hello', from: string }
 *   | { type: 'history', to: string, frames: ServerFrame[], state: LinkState }
 *   | { type: 'send', frame: object }
 *   | { type: 'stop' }
 *   | { type: 'reconnect' }
 *   | { type: 'joined', ticket: string }
 *   | { type: 'rated' }} TabMessage
 */

/** The lock and the channel: one per origin, which is one per embedding site in a partitioned iframe. */
const NAME = 'kefu.conversation';
/** The most frames a tab keeps for the followers that open later; older ones are dropped. */
const MAX_KEPT = 500;

/** A tab's id on the channel (not a secret: the channel is this origin's own). */
const tabId = Math.random().toString(36).slice(2) + Date.now().toString(36);

/** The socket of the conversation in this tab (the page makes a new one per conversation). */
class TabSocket {
  stopped = true;
  /** @type {ChatSocket | null} the real socket, while this tab leads */
  real = null;
  /** A follower has the frames so far (until then, relayed frames are already in the history to come). */
  heard = false;
  /** A follower: the leader's connection is open, so a send will go out. */
  leaderOpen = false;

  /**
   * @param {TabLink} link
   * @param {SocketHooks} hooks
   */
  constructor(link, hooks) {
    this.link = link;
    this.hooks = hooks;
  }

  start() {
    this.stopped = false;
    this.link.started(this);
  }

  /** @param {object} frame */
  send(frame) {
    if (this.real) return this.real.send(frame);
    if (this.stopped || !this.leaderOpen) return false;
    this.link.post({ type: 'send', frame });
    return true;
  }

  stop() {
    const wasRunning = !this.stopped;
    this.stopped = true;
    if (this.real) this.real.stop();
    // Ending the conversation in one tab ends it in all: the leader closes its socket.
    else if (wasRunning) this.link.post({ type: 'stop' });
  }

  reconnectNow() {
    if (this.real) this.real.reconnectNow();
    else if (!this.stopped) this.link.post({ type: 'reconnect' });
  }
}

/** This tab's part in the election and the channel. */
class TabLink {
  /** @type {'deciding' | 'leader' | 'follower'} */
  role = 'deciding';
  /** @type {TabSocket | null} */
  socket = null;
  /** @type {ServerFrame[]} the frames of this conversation this tab received */
  kept = [];
  /** @type {LinkState} the leader's connection */
  state = { kind: 'idle' };
  /** @type {(ticket: string | null) => void} another tab started (or asks for) the conversation this tab has not joined */
  onJoined = () => {};
  /** @type {() => void} another tab rated the conversation that ended */
  onRated = () => {};
  /** The tab is going away: its socket's close is not the conversation's (the next tab takes it up). */
  leaving = false;

  constructor() {
    this.channel = new BroadcastChannel(NAME);
    this.channel.onmessage = (e) => this.#receive(/** @type {TabMessage} */ (e.data));
    addEventListener('pagehide', () => {
      this.leaving = true;
    });
    // First without waiting: a tab that does not get the lock at once knows it follows.
    void navigator.locks.request(NAME, { ifAvailable: true }, (lock) => {
      if (lock) return this.#lead();
      this.#follow();
      return navigator.locks.request(NAME, () => this.#lead());
    });
  }

  /** @param {TabMessage} m */
  post(m) {
    this.channel.postMessage(m);
  }

  /**
   * The page started a conversation's socket in this tab.
   * @param {TabSocket} socket
   */
  started(socket) {
    if (this.socket && this.socket !== socket) this.socket.stopped = true;
    this.socket = socket;
    this.kept = [];
    this.state = { kind: 'idle' };
    if (this.role === 'leader') this.#connect(socket);
    else if (this.role === 'follower') this.post({ type: 'hello', from: tabId });
  }

  /** The lock is ours until the tab closes: this tab has the socket from now on. */
  #lead() {
    this.role = 'leader';
    const s = this.socket;
    if (s && !s.stopped) this.#connect(s);
    return new Promise(() => {});
  }

  #follow() {
    this.role = 'follower';
    if (this.socket && !this.socket.stopped) this.post({ type: 'hello', from: tabId });
  }

  /**
   * Opens the real socket for the page's conversation, passing all of it on to the followers.
   * @param {TabSocket} s
   */
  #connect(s) {
    const hooks = s.hooks;
    s.real = new ChatSocket({
      params: hooks.params,
      shouldRetry: hooks.shouldRetry,
      onOpen: () => {
        this.#tell({ kind: 'open' });
        hooks.onOpen?.();
      },
      onFrame: (frame) => {
        this.#keep(frame);
        this.post({ type: 'frame', frame });
        hooks.onFrame(frame);
      },
      onRetry: (seconds) => {
        this.#tell({ kind: 'retry', seconds });
        hooks.onRetry?.(seconds);
      },
      onClose: (code, retrying) => {
        // A queued visitor's socket is not one to retry: told as closed for good, the other tabs
        // would end a conversation that the tab taking the lock is about to resume.
        if (!this.leaving) this.#tell({ kind: 'closed', code, retrying });
        hooks.onClose(code, retrying);
      },
    });
    s.real.start();
  }

  /** @param {LinkState} state */
  #tell(state) {
    this.state = state;
    this.post({ type: 'state', state });
  }

  /** @param {ServerFrame} frame */
  #keep(frame) {
    // Typing is of the moment: a tab that opens later has no use for it.
    if (frame.type === 'typing') return;
    this.kept.push(frame);
    if (this.kept.length > MAX_KEPT) this.kept.splice(0, this.kept.length - MAX_KEPT);
  }

  /** @param {TabMessage} m */
  #receive(m) {
    if (typeof m !== 'object' || m === null) return;
    const s = this.socket;
    if (m.type === 'joined') {
      if (!s || s.stopped) this.onJoined(m.ticket);
      return;
    }
    if (m.type === 'rated') {
      this.onRated();
      return;
    }
    if (this.role === 'leader') {
      this.#answer(m);
      return;
    }
    if (this.role !== 'follower' || !s || s.stopped) return;
    switch (m.type) {
      case 'history':
        if (m.to !== tabId || s.heard) return;
        s.heard = true;
        for (const frame of m.frames) {
          this.#keep(frame);
          s.hooks.onFrame(frame, true);
        }
        this.#apply(s, m.state);
        return;
      case 'frame':
        if (!s.heard) return;
        this.#keep(m.frame);
        s.hooks.onFrame(m.frame);
        return;
      case 'state':
        if (s.heard) this.#apply(s, m.state);
        // The hello went to a leader that closed before it answered: ask the one there is now.
        else this.post({ type: 'hello', from: tabId });
    }
  }

  /**
   * What the leader does with the followers' requests.
   * @param {TabMessage} m
   */
  #answer(m) {
    let s = this.socket;
    switch (m.type) {
      case 'hello':
        // A tab that comes in with a conversation this one has not joined (it ended here, or it
        // was started before this tab opened): this tab takes it up, so it has a socket.
        if (!s || s.stopped) this.onJoined(null);
        s = this.socket;
        this.post({ type: 'history', to: m.from, frames: s && !s.stopped ? this.kept : [], state: s && !s.stopped ? this.state : { kind: 'idle' } });
        return;
      case 'send':
        s?.real?.send(m.frame);
        return;
      case 'stop':
        if (s && !s.stopped) s.stop();
        return;
      case 'reconnect':
        s?.real?.reconnectNow();
    }
  }

  /**
   * A follower's view of the leader's connection, as the page's hooks.
   * @param {TabSocket} s
   * @param {LinkState} state
   */
  #apply(s, state) {
    s.leaderOpen = state.kind === 'open';
    if (state.kind === 'open') s.hooks.onOpen?.();
    else if (state.kind === 'retry') s.hooks.onRetry?.(state.seconds);
    else if (state.kind === 'closed') {
      if (!state.retrying) s.stopped = true;
      s.hooks.onClose(state.code, state.retrying);
    }
  }
}

/** @type {TabLink | null} */
let link = null;
try {
  if (sessionShared) link = new TabLink();
} catch {
  // A browser that has the names but refuses them (a sandboxed frame): one socket per tab.
  link = null;
}

/**
 * The conversation's socket for this tab: linked to the visitor's other tabs where the browser
 * can, a ChatSocket of its own otherwise.
 * @param {SocketHooks} hooks
 * @returns {ConversationSocket}
 */
export function conversationSocket(hooks) {
  return link ? new TabSocket(link, hooks) : new ChatSocket(hooks);
}

/**
 * Tells the other tabs that this one started a conversation with this ticket (they join it).
 * @param {string} ticket
 */
export function announceConversation(ticket) {
  link?.post({ type: 'joined', ticket });
}

/** Tells the other tabs that the conversation that ended is rated (they stop asking). */
export function announceRated() {
  link?.post({ type: 'rated' });
}

/**
 * What to do when another tab rated the conversation that ended.
 * @param {() => void} fn
 */
export function onOtherTabRated(fn) {
  if (link) link.onRated = fn;
}

/**
 * What to do when another tab started a conversation (`ticket`: the one it was given) or opened
 * in one (null) that this tab has not joined.
 * @param {(ticket: string | null) => void} join
 */
export function onOtherTabConversation(join) {
  if (link) link.onJoined = join;
}
