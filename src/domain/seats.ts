import type { RoomView, SeatView } from '../cluster/roomRegistry.js';
import type { Participant } from './participant.js';

/**
 * Which seat of a room a frame is for: a customer's own; for an agent, the conversation the
 * frame names, or their only one. An agent with no customer is alone (a seed console's message
 * is then only echoed); why no seat fits, as the error the sender is told.
 */
export type SeatPick =
  | { kind: 'seat'; seat: SeatView }
  | { kind: 'alone' }
  | { kind: 'refused'; error: 'not_in_room' | 'conversation_required' | 'unknown_conversation' };

/**
 * The seat in `view` a frame from `from` is for. An agent names the conversation
 * (`conversationId`); with exactly one seat they may leave it out (seed consoles never name
 * one), with several they must. A customer always speaks in their own seat (what they name is
 * not looked at): one no longer seated here (transferred a moment ago) is `not_in_room`.
 */
export function pickSeat(view: RoomView | undefined, from: Participant, conversationId?: string): SeatPick {
  if (from.role === 'yonghu') {
    const own = view?.seats.find((s) => s.session === from.session);
    return own ? { kind: 'seat', seat: own } : { kind: 'refused', error: 'not_in_room' };
  }
  if (view?.agentSession !== from.session) return { kind: 'refused', error: 'not_in_room' };
  if (conversationId !== undefined) {
    const named = view.seats.find((s) => s.conversationId === conversationId);
    return named ? { kind: 'seat', seat: named } : { kind: 'refused', error: 'unknown_conversation' };
  }
  if (view.seats.length === 0) return { kind: 'alone' };
  if (view.seats.length > 1) return { kind: 'refused', error: 'conversation_required' };
  return { kind: 'seat', seat: view.seats[0] as SeatView };
}

/** The seat of `conversationId` in `view`, if there is one. */
export function seatById(view: RoomView | undefined, conversationId: string): SeatView | undefined {
  return view?.seats.find((s) => s.conversationId === conversationId);
}

/**
 * The session of the other side of conversation `conversationId` in `view`, if `from` is still
 * on their side of it and the other side is connected.
 */
export function peerIn(view: RoomView | undefined, from: Participant, conversationId: string): string | undefined {
  const seat = seatById(view, conversationId);
  if (!view || !seat) return undefined;
  if (from.role === 'kefu') return view.agentSession === from.session ? seat.session : undefined;
  return seat.session === from.session ? view.agentSession : undefined;
}
