// @ts-check
// The reconnecting WebSocket client both pages use: it comes back by itself after a drop
// (exponential backoff with jitter), asking the page for fresh query parameters each time so it
// can add its resume token and the last seq it saw.
import { readFrame } from './frames.js';

/** @import { ServerFrame } from './frames.js' */

/**
 * What a page tells the socket.
 * @typedef {object} SocketHooks
 * @property {() => Record<string, string>} params the query for the next attempt
 * @property {(code: number, opened: boolean) => boolean} shouldRetry whether a close is a drop to come back from
 * @property {(frame: ServerFrame, fromHistory?: boolean) => void} onFrame `fromHistory`: a frame from before
 *   this tab joined the conversation, passed on by the tab that has the socket (see customer/tabLink.js)
 * @property {() => void} [onOpen]
 * @property {(seconds: number) => void} [onRetry] the next attempt is in `seconds`
 * @property {(code: number, retrying: boolean) => void} onClose
 */

/** Longest wait between attempts, ms. */
const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 500;

/** A WebSocket to /ws that reconnects after a drop until stop() is called. */
export class ChatSocket {
  /** @type {WebSocket | null} */
  #ws = null;
  #attempt = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  /** True once stop() was called (or before start()): no attempt is made. */
  stopped = true;

  /** @param {SocketHooks} hooks */
  constructor(hooks) {
    this.hooks = hooks;
  }

  start() {
    this.stopped = false;
    this.#attempt = 0;
    this.#open();
  }

  #open() {
    const query = new URLSearchParams(this.hooks.params()).toString();
    const url = `${location.protocol === 'https:' ? 'wss://' : 'ws://'}${location.host}/ws?${query}`;
    /** @type {WebSocket} */
    let ws;
    try {
      ws = new WebSocket(url);
    } catch {
      this.hooks.onClose(1006, false);
      return;
    }
    this.#ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.#attempt = 0;
      this.hooks.onOpen?.();
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      /** @type {unknown} */
      let raw;
      try {
        raw = JSON.parse(e.data);
      } catch {
        return;
      }
      const frame = readFrame(raw);
      if (frame) this.hooks.onFrame(frame);
    };
    ws.onclose = (e) => {
      // A socket this client already replaced says nothing about the current one.
      if (this.#ws !== ws) return;
      this.#ws = null;
      const again = !this.stopped && this.hooks.shouldRetry(e.code, opened);
      this.hooks.onClose(e.code, again);
      if (again) this.#retry();
    };
  }

  #retry() {
    const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.#attempt);
    // Equal jitter (half the backoff fixed, half random): clients dropped together by one
    // restart spread their attempts instead of all coming back in the same instant.
    const delay = Math.round(base / 2 + Math.random() * (base / 2));
    this.#attempt++;
    this.hooks.onRetry?.(Math.ceil(delay / 1000));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.stopped) this.#open();
    }, delay);
  }

  /**
   * Sends a frame as JSON; false when no socket is open (the caller marks it failed).
   * @param {object} frame
   */
  send(frame) {
    if (!this.#ws || this.#ws.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * The next attempt now instead of at the end of the countdown (the person pressed "reconnect
   * now"); the backoff goes on growing should this attempt fail too. Nothing while connected.
   */
  reconnectNow() {
    if (this.stopped || this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#open();
  }

  /** A deliberate leave: close 1000, which the server treats as leaving, not dropping. */
  stop() {
    this.stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#ws?.close(1000);
  }
}
