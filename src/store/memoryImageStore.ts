import type { ImageRecord, ImageStore } from './imageStore.js';

/** Images in this process only (STORE=memory): gone on restart, like the messages that refer to them. */
export class MemoryImageStore implements ImageStore {
  private readonly images = new Map<string, { image: ImageRecord; data: Buffer }>();

  async put(image: ImageRecord, data: Buffer): Promise<void> {
    this.images.set(image.id, { image: { ...image }, data: Buffer.from(data) });
  }

  async get(id: string): Promise<ImageRecord | undefined> {
    const found = this.images.get(id);
    return found && { ...found.image };
  }

  async read(id: string): Promise<{ image: ImageRecord; data: Buffer } | undefined> {
    const found = this.images.get(id);
    return found && { image: { ...found.image }, data: found.data };
  }

  async close(): Promise<void> {}
}
