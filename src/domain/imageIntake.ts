import { randomBytes } from 'node:crypto';
import { readImageHeader, type HeaderReading } from '../protocol/imageFormat.js';
import type { ImageBytes, ImageRecord, ImageStore, ImageUsage, NewImage } from '../store/imageStore.js';
import type { ConversationStore } from '../store/conversationStore.js';

/** What an upload is held to. */
export interface ImageLimits {
  /** Largest image, in bytes. */
  maxBytes: number;
  /** Most pixels (width × height) an image's header may claim: what a browser decodes is pixels, not bytes. */
  maxPixels: number;
  /** Most one conversation's images may take (each counted as its bytes plus IMAGE_OVERHEAD_BYTES). */
  conversationQuotaBytes: number;
  /** Most all images together may take, counted the same way. */
  totalQuotaBytes: number;
}

/** The documented defaults (the server sets its own from config); for a broker built without limits. */
export const DEFAULT_IMAGE_LIMITS: ImageLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxPixels: 50_000_000,
  conversationQuotaBytes: 50 * 1024 * 1024,
  totalQuotaBytes: 2 * 1024 * 1024 * 1024,
};

/**
 * What an image costs a quota besides its bytes: its facts (a file or a row) and the smallest
 * block a file system gives any file. Counted so a quota also bounds how many images there are:
 * a flood of 70-byte images fills it like a few large ones, not millions of files.
 */
export const IMAGE_OVERHEAD_BYTES = 4096;

/** Why an upload was not stored; the transport words each for the uploader. */
export type UploadRefusal = 'no_conversation' | 'not_an_image' | 'no_dimensions' | 'too_many_pixels' | 'too_large' | 'conversation_quota' | 'server_quota';

/** Thrown into the store's put when the bytes pass what this upload may take: the store drops what it has. */
class OverLimit extends Error {}

/** How many more bytes one image may bring under each quota. */
interface Room {
  conversation: number;
  server: number;
}

function room(limits: ImageLimits, usage: { conversation: ImageUsage; total: ImageUsage }): Room {
  const charged = (u: ImageUsage): number => u.bytes + u.images * IMAGE_OVERHEAD_BYTES;
  return {
    conversation: limits.conversationQuotaBytes - charged(usage.conversation) - IMAGE_OVERHEAD_BYTES,
    server: limits.totalQuotaBytes - charged(usage.total) - IMAGE_OVERHEAD_BYTES,
  };
}

function iteratorOf(body: ImageBytes): AsyncIterator<Buffer> | Iterator<Buffer> {
  return Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
}

/**
 * Takes an upload in, judging it as early as its bytes allow: the conversation and the quotas
 * before any byte is read; the type, width and height from the first bytes (at most
 * IMAGE_HEADER_MAX_BYTES), before the rest is taken in; then the rest goes to the store as it
 * arrives, cut off the moment it passes the size limit or the room left under a quota. A
 * refusal stops reading: the body's remainder is never asked for.
 */
export class ImageIntake {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly images: ImageStore,
    private readonly limits: ImageLimits,
    private readonly now: () => number,
  ) {}

  /** Stores the image `body` brings into an open conversation, or says why not. */
  async take(conversationId: string, role: 'kefu' | 'yonghu', body: ImageBytes): Promise<ImageRecord | UploadRefusal> {
    const conversation = await this.conversations.getConversation(conversationId);
    if (!conversation || conversation.endedAt !== null) return 'no_conversation';
    const left = room(this.limits, await this.images.usage(conversationId));
    if (left.conversation < 1) return 'conversation_quota';
    if (left.server < 1) return 'server_quota';
    const allowed = Math.min(this.limits.maxBytes, left.conversation, left.server);
    const overLimit = (): UploadRefusal =>
      allowed === this.limits.maxBytes ? 'too_large' : left.conversation <= left.server ? 'conversation_quota' : 'server_quota';

    const bytes = iteratorOf(body);
    try {
      const chunks: Buffer[] = [];
      let head: Buffer = Buffer.alloc(0);
      let ended = false;
      let reading: HeaderReading = { kind: 'more' };
      while (reading.kind === 'more') {
        const next = await bytes.next();
        if (next.done) ended = true;
        else chunks.push(next.value);
        head = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        if (head.length > allowed) return overLimit();
        reading = readImageHeader(head, ended);
      }
      if (reading.kind === 'not_an_image') return 'not_an_image';
      if (reading.kind === 'unsized') return 'no_dimensions';
      if (reading.width * reading.height > this.limits.maxPixels) return 'too_many_pixels';

      const image: NewImage = {
        id: randomBytes(16).toString('base64url'),
        conversationId,
        role,
        mime: reading.mime,
        width: reading.width,
        height: reading.height,
        ts: this.now(),
      };
      let taken = head.length;
      async function* rest(): AsyncGenerator<Buffer> {
        yield head;
        while (!ended) {
          const next = await bytes.next();
          if (next.done) return;
          taken += next.value.length;
          if (taken > allowed) throw new OverLimit();
          yield next.value;
        }
      }
      try {
        return await this.images.put(image, rest());
      } catch (err) {
        if (err instanceof OverLimit) return overLimit();
        throw err;
      }
    } finally {
      // Refused or done: the body is not read any further (the transport decides what becomes of
      // it). A body that already failed may fail again here; its first error is what counts.
      await Promise.resolve(bytes.return?.()).catch(() => undefined);
    }
  }
}
