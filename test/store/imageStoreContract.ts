import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ImageStore, NewImage } from '../../src/store/imageStore.js';

const newId = (): string => randomBytes(16).toString('base64url');

/** Bytes that arrive in chunks, then fail: an upload cut off midway. */
async function* cutOff(chunks: Buffer[], error: Error): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
  throw error;
}

async function* arriving(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const chunk of chunks) yield chunk;
}

/** What every ImageStore promises, run against each implementation. */
export function describeImageStore(label: string, make: () => Promise<ImageStore>): void {
  describe(`${label} image store`, () => {
    const record = (over: Partial<NewImage> = {}): NewImage => ({
      id: newId(),
      conversationId: 'conv-1',
      role: 'yonghu',
      mime: 'image/png',
      width: 3,
      height: 2,
      ts: 1000,
      ...over,
    });

    it('gives back the stored facts and the exact bytes', async () => {
      const store = await make();
      const image = record();
      const data = Buffer.from([0, 1, 2, 255, 10]);
      expect(await store.put(image, [data])).toEqual({ ...image, bytes: 5 });
      expect(await store.get(image.id)).toEqual({ ...image, bytes: 5 });
      const read = await store.read(image.id);
      expect(read?.image).toEqual({ ...image, bytes: 5 });
      expect(Buffer.compare(read?.data ?? Buffer.alloc(0), data)).toBe(0);
      await store.close();
    });

    it('counts and keeps the bytes of an image that arrives in chunks', async () => {
      const store = await make();
      const image = record();
      const chunks = [Buffer.from('abc'), Buffer.alloc(70_000, 7), Buffer.from('z')];
      expect((await store.put(image, arriving(chunks))).bytes).toBe(70_004);
      expect(Buffer.compare((await store.read(image.id))?.data ?? Buffer.alloc(0), Buffer.concat(chunks))).toBe(0);
      await store.close();
    });

    it('keeps an image without dimensions as such', async () => {
      const store = await make();
      const { width: _w, height: _h, ...image } = record({ mime: 'image/jpeg' });
      await store.put(image, [Buffer.from('x')]);
      expect(await store.get(image.id)).toEqual({ ...image, bytes: 1 });
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

    it('keeps nothing of an image whose bytes fail midway, and passes the error on', async () => {
      const store = await make();
      const image = record();
      const failure = new Error('cut off');
      await expect(store.put(image, cutOff([Buffer.alloc(1000, 1), Buffer.alloc(1000, 2)], failure))).rejects.toBe(failure);
      expect(await store.get(image.id)).toBeUndefined();
      expect(await store.usage(image.conversationId)).toEqual({ conversation: { images: 0, bytes: 0 }, total: { images: 0, bytes: 0 } });
      await store.close();
    });

    it('tells what a conversation\u2019s images and all images take', async () => {
      const store = await make();
      await store.put(record({ conversationId: 'a' }), [Buffer.alloc(10)]);
      await store.put(record({ conversationId: 'a' }), [Buffer.alloc(20)]);
      await store.put(record({ conversationId: 'b' }), [Buffer.alloc(5)]);
      expect(await store.usage('a')).toEqual({ conversation: { images: 2, bytes: 30 }, total: { images: 3, bytes: 35 } });
      expect(await store.usage('none')).toEqual({ conversation: { images: 0, bytes: 0 }, total: { images: 3, bytes: 35 } });
      await store.removeConversations(['a']);
      expect(await store.usage('b')).toEqual({ conversation: { images: 1, bytes: 5 }, total: { images: 1, bytes: 5 } });
      await store.close();
    });

    it('marks an image sent, and says false for an image it does not have', async () => {
      const store = await make();
      const image = record();
      await store.put(image, [Buffer.from('x')]);
      expect(await store.markSent(image.id)).toBe(true);
      expect(await store.markSent(image.id)).toBe(true);
      expect(await store.markSent(newId())).toBe(false);
      await store.close();
    });

    it('removes images never sent that were uploaded before a time, at most a batch at once, and keeps sent ones', async () => {
      const store = await make();
      const old = [record({ ts: 100 }), record({ ts: 200 }), record({ ts: 300 })];
      const sent = record({ ts: 100 });
      const recent = record({ ts: 1000 });
      for (const image of [...old, sent, recent]) await store.put(image, [Buffer.from('x')]);
      await store.markSent(sent.id);
      expect(await store.removeUnsent(500, 2)).toBe(2);
      expect(await store.removeUnsent(500, 2)).toBe(1);
      expect(await store.removeUnsent(500, 2)).toBe(0);
      for (const image of old) expect(await store.get(image.id)).toBeUndefined();
      expect(await store.get(sent.id)).toBeDefined();
      expect(await store.get(recent.id)).toBeDefined();
      expect(await store.markSent(old[0]?.id as string)).toBe(false);
      await store.close();
    });

    it('removes each image once when two clean-ups run at once (as on two nodes)', async () => {
      const store = await make();
      for (let i = 0; i < 20; i++) await store.put(record({ ts: i }), [Buffer.from('x')]);
      const removed = await Promise.all([store.removeUnsent(100, 50), store.removeUnsent(100, 50)]);
      expect(removed[0] + removed[1]).toBe(20);
      expect((await store.usage('conv-1')).total).toEqual({ images: 0, bytes: 0 });
      await store.close();
    });

    it('lists the conversations with an image uploaded before a time, in id order after a cursor, limited', async () => {
      const store = await make();
      for (const [conversationId, ts] of [
        ['c3', 10],
        ['c1', 10],
        ['c2', 10],
        ['c2', 20],
        ['late', 900],
      ] as const) {
        await store.put(record({ conversationId, ts }), [Buffer.from('x')]);
      }
      expect(await store.conversationsWithImagesBefore(500, '', 2)).toEqual(['c1', 'c2']);
      expect(await store.conversationsWithImagesBefore(500, 'c2', 2)).toEqual(['c3']);
      expect(await store.conversationsWithImagesBefore(5, '', 10)).toEqual([]);
      await store.close();
    });

    it('removes every image of the conversations named, sent or not, and no other', async () => {
      const store = await make();
      const gone = [record({ conversationId: 'x' }), record({ conversationId: 'x' }), record({ conversationId: 'y' })];
      const kept = record({ conversationId: 'z' });
      for (const image of [...gone, kept]) await store.put(image, [Buffer.from('x')]);
      await store.markSent(gone[0]?.id as string);
      expect(await store.removeConversations(['x', 'y'])).toBe(3);
      for (const image of gone) expect(await store.read(image.id)).toBeUndefined();
      expect(await store.get(kept.id)).toBeDefined();
      expect(await store.removeConversations(['x'])).toBe(0);
      await store.close();
    });
  });
}
