// @ts-check
// Sending own messages: each gets a client id (cid) that makes resending safe, shows at once as
// pending, goes out when the socket is open, is marked failed (with a retry) when it cannot go or
// the server refuses it, and goes out again by itself after a reconnect until its ack arrives.
// While the connection is coming back, a message written meanwhile stays pending and goes out
// with the others on reconnect.
// The message list holds what is pending; this is the sending side of it.

/** @import { MessageList } from './messageList.js' */

/**
 * A message frame as a page sends it: text (`neiRong`) or an image (`type: 'image'`).
 * @typedef {{ cid: string, neiRong?: string, type?: 'image', image?: string }} OutgoingMessage
 */

/** A fresh client message id: 72 random bits as hex. */
export function newCid() {
  const bytes = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sends own messages through the page's socket, keeping the list's pending marks right. */
export class Outbox {
  /**
   * @param {MessageList} list
   * @param {(frame: object) => boolean} transmit sends a frame on the current socket; false when none is open
   * @param {() => boolean} [reconnecting] true while the connection is coming back: what cannot go now waits for it
   */
  constructor(list, transmit, reconnecting = () => false) {
    this.list = list;
    this.transmit = transmit;
    this.reconnecting = reconnecting;
  }

  /**
   * Shows an own message as pending and sends it.
   * @param {string} sender
   * @param {string} shown what the bubble says until the ack (an image's placeholder text)
   * @param {OutgoingMessage} frame
   */
  send(sender, shown, frame) {
    this.list.pendingMessage(frame.cid, sender, shown, frame);
    if (!this.transmit(frame) && !this.reconnecting()) this.failed(frame.cid);
  }

  /**
   * @param {string} sender
   * @param {string} text
   */
  sendText(sender, text) {
    const cid = newCid();
    this.send(sender, text, { neiRong: text, cid });
  }

  /**
   * Marks a message failed, offering a retry. Without a cid, the newest pending one: the server
   * refuses an over-rate frame before reading its cid.
   * @param {string} [cid]
   */
  failed(cid) {
    this.list.failed(cid || this.list.newestPending(), this.#retry);
  }

  /** @type {(cid: string, frame: object) => void} */
  #retry = (cid, frame) => {
    if (!this.transmit(frame)) this.list.failed(cid, this.#retry);
  };

  /** After a reconnect: everything not acked goes again (the server de-duplicates by cid). */
  resendAll() {
    for (const frame of this.list.unackedFrames()) this.transmit(frame);
  }
}
