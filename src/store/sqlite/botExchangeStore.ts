import type Database from 'better-sqlite3';
import type { BotExchange } from '../../protocol/botExchange.js';
import type { BotExchangeStore } from '../botExchangeStore.js';

/** Bot exchanges in the embedded SQLite file (openSqliteStores). */
export class SqliteBotExchangeStore implements BotExchangeStore {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      append: db.prepare('INSERT INTO bot_exchanges (conversation_id, question, answer, matched, ts) VALUES (?, ?, ?, ?, ?)'),
      latest: db.prepare('SELECT question, answer, matched, ts FROM bot_exchanges WHERE conversation_id = ? ORDER BY id DESC LIMIT ?'),
    };
  }

  async appendBotExchange(conversationId: string, e: BotExchange): Promise<void> {
    this.stmts.append.run(conversationId, e.question, e.answer, e.matched ? 1 : 0, e.ts);
  }

  async botExchanges(conversationId: string, limit: number): Promise<BotExchange[]> {
    const rows = this.stmts.latest.all(conversationId, limit) as Array<{ question: string; answer: string; matched: number; ts: number }>;
    return rows.map((r) => ({ question: r.question, answer: r.answer, matched: r.matched === 1, ts: r.ts })).reverse();
  }
}
