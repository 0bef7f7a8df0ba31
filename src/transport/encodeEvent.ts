import type { RoomEvent } from '../domain/roomEvent.js';
import type { ServerFrame } from '../protocol/frames.js';
import { CLOSE_COMMAND_CONTENT, CLOSE_COMMAND_SENDER, SYSTEM_SENDER, notices } from '../protocol/notices.js';

function system(neiRong: string, event: string, ts: number): ServerFrame {
  return { neiRong, shuiFaDe: SYSTEM_SENDER, type: 'system', event, ts };
}

/** Turns a domain event into the wire frame (seed fields first, additive fields after). */
export function encodeEvent(event: RoomEvent, now: number): ServerFrame {
  switch (event.kind) {
    case 'message':
      return { neiRong: event.content, shuiFaDe: event.sender, type: 'message', role: event.role, ts: event.ts };
    case 'room_opened':
      return system(notices.roomOpened(event.agent), event.kind, now);
    case 'agent_assigned':
      return system(notices.agentAssigned(event.agent), event.kind, now);
    case 'customer_entered':
      return system(notices.customerEntered(event.customer), event.kind, now);
    case 'customer_left':
      return system(notices.customerLeft(event.customer), event.kind, now);
    case 'agent_left':
      return system(notices.agentLeft(event.agent), event.kind, now);
    case 'dismissed':
      return { neiRong: CLOSE_COMMAND_CONTENT, shuiFaDe: CLOSE_COMMAND_SENDER, type: 'close', ts: now };
  }
}
