import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStores } from '../../src/store/sqlite/stores.js';
import { tempDataDir } from '../helpers/server.js';
import { describeStores } from './storeContracts.js';

describeStores('SQLite', async () => openSqliteStores(path.join(tempDataDir(), 'kefu.sqlite')));

describe('SQLite file', () => {
  it('runs in WAL mode and records the schema version', async () => {
    const file = path.join(tempDataDir(), 'nested', 'kefu.sqlite');
    const stores = openSqliteStores(file);
    await stores.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    db.close();
  });

  it('reopens an existing file without migrating it again, keeping its data', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const first = openSqliteStores(file);
    await first.conversations.startConversation({ id: 'c1', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' });
    await first.close();
    const second = openSqliteStores(file);
    expect(await second.conversations.getConversation('c1')).toMatchObject({ agent: 'a', customer: 'b' });
    await second.close();
  });

  it('refuses a database from a newer version instead of corrupting it', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStores(file)).toThrow(/newer/);
  });
});
