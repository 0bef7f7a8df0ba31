import { ImageIndex } from '../imageIndex.js';
import type { ImageBytes, ImageRecord, ImageStore, ImageUsage, NewImage } from '../imageStore.js';

/** Images in this process only (STORE=memory): gone on restart, like the messages that refer to them. */
export class MemoryImageStore implements ImageStore {
  private readonly images = new Map<string, { image: ImageRecord; data: Buffer }>();
  private readonly index = new ImageIndex();

  async put(image: NewImage, data: ImageBytes): Promise<ImageRecord> {
    // Kept only once whole: an upload that fails midway was never here.
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(Buffer.from(chunk));
    const bytes = Buffer.concat(chunks);
    const record: ImageRecord = { ...image, bytes: bytes.length };
    this.images.set(image.id, { image: record, data: bytes });
    this.index.add(image.id, { conversationId: image.conversationId, bytes: bytes.length, ts: image.ts, sent: false });
    return { ...record };
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const found = this.images.get(id);
    return found && { ...found.image };
  }

  async read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined> {
    const found = this.images.get(id);
    return found && { image: { ...found.image }, data: found.data };
  }

  async markSent(id: string): Promise<boolean> {
    const image = this.index.get(id);
    if (image) image.sent = true;
    return image !== undefined;
  }

  async usage(conversationId: string): Promise<{ conversation: ImageUsage; total: ImageUsage }> {
    return this.index.usage(conversationId);
  }

  async removeUnsent(before: number, limit: number): Promise<number> {
    const ids = this.index.unsentBefore(before, limit);
    for (const id of ids) this.remove(id);
    return ids.length;
  }

  async conversationsWithImagesBefore(before: number, after: string, limit: number): Promise<string[]> {
    return this.index.conversationsBefore(before, after, limit);
  }

  async removeConversations(ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const conversationId of ids) for (const id of this.index.idsOf(conversationId)) removed += this.remove(id) ? 1 : 0;
    return removed;
  }

  private remove(id: string): boolean {
    this.index.remove(id);
    return this.images.delete(id);
  }

  async close(): Promise<void> {}
}
