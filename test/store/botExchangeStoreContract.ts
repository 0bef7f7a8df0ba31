import { describe, expect, it } from 'vitest';
import type { Stores } from '../../src/store/stores.js';

/**
 * What every BotExchangeStore promises (what waiting customers asked the bot), run against memory,
 * SQLite and PostgreSQL so they cannot drift apart. `make` opens a fresh set of stores; each test
 * closes it.
 */
export function describeBotExchangeStore(label: string, make: () => Promise<Stores>): void {
  describe(`${label} bot exchange store`, () => {
    it('keeps bot exchanges per conversation, before the conversation exists, and returns the latest oldest first', async () => {
      const stores = await make();
      for (let i = 1; i <= 4; i++) await stores.botExchanges.appendBotExchange('future', { question: `q${i}`, answer: `a${i}`, matched: i % 2 === 0, ts: i });
      await stores.botExchanges.appendBotExchange('other', { question: 'x', answer: 'y', matched: true, ts: 9 });
      expect(await stores.botExchanges.botExchanges('future', 3)).toEqual([
        { question: 'q2', answer: 'a2', matched: true, ts: 2 },
        { question: 'q3', answer: 'a3', matched: false, ts: 3 },
        { question: 'q4', answer: 'a4', matched: true, ts: 4 },
      ]);
      expect(await stores.botExchanges.botExchanges('none', 3)).toEqual([]);
      await stores.close();
    });
  });
}
