import { andThenOr, isPending, type Awaitable } from '../awaitable.js';
import type { RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { AppendResult, ConversationStore, NewMessage, StoredMessage } from '../store/conversationStore.js';
import type { Bot } from './bot.js';
import type { Participant } from './participant.js';
import { messageEvent, refusal, type Delivery, type MessageEvent, type RefusedError } from './roomEvent.js';
import { peerOf, seatOf } from './roster.js';

/**
 * Chat messages between a customer and their agent: stored first (so the echo is an ack that
 * means "stored"), then echoed to the sender and relayed to the peer; and typing, relayed and
 * never stored. A waiting customer's message goes to the bot instead.
 */
export class Messaging {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly conversations: ConversationStore,
    private readonly bot: Bot,
    private readonly now: () => number,
  ) {}

  /**
   * A message: stored (so the echo is an ack that means "stored"), echoed to the sender and
   * relayed to the peer if the peer is connected. A resend of a stored cid is acked again and
   * not relayed twice.
   */
  postMessage(from: Participant, content: string, cid?: string): Awaitable<Delivery[]> {
    const room = from.room;
    if (room === undefined) return from.role === 'yonghu' ? this.bot.ask(from, content, cid) : refusal(from.session, 'not_in_room', cid);
    // Written as steps rather than awaits: with in-process backends every step answers at once
    // and the whole message is handled synchronously (see Awaitable), without a closure made
    // for a later step that is taken at once anyway.
    let view: Awaitable<RoomView | undefined>;
    try {
      view = this.registry.getRoom(room);
    } catch {
      return refusal(from.session, 'unavailable', cid);
    }
    if (isPending(view)) return this.later(view, (settled) => this.storeMessage(from, room, settled, false, content, cid), from, 'unavailable', cid);
    return this.storeMessage(from, room, view, true, content, cid);
  }

  /** A message step whose backend answered with a promise: `next` once it settles, or a refusal if it fails. */
  private later<T>(
    pending: PromiseLike<T>,
    next: (value: T) => Awaitable<Delivery[]>,
    from: Participant,
    error: RefusedError,
    cid?: string,
  ): Promise<Delivery[]> {
    return Promise.resolve(pending).then(next, () => refusal(from.session, error, cid));
  }

  /**
   * Stores a message for the conversation seated in `view` (the sender's room), then relays it.
   * `viewAtOnce`: the registry answered `view` synchronously, so it is this process's own state.
   */
  storeMessage(
    from: Participant,
    room: string,
    view: RoomView | undefined,
    viewAtOnce: boolean,
    content: string,
    cid?: string,
    image?: ImageRef,
  ): Awaitable<Delivery[]> {
    const seat = seatOf(view, from);
    const ts = this.now();
    // A customer no longer in this room (transferred a moment ago, the frame raced the news):
    // refused with the cid, so the page resends it to the new room rather than losing it.
    if (!seat) {
      if (from.role === 'yonghu') return refusal(from.session, 'not_in_room', cid);
      // An agent alone in their room: echoed, as in the seed.
      const echo: MessageEvent = { kind: 'message', sender: from.name, role: from.role, content, ts };
      if (cid !== undefined) echo.cid = cid;
      return [{ to: [from.session], event: echo }];
    }
    const message: NewMessage = { conversationId: seat.conversationId, sender: from.name, role: from.role, content, ts };
    if (cid !== undefined) message.cid = cid;
    if (image !== undefined) message.image = image;
    // The same steps as in postMessage: no closures when the store answers at once.
    let appended: Awaitable<AppendResult>;
    try {
      appended = this.conversations.appendMessage(message);
    } catch {
      return refusal(from.session, 'store_failed', cid);
    }
    if (isPending(appended)) return this.later(appended, (settled) => this.stored(from, room, view, false, settled, cid), from, 'store_failed', cid);
    return this.stored(from, room, view, viewAtOnce, appended, cid);
  }

  /** The ack and relay of a message the store has taken (or already had: a resend). */
  private stored(from: Participant, room: string, view: RoomView | undefined, atOnce: boolean, appended: AppendResult, cid?: string): Awaitable<Delivery[]> {
    if (appended.duplicate) return [{ to: [from.session], event: messageEvent(appended.message, { duplicate: true }) }];
    // Read and stored without yielding: nothing can have changed the room in between (a
    // reattach runs on this thread too), so the view read before storing is the room now.
    if (atOnce) return this.relayTo(from, view, appended.message);
    return this.relay(from, room, appended.message, cid);
  }

  /**
   * Acks a stored message to its sender and relays it to the peer, looked up again after the
   * store: a peer who reattached meanwhile either gets this live or finds it in their replay
   * (the transport drops the copy at or below their catch-up seq). If the registry fails now the
   * message is stored but unacked: the resend (same cid) acks it.
   */
  private relay(from: Participant, room: string, message: StoredMessage, cid?: string): Awaitable<Delivery[]> {
    return andThenOr(
      () => this.registry.getRoom(room),
      (now) => this.relayTo(from, now, message),
      () => refusal(from.session, 'unavailable', cid),
    );
  }

  /** The ack to the sender and, if the peer is connected in `room`, the relay. */
  private relayTo(from: Participant, room: RoomView | undefined, message: StoredMessage): Delivery[] {
    const to = [from.session];
    const peer = room && peerOf(room, from);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: messageEvent(message) }];
  }

  /** The sender is typing: the peer is told (nothing stored, nothing acked). */
  async typing(from: Participant): Promise<Delivery[]> {
    if (from.room === undefined) return [];
    const room = await this.registry.getRoom(from.room);
    const peer = room && peerOf(room, from);
    return peer === undefined ? [] : [{ to: [peer], event: { kind: 'typing', peer: from.name, role: from.role } }];
  }
}
