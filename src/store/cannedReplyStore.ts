import type { CannedReplyInput } from '../protocol/cannedReply.js';

/** One of the agents' shared canned replies. */
export interface CannedReply {
  id: number;
  /** Unique, lower-case, without the leading `/`. */
  shortcut: string;
  title: string;
  body: string;
  createdAt: number;
  updatedAt: number;
}

/** What a create or update did: stored, or refused because another reply has the shortcut. */
export type CannedReplyWrite = { ok: true; reply: CannedReply } | { ok: false; reason: 'shortcut_taken' | 'not_found' };

/**
 * Where the agents' shared canned replies live: a short `/shortcut`, a title and the text the
 * console inserts. The canned replies API reads and writes it directly: no rule of the chat
 * is involved.
 */
export interface CannedReplyStore {
  /** Every reply, ordered by shortcut. */
  listCannedReplies(): Promise<CannedReply[]>;
  createCannedReply(input: CannedReplyInput, now: number): Promise<CannedReplyWrite>;
  /** Replaces the fields given; `not_found` when the id is unknown. */
  updateCannedReply(id: number, patch: Partial<CannedReplyInput>, now: number): Promise<CannedReplyWrite>;
  /** True when a reply was deleted. */
  deleteCannedReply(id: number): Promise<boolean>;
}
