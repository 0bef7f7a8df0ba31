import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeSqliteDatabase, openSqliteDatabase } from '../../../src/store/sqlite/database.js';
import { SearchIndex } from '../../../src/store/sqlite/searchIndex.js';
import { tempDataDir } from '../../helpers/server.js';

describe('SQLite search index thread', () => {
  it('refuses a search it cannot bring up to date, and never moves its watermark past a message it did not index', async () => {
    const dir = tempDataDir();
    const db = openSqliteDatabase(path.join(dir, 'kefu.sqlite'));
    const file = path.join(dir, 'kefu.sqlite-search');
    // The messages to catch up from cannot be opened: every catch-up, and so every write, fails.
    const index = new SearchIndex(db, file, path.join(dir, 'missing', 'kefu.sqlite'), 0);
    index.add(1, 'where is my parcel');
    await expect(index.ready()).rejects.toThrow(/search index: .*(directory|open|exist)/i);
    index.add(2, 'a later message');
    await expect(index.ready()).rejects.toThrow(/search index/);
    await index.stop();
    closeSqliteDatabase(db);
    const written = new Database(file, { readonly: true });
    expect(written.prepare('SELECT indexed_through FROM search_index').pluck().get()).toBe(0);
    expect(written.prepare('SELECT count(*) FROM message_text').pluck().get()).toBe(0);
    written.close();
  });
});
