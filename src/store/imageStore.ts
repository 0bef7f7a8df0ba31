import type { ImageMime } from '../protocol/imageFormat.js';

/** An uploaded image's facts, without its bytes. */
export interface ImageRecord {
  id: string;
  /** The conversation it was uploaded into: only its two people (and agents) may see it. */
  conversationId: string;
  /** Who uploaded it. */
  role: 'kefu' | 'yonghu';
  mime: ImageMime;
  bytes: number;
  width?: number;
  height?: number;
  /** Upload time, ms since the epoch. */
  ts: number;
}

/**
 * Where image bytes live, apart from messages: a message only refers to an image by id. Async
 * like MessageStore; the filesystem implementation is the default, PostgreSQL's is for several
 * nodes (any node must be able to serve an image another node received).
 */
export interface ImageStore {
  /** Stores a new image under its (random) id. */
  put(image: ImageRecord, data: Buffer): Promise<void>;
  /** The image's facts, or undefined when there is no such image. */
  get(id: string): Promise<ImageRecord | undefined>;
  /** The image's facts and bytes. */
  read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined>;
  close(): Promise<void>;
}
