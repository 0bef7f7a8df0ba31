import type pg from 'pg';
import type { BotExchange } from '../../protocol/botExchange.js';
import type { BotExchangeStore } from '../botExchangeStore.js';

/** Bot exchanges in the PostgreSQL database every node shares (openPostgresStores). */
export class PostgresBotExchangeStore implements BotExchangeStore {
  constructor(private readonly pool: pg.Pool) {}

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    await this.pool.query('INSERT INTO bot_exchanges (conversation_id, question, answer, matched, ts) VALUES ($1, $2, $3, $4, $5)', [
      conversationId,
      e.question,
      e.answer,
      e.matched,
      e.ts,
    ]);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    const { rows } = await this.pool.query<BotExchange>(
      'SELECT question, answer, matched, ts FROM bot_exchanges WHERE conversation_id = $1 ORDER BY id DESC LIMIT $2',
      [conversationId, limit],
    );
    return rows.reverse();
  }
}
