import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteMessageStore } from '../../src/store/sqliteMessageStore.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqliteMigrations.js';
import { tempDataDir } from '../helpers/server.js';
import { describeCannedReplyStore } from './cannedReplyStoreContract.js';
import { describeMessageStore } from './messageStoreContract.js';

describeMessageStore('SQLite', async () => new SqliteMessageStore(path.join(tempDataDir(), 'kefu.sqlite')));
describeCannedReplyStore('SQLite', async () => {
  const messages = new SqliteMessageStore(path.join(tempDataDir(), 'kefu.sqlite'));
  return { store: messages.cannedReplies(), close: () => messages.close() };
});

describe('SQLite file', () => {
  it('runs in WAL mode and records the schema version', async () => {
    const file = path.join(tempDataDir(), 'nested', 'kefu.sqlite');
    const store = new SqliteMessageStore(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    db.close();
  });

  it('reopens an existing file without migrating it again, keeping its data', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const first = new SqliteMessageStore(file);
    await first.startConversation({ id: 'c1', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' });
    await first.close();
    const second = new SqliteMessageStore(file);
    expect(await second.getConversation('c1')).toMatchObject({ agent: 'a', customer: 'b' });
    await second.close();
  });

  it('refuses a database from a newer version instead of corrupting it', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
    db.close();
    expect(() => new SqliteMessageStore(file)).toThrow(/newer/);
  });
});
