import { describe, expect, it } from 'vitest';
import type { CannedReplyStore } from '../../src/store/cannedReplyStore.js';

/** What every CannedReplyStore promises, run against memory, SQLite and PostgreSQL. */
export function describeCannedReplyStore(label: string, make: () => Promise<{ store: CannedReplyStore; close(): Promise<void> }>): void {
  describe(`${label} canned reply store`, () => {
    it('creates replies and lists them by shortcut', async () => {
      const { store, close } = await make();
      const made = await store.createCannedReply({ shortcut: 'thanks', title: 'Thanks', body: '感谢您的耐心' }, 1000);
      await store.createCannedReply({ shortcut: 'hello', title: 'Hello', body: '您好,请问有什么可以帮您?' }, 2000);
      expect(made).toEqual({
        ok: true,
        reply: { id: expect.any(Number), shortcut: 'thanks', title: 'Thanks', body: '感谢您的耐心', createdAt: 1000, updatedAt: 1000 },
      });
      expect((await store.listCannedReplies()).map((r) => r.shortcut)).toEqual(['hello', 'thanks']);
      await close();
    });

    it('refuses a second reply with a shortcut already taken', async () => {
      const { store, close } = await make();
      await store.createCannedReply({ shortcut: 'refund', title: 'a', body: 'a' }, 1);
      expect(await store.createCannedReply({ shortcut: 'refund', title: 'b', body: 'b' }, 2)).toEqual({ ok: false, reason: 'shortcut_taken' });
      expect(await store.listCannedReplies()).toHaveLength(1);
      await close();
    });

    it('updates the fields given, keeps the others, and moves updatedAt', async () => {
      const { store, close } = await make();
      const made = await store.createCannedReply({ shortcut: 'ship', title: 'Shipping', body: 'old' }, 1);
      if (!made.ok) throw new Error('create failed');
      const updated = await store.updateCannedReply(made.reply.id, { body: 'new body' }, 5);
      expect(updated).toEqual({ ok: true, reply: { ...made.reply, body: 'new body', updatedAt: 5 } });
      const renamed = await store.updateCannedReply(made.reply.id, { shortcut: 'shipping', title: '发货' }, 6);
      expect(renamed).toMatchObject({ ok: true, reply: { shortcut: 'shipping', title: '发货', body: 'new body', createdAt: 1 } });
      await close();
    });

    it('refuses to rename onto another reply\u2019s shortcut, but allows keeping its own', async () => {
      const { store, close } = await make();
      await store.createCannedReply({ shortcut: 'a', title: 'a', body: 'a' }, 1);
      const b = await store.createCannedReply({ shortcut: 'b', title: 'b', body: 'b' }, 1);
      if (!b.ok) throw new Error('create failed');
      expect(await store.updateCannedReply(b.reply.id, { shortcut: 'a' }, 2)).toEqual({ ok: false, reason: 'shortcut_taken' });
      expect(await store.updateCannedReply(b.reply.id, { shortcut: 'b', title: 'B' }, 2)).toMatchObject({ ok: true, reply: { shortcut: 'b', title: 'B' } });
      await close();
    });

    it('answers not_found for an unknown id and deletes only what exists', async () => {
      const { store, close } = await make();
      const made = await store.createCannedReply({ shortcut: 'bye', title: 'Bye', body: '再见' }, 1);
      if (!made.ok) throw new Error('create failed');
      expect(await store.updateCannedReply(made.reply.id + 1000, { title: 'x' }, 2)).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.deleteCannedReply(made.reply.id)).toBe(true);
      expect(await store.deleteCannedReply(made.reply.id)).toBe(false);
      expect(await store.listCannedReplies()).toEqual([]);
      // A freed shortcut can be used again.
      expect((await store.createCannedReply({ shortcut: 'bye', title: 'Bye', body: '再见' }, 3)).ok).toBe(true);
      await close();
    });
  });
}
