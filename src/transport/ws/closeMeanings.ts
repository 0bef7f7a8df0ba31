import type { Departure, Refusal } from '../../domain/broker.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';

/** The close code and reason each refused admission gets. */
export const REFUSALS: Record<Refusal, [number, string]> = {
  name_taken: [CloseCode.NAME_TAKEN, closeReasons.nameTaken],
  unknown_ticket: [CloseCode.UNAUTHORIZED, closeReasons.unknownTicket],
  expired_ticket: [CloseCode.UNAUTHORIZED, closeReasons.expiredTicket],
  wrong_name: [CloseCode.UNAUTHORIZED, closeReasons.wrongName],
  bad_resume: [CloseCode.UNAUTHORIZED, closeReasons.badResume],
  queue_full: [CloseCode.QUEUE_FULL, closeReasons.queueFull],
};

/** Close codes that mean the person left on purpose (the page's disconnect button); any other is a drop. */
export function departureOf(code: number): Departure {
  return code === 1000 || code === 1005 ? 'deliberate' : 'dropped';
}
