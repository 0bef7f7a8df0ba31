import { FrameError, type FrameErrorCode } from './errorCodes.js';

/**
 * What kind of server frame this is. Seed clients read only neiRong/shuiFaDe; newer clients
 * switch on `type` instead of parsing the Chinese texts.
 */
export type ServerFrameType = 'message' | 'system' | 'close' | 'error';

/** A frame the server sends. neiRong/shuiFaDe keep the seed meaning; the rest is additive. */
export interface ServerFrame {
  neiRong: string;
  shuiFaDe: string;
  type: ServerFrameType;
  /** For `message`: who wrote it, so a page can tell own from peer even when names clash. */
  role?: 'kefu' | 'yonghu';
  /** For `system`: what happened, machine-readable (e.g. `agent_assigned`). */
  event?: string;
  /** For `error`: a short code from FrameError. */
  error?: FrameErrorCode;
  /** Server time in ms since the epoch. */
  ts: number;
  /** Stored messages: global id and per-conversation sequence number. */
  id?: number;
  seq?: number;
  /** The sender's client message id, echoed on the ack (and on errors about that frame). */
  cid?: string;
  /** A message sent again on resume. */
  replay?: boolean;
  /** An ack for a resend already stored: not delivered to the peer again. */
  duplicate?: boolean;
  /** Event details (see the README's frame table). */
  conversationId?: string;
  resume?: string;
  position?: number;
  recovered?: boolean;
  lastSeq?: number;
  graceMs?: number;
  peer?: string;
  timeout?: boolean;
}

/** Longest client message id accepted. */
export const MAX_CID_CHARS = 64;

/** A client frame after validation. */
export interface ClientMessage {
  content: string;
  cid?: string;
}

export type ParsedClientFrame = { ok: true; value: ClientMessage } | { ok: false; error: FrameErrorCode; cid?: string };

/** Counts what a person sees as characters (code points), so one emoji is one character. */
function charCount(s: string, max: number): number {
  // Fast path: a UTF-16 length within the limit cannot hold more code points than that.
  if (s.length <= max) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Turns untrusted text from a socket into a typed message or an error code. A client-sent
 * shuiFaDe is ignored: the sender is stamped by the server from the authenticated session.
 */
export function parseClientFrame(text: string, maxChars: number): ParsedClientFrame {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, error: FrameError.BAD_FRAME };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: FrameError.BAD_FRAME };
  const { neiRong: content, cid } = data as { neiRong?: unknown; cid?: unknown };
  if (cid !== undefined && (typeof cid !== 'string' || cid.length === 0 || cid.length > MAX_CID_CHARS)) {
    return { ok: false, error: FrameError.BAD_CID };
  }
  // Errors about a frame carry its cid, so the client knows which message was not accepted.
  const fail = (error: FrameErrorCode): ParsedClientFrame => (cid === undefined ? { ok: false, error } : { ok: false, error, cid });
  if (typeof content !== 'string') return fail(FrameError.BAD_FRAME);
  if (content.trim().length === 0) return fail(FrameError.EMPTY);
  if (charCount(content, maxChars) > maxChars) return fail(FrameError.TOO_LONG);
  return { ok: true, value: cid === undefined ? { content } : { content, cid } };
}
