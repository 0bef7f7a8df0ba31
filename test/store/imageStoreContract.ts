import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageRecord, ImageStore } from '../../src/store/imageStore.js';

const newId = (): string => randomBytes(16).toString('base64url');

/** What every ImageStore promises, run against each implementation. */
export function describeImageStore(label: string, make: () => Promise<ImageStore>): void {
  describe(`${label} image store`, () => {
    const record = (over: Partial<ImageRecord> = {}): ImageRecord => ({
      id: newId(),
      conversationId: 'conv-1',
      role: 'yonghu',
      mime: 'image/png',
      bytes: 5,
      width: 3,
      height: 2,
      ts: 1000,
      ...over,
    });

    it('gives back the stored facts and the exact bytes', async () => {
      const store = await make();
      const image = record();
      const data = Buffer.from([0, 1, 2, 255, 10]);
      await store.put(image, data);
      expect(await store.get(image.id)).toEqual(image);
      const read = await store.read(image.id);
      expect(read?.image).toEqual(image);
      expect(Buffer.compare(read?.data ?? Buffer.alloc(0), data)).toBe(0);
      await store.close();
    });

    it('keeps an image without dimensions as such', async () => {
      const store = await make();
      const { width: _w, height: _h, ...image } = record({ mime: 'image/jpeg' });
      await store.put(image, Buffer.from('x'));
      expect(await store.get(image.id)).toEqual(image);
      await store.close();
    });

    it('answers undefined for an unknown id, and for ids that are not ours (no path tricks)', async () => {
      const store = await make();
      for (const id of [newId(), '../../etc/passwd', '', 'x'.repeat(200)]) {
        expect(await store.get(id)).toBeUndefined();
        expect(await store.read(id)).toBeUndefined();
      }
      await store.close();
    });
  });
}
