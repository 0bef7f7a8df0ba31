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

/** A new image's facts before its bytes are in: the store counts them as they arrive. */
export type NewImage = Omit<ImageRecord, 'bytes'>;

/**
 * A new image's bytes, in order, as they arrive (an upload's body). It may throw midway: a limit
 * was passed, or the client went away.
 */
export type ImageBytes = AsyncIterable<Buffer> | Iterable<Buffer>;

/** How many images, and how many bytes of them. */
export interface ImageUsage {
  images: number;
  bytes: number;
}

/**
 * Where image bytes live, apart from messages: a message only refers to an image by id. Async
 * like the other stores; the filesystem implementation is the default, PostgreSQL's is for
 * several nodes (any node must be able to serve an image another node received).
 *
 * An image is "sent" once a stored message refers to it; images never sent are removed after a
 * while, and all of a conversation's once it has ended long enough ago (ImageRetention). Every
 * removal is idempotent, so several nodes may run the clean-up at once.
 */
export interface ImageStore {
  /**
   * Stores a new image under its (random) id from its bytes as they arrive, and resolves with
   * its facts (`bytes` counted here) once it is whole. If `data` throws midway, nothing of the
   * image is left behind (no file, no row) and the error is rethrown.
   */
  put(image: NewImage, data: ImageBytes): Promise<ImageRecord>;
  /** The image's facts, or undefined when there is no such image. */
  get(id: string): Promise<ImageRecord | undefined>;
  /** The image's facts and bytes. */
  read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined>;
  /** Records that a stored message refers to the image; false when there is no such image (any more). */
  markSent(id: string): Promise<boolean>;
  /** What one conversation's images take, and what all images take. */
  usage(conversationId: string): Promise<{ conversation: ImageUsage; total: ImageUsage }>;
  /** Removes up to `limit` images never sent and uploaded before `before`; resolves with how many went. */
  removeUnsent(before: number, limit: number): Promise<number>;
  /** Up to `limit` conversations with an image uploaded before `before`, in id order, ids after `after` only. */
  conversationsWithImagesBefore(before: number, after: string, limit: number): Promise<string[]>;
  /** Removes every image of these conversations; resolves with how many went. */
  removeConversations(ids: readonly string[]): Promise<number>;
  close(): Promise<void>;
}
