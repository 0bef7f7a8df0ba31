import type { RoomRegistry, RoomView } from '../cluster/roomRegistry.js';
import type { ImageRef } from '../protocol/imageFormat.js';
import type { AppendResult, ConversationStore, NewMessage } from '../store/conversationStore.js';
import type { Bot } from './bot.js';
import type { Participant } from './participant.js';
import { messageEvent, refusal, type Delivery, type MessageEvent } from './roomEvent.js';
import { peerIn, pickSeat } from './seats.js';

/** A message's turn at the store: refused or only echoed (its deliveries), or its append under way. */
type StoreTurn = Delivery[] | { appended: Promise<AppendResult> };

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
   * not relayed twice. An agent with several conversations names the one it is for.
   */
  postMessage(from: Participant, content: string, cid?: string, conversationId?: string): Promise<Delivery[]> {
    const room = from.room;
    if (room === undefined) {
      return from.role === 'yonghu' ? this.bot.ask(from, content, cid) : Promise.resolve(refusal(from.session, 'not_in_room', cid, conversationId));
    }
    let lookup: Promise<RoomView | undefined>;
    try {
      lookup = this.registry.getRoom(room);
    } catch (err) {
      lookup = Promise.reject(err);
    }
    return this.store(from, room, lookup, { content, cid, conversationId });
  }

  /** Stores a message for a conversation seated in `view` (the sender's room, as read before), then acks and relays it. */
  storeMessage(from: Participant, room: string, view: RoomView | undefined, draft: Draft): Promise<Delivery[]> {
    return this.store(from, room, Promise.resolve(view), draft);
  }

  private async store(from: Participant, room: string, lookup: Promise<RoomView | undefined>, draft: Draft): Promise<Delivery[]> {
    const { cid } = draft;
    const take = (view: RoomView | undefined): StoreTurn => this.callStore(from, view, draft);
    const unavailable = (): Delivery[] => refusal(from.session, 'unavailable', cid, draft.conversationId);
    const earlier = this.turns.get(from);
    let turn: Promise<StoreTurn>;
    if (earlier === undefined) {
      turn = lookup.then(take, unavailable);
    } else {
      // A failed lookup is answered in its turn below, not reported as unhandled before it.
      lookup.catch(() => {});
      turn = earlier.then(() => lookup).then(take, unavailable);
    }
    this.turns.set(from, turn);
    const taken = await turn;
    // Nothing of the sender's came after: the next message need not wait on this one, which
    // would otherwise stay reachable (and its stored message with it) until then.
    if (this.turns.get(from) === turn) this.turns.delete(from);
    if (Array.isArray(taken)) return taken;
    let appended: AppendResult;
    try {
      appended = await taken.appended;
    } catch {
      return refusal(from.session, 'store_failed', cid, draft.conversationId);
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
      return refusal(from.session, 'unavailable', cid, draft.conversationId);
    }
    const to = [from.session];
    const peer = peerIn(now, from, appended.message.conversationId);
    if (peer !== undefined) to.push(peer);
    return [{ to, event: messageEvent(appended.message) }];
  }

  /**
   * Calls the store for a message to the conversation it is for in `view`, or says why not: a
   * customer no longer in this room is refused (with the cid, so the page resends it to the new
   * room rather than losing it), an agent who named no conversation of theirs is refused, an
   * agent alone is only echoed (as in the seed).
   */
  private callStore(from: Participant, view: RoomView | undefined, draft: Draft): StoreTurn {
    const { content, cid, conversationId, image } = draft;
    const pick = pickSeat(view, from, conversationId);
    const ts = this.now();
    if (pick.kind === 'refused') return refusal(from.session, pick.error, cid, conversationId);
    if (pick.kind === 'alone') {
      const echo: MessageEvent = { kind: 'message', sender: from.name, role: from.role, content, ts };
      if (cid !== undefined) echo.cid = cid;
      return [{ to: [from.session], event: echo }];
    }
    const message: NewMessage = { conversationId: pick.seat.conversationId, sender: from.name, role: from.role, content, ts };
    if (cid !== undefined) message.cid = cid;
    if (image !== undefined) message.image = image;
    try {
      return { appended: this.conversations.appendMessage(message) };
    } catch {
      return refusal(from.session, 'store_failed', cid, pick.seat.conversationId);
    }
  }

  /** The sender is typing: the other side of the conversation is told (nothing stored, nothing acked). */
  async typing(from: Participant, conversationId?: string): Promise<Delivery[]> {
    if (from.room === undefined) return [];
    const view = await this.registry.getRoom(from.room);
    const pick = pickSeat(view, from, conversationId);
    if (pick.kind === 'refused')
      return from.role === 'kefu' && pick.error !== 'not_in_room' ? refusal(from.session, pick.error, undefined, conversationId) : [];
    if (pick.kind === 'alone') return [];
    const seat = pick.seat;
    const peer = from.role === 'kefu' ? seat.session : view?.agentSession;
    return peer === undefined ? [] : [{ to: [peer], event: { kind: 'typing', peer: from.name, role: from.role, conversationId: seat.conversationId } }];
  }
}

/** A message on its way to the store: the text, the sender's cid, the conversation an agent named, an image. */
export interface Draft {
  content: string;
  cid?: string | undefined;
  conversationId?: string | undefined;
  image?: ImageRef;
}
