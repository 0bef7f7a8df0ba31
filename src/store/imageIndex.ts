import type { ImageUsage } from './imageStore.js';

/** What the clean-up and the quotas need to know of one image. */
export interface IndexedImage {
  conversationId: string;
  bytes: number;
  /** Upload time, ms since the epoch. */
  ts: number;
  sent: boolean;
}

interface ConversationImages {
  ids: Set<string>;
  bytes: number;
  /** The earliest upload time seen: it may stay earlier than what is left, which only makes the clean-up look sooner. */
  firstTs: number;
}

/**
 * The images a single process holds (the in-memory and filesystem stores), kept so that quota
 * checks and the clean-up's questions cost a map lookup or one pass over the images, never a
 * read of every file.
 */
export class ImageIndex {
  private readonly images = new Map<string, IndexedImage>();
  private readonly conversations = new Map<string, ConversationImages>();
  private readonly total: ImageUsage = { images: 0, bytes: 0 };

  add(id: string, image: IndexedImage): void {
    this.remove(id);
    this.images.set(id, { ...image });
    let c = this.conversations.get(image.conversationId);
    if (!c) {
      c = { ids: new Set(), bytes: 0, firstTs: image.ts };
      this.conversations.set(image.conversationId, c);
    }
    c.ids.add(id);
    c.bytes += image.bytes;
    c.firstTs = Math.min(c.firstTs, image.ts);
    this.total.images++;
    this.total.bytes += image.bytes;
  }

  /** Forgets an image; what it was, or undefined when it was not here. */
  remove(id: string): IndexedImage | undefined {
    const image = this.images.get(id);
    if (!image) return undefined;
    this.images.delete(id);
    const c = this.conversations.get(image.conversationId);
    if (c) {
      c.ids.delete(id);
      c.bytes -= image.bytes;
      if (c.ids.size === 0) this.conversations.delete(image.conversationId);
    }
    this.total.images--;
    this.total.bytes -= image.bytes;
    return image;
  }

  get(id: string): IndexedImage | undefined {
    return this.images.get(id);
  }

  usage(conversationId: string): { conversation: ImageUsage; total: ImageUsage } {
    const c = this.conversations.get(conversationId);
    return { conversation: { images: c?.ids.size ?? 0, bytes: c?.bytes ?? 0 }, total: { ...this.total } };
  }

  /** Up to `limit` images never sent and uploaded before `before`. */
  unsentBefore(before: number, limit: number): string[] {
    const ids: string[] = [];
    for (const [id, image] of this.images) {
      if (ids.length >= limit) break;
      if (!image.sent && image.ts < before) ids.push(id);
    }
    return ids;
  }

  /** Up to `limit` conversations with an image uploaded before `before`, in id order after `after`. */
  conversationsBefore(before: number, after: string, limit: number): string[] {
    const ids: string[] = [];
    for (const [id, c] of this.conversations) if (c.firstTs < before && id > after) ids.push(id);
    return ids.sort().slice(0, limit);
  }

  /** The ids of a conversation's images. */
  idsOf(conversationId: string): string[] {
    return [...(this.conversations.get(conversationId)?.ids ?? [])];
  }
}
