import { openingState, type BusinessHours } from '../domain/businessHours.js';
import { notices } from '../protocol/notices.js';

/**
 * /getroom's answer outside business hours, or undefined while the team is open: no ticket, and
 * `room: false`, which every client (a seed client included) takes as "not placed now"; `closed`
 * and `opensAt` (ms since the epoch, null when no opening lies ahead) tell the page why and until when.
 */
export function closedAnswer(hours: BusinessHours, now: number): { room: false; closed: true; opensAt: number | null; message: string } | undefined {
  const state = openingState(hours, now);
  if (state.open) return undefined;
  return { room: false, closed: true, opensAt: state.opensAt, message: notices.closed };
}
