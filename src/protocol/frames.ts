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
}

/** A client frame after validation. */
export interface ClientMessage {
  content: string;
}

export type ParsedClientFrame = { ok: true; value: ClientMessage } | { ok: false; error: FrameErrorCode };

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
  const content = (data as { neiRong?: unknown }).neiRong;
  if (typeof content !== 'string') return { ok: false, error: FrameError.BAD_FRAME };
  if (content.trim().length === 0) return { ok: false, error: FrameError.EMPTY };
  if (charCount(content, maxChars) > maxChars) return { ok: false, error: FrameError.TOO_LONG };
  return { ok: true, value: { content } };
}
