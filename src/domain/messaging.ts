import type { RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { AppendResult, ConversationStore, NewMessage } from '../store/conversationStore.js';
import type { Bot } from './bot.js';
import type { Participant } from './participant.js';
import { messageEvent, refusal, type Delivery, type MessageEvent } from './roomEvent.js';
import { peerOf, seatOf } from './roster.js';

/** A message's turn at the store: refused or only echoed (its deliveries), or its append under way. */
type StoreTurn = Delivery[] | { appended: Promise<AppendResult> };

const NO_TURN: Promise<unknown> = Promise.resolve();

/**
 * Chat messages between a customer and their agent: stored first (so the echo is an ack that
 * means "stored"), then echoed to the sender and relayed to the peer; and typing, relayed and
 * never stored. A waiting customer's message goes to the bot instead.
 */
export class Messaging {
  /**
   * Per sender (one connection), the turn of its latest message at the store. A sender's
   * messages are in flight together and their room lookups may answer out of order (a registry
   * round trip each); each still calls the store only after the one before it did, and the
   * store numbers appends in call order, so seq order is the order the messages came in.
   */
  private readonly turns = new WeakMap<Participant, Promise<unknown>>();

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
  async postMessage(from: Participant, content: string, cid?: string): Promise<Delivery[]> {
    const room = from.room;
    if (room === undefined) return from.role === 'yonghu' ? this.bot.ask(from, content, cid) : refusal(from.session, 'not_in_room', cid);
    let lookup: Promise<RoomView | undefined>;
    try {
      lookup = this.registry.getRoom(room);
    } catch (err) {
      lookup = Promise.reject(err);
    }
    return this.store(from, room, lookup, content, cid);
  }

  /** Stores a message for the conversation seated in `view` (the sender's room, as read before), then acks and relays it. */
  storeMessage(from: Participant, room: string, view: RoomView | undefined, content: string, cid?: string, image?: ImageRef): Promise<Delivery[]> {
    return this.store(from, room, Promise.resolve(view), content, cid, image);
  }

  private async store(
    from: Participant,
    room: string,
    lookup: Promise<RoomView | undefined>,
    content: string,
    cid?: string,
    image?: ImageRef,
  ): Promise<Delivery[]> {
    // A failed lookup is answered in its turn below, not reported as unhandled before it.
    lookup.catch(() => {});
    const turn = (this.turns.get(from) ?? NO_TURN)
      .then(() => lookup)
      .then(
        (view) => this.callStore(from, view, content, cid, image),
        (): Delivery[] => refusal(from.session, 'unavailable', cid),
      );
    this.turns.set(from, turn);
    const taken = await turn;
    if (Array.isArray(taken)) return taken;
    let appended: AppendResult;
    try {
      appended = await taken.appended;
    } catch {
      return refusal(from.session, 'store_failed', cid);
    }
    if (appended.duplicate) return [{ to: [from.session], event: messageEvent(appended.message, { duplicate: true }) }];
    // The room is read again: while the store worked, the peer may have reattached on a new
    // session, and the view read before names the old one. The new one either gets this live or
    // finds it in its replay (the transport drops the copy at or below its catch-up seq). If the
    // registry fails now the message is stored but unacked: the resend (same cid) acks it.
    let now: RoomView | undefined;
    try {
      now = await this.registry.getRoom(room);
    } catch {
      return refusal(from.session, 'unavailable', cid);
    }
    const to = [from.session];
    const peer = now && peerOf(now, from);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: messageEvent(appended.message) }];
  }

  /**
   * Calls the store for a message to the conversation seated in `view`, or says why not: a
   * customer no longer in this room is refused, an agent alone is only echoed.
   */
  private callStore(from: Participant, view: RoomView | undefined, content: string, cid?: string, image?: ImageRef): StoreTurn {
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
    try {
      return { appended: this.conversations.appendMessage(message) };
    } catch {
      return refusal(from.session, 'store_failed', cid);
    }
  }

  /** The sender is typing: the peer is told (nothing stored, nothing acked). */
  async typing(from: Participant): Promise<Delivery[]> {
    if (from.room === undefined) return [];
    const room = await this.registry.getRoom(from.room);
    const peer = room && peerOf(room, from);
    return peer === undefined ? [] : [{ to: [peer], event: { kind: 'typing', peer: from.name, role: from.role } }];
  }
}
