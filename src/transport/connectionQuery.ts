import { closeReasons } from '../protocol/notices.js';
import { checkName } from '../protocol/names.js';
import { CloseCode } from '../protocol/closeCodes.js';
import type { Role } from '../domain/participant.js';

/** The connection query after validation. */
export type ConnectionRequest =
  | { role: 'kefu'; name: string; key: string }
  | { role: 'yonghu'; name: string; ticket: string };

export type QueryCheck = { ok: true; request: ConnectionRequest } | { ok: false; code: number; reason: string };

function single(params: URLSearchParams, key: string): string | undefined {
  const all = params.getAll(key);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * Validates `?type=&name=&key=|ticket=` from the upgrade URL. Only shape is checked here; the
 * key and ticket themselves are checked by their owners. A repeated parameter is ambiguous and
 * refused rather than guessed at.
 */
export function parseConnectionQuery(url: string | undefined): QueryCheck {
  const params = new URL(url ?? '/', 'http://x').searchParams;
  const type = single(params, 'type');
  if (type !== 'kefu' && type !== 'yonghu') return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badType };
  const role: Role = type;
  const name = checkName(single(params, 'name'));
  if (!name.ok) {
    const reason = name.reason === 'reserved_name' ? closeReasons.reservedName : closeReasons.badName;
    return { ok: false, code: CloseCode.BAD_REQUEST, reason };
  }
  if (role === 'kefu') {
    const key = single(params, 'key');
    if (!key) return { ok: false, code: CloseCode.UNAUTHORIZED, reason: closeReasons.badKey };
    return { ok: true, request: { role, name: name.name, key } };
  }
  const ticket = single(params, 'ticket');
  if (!ticket) return { ok: false, code: CloseCode.UNAUTHORIZED, reason: closeReasons.noTicket };
  return { ok: true, request: { role, name: name.name, ticket } };
}
