import type { CannedReply } from './cannedReplyStore.js';
import type { OfflineMessage } from './messageStore.js';

/**
 * Table rows both SQL stores read (the two schemas name their columns alike), and how each
 * becomes the domain's record: one mapping, so SQLite and PostgreSQL cannot drift apart.
 */
export interface OfflineRow {
  id: number;
  name: string;
  contact: string;
  content: string;
  created_at: number;
  handled_at: number | null;
  handled_by: string | null;
}

export const toOfflineMessage = (r: OfflineRow): OfflineMessage => ({
  id: r.id,
  name: r.name,
  contact: r.contact,
  content: r.content,
  createdAt: r.created_at,
  handledAt: r.handled_at,
  handledBy: r.handled_by,
});

export interface CannedRow {
  id: number;
  shortcut: string;
  title: string;
  body: string;
  created_at: number;
  updated_at: number;
}

export const toCannedReply = (r: CannedRow): CannedReply => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
