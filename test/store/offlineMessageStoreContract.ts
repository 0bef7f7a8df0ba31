import { describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every OfflineMessageStore promises (messages left while no agent was online), run against
 * memory, SQLite and PostgreSQL so they cannot drift apart. `make` opens a fresh set of stores;
 * each test closes it.
 */
export function describeOfflineMessageStore(label: string, make: () => Promise<Stores>): void {
  describe(`${label} offline message store`, () => {
    it('keeps offline messages, newest first and paged, open ones apart from handled ones', async () => {
      const stores = await make();
      const added = [];
      for (let i = 1; i <= 3; i++)
        added.push(await stores.offlineMessages.addOfflineMessage({ name: `c${i}`, contact: `c${i}@example.com`, content: `m${i}`, createdAt: i }));
      expect(added[0]).toEqual({
        id: expect.any(Number),
        name: 'c1',
        contact: 'c1@example.com',
        content: 'm1',
        createdAt: 1,
        handledAt: null,
        handledBy: null,
      });
      const p1 = await stores.offlineMessages.listOfflineMessages(2);
      expect(p1.messages.map((m) => m.content)).toEqual(['m3', 'm2']);
      const p2 = await stores.offlineMessages.listOfflineMessages(2, { before: p1.nextBefore ?? undefined });
      expect(p2).toMatchObject({ messages: [{ content: 'm1' }], nextBefore: null });
      const handled = await stores.offlineMessages.markOfflineMessageHandled(added[1]?.id as number, 'alice', 10);
      expect(handled).toMatchObject({ content: 'm2', handledAt: 10, handledBy: 'alice' });
      expect((await stores.offlineMessages.listOfflineMessages(10, { openOnly: true })).messages.map((m) => m.content)).toEqual(['m3', 'm1']);
      expect((await stores.offlineMessages.listOfflineMessages(10)).messages).toHaveLength(3);
      await stores.close();
    });

    it('keeps the first agent who marked an offline message handled, and knows no unknown id', async () => {
      const stores = await make();
      const m = await stores.offlineMessages.addOfflineMessage({ name: 'c', contact: '13800138000', content: 'call me', createdAt: 1 });
      await stores.offlineMessages.markOfflineMessageHandled(m.id, 'alice', 10);
      expect(await stores.offlineMessages.markOfflineMessageHandled(m.id, 'dave', 20)).toMatchObject({ handledAt: 10, handledBy: 'alice' });
      expect(await stores.offlineMessages.markOfflineMessageHandled(m.id + 1000, 'dave', 20)).toBeUndefined();
      await stores.close();
    });
  });
}
