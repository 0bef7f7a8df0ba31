import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Stores } from '../stores.js';
import { SqliteBotExchangeStore } from './botExchangeStore.js';
import { SqliteCannedReplyStore } from './cannedReplyStore.js';
import { SqliteConversationStore, type SqliteStoreOptions } from './conversationStore.js';
import { startCheckpoints } from './checkpoints.js';
import { closeSqliteDatabase, openSqliteDatabase } from './database.js';
import { SqliteOfflineMessageStore } from './offlineMessageStore.js';
import { MessageIndex } from './messageIndex.js';
import { SqliteRatingStore } from './ratingStore.js';
import { SqliteTeamStore } from './teamStore.js';

/**
 * The embedded default: every store in one SQLite file (one database, one WAL, one backup),
 * opened and migrated once, its WAL checkpointed from a worker thread (startCheckpoints). The
 * index of the messages (where each sits in its conversation, and the full-text index) sits
 * beside it in FILE-index, written by a thread of its own (MessageIndex): derived data, built
 * again from the messages if it is lost.
 * `file` is a path, or ':memory:' for tests that need no file (the index then goes to a
 * temporary folder), or a database opened with openSqliteDatabase (the account stores share it:
 * sqliteAccountStores).
 */
export function openSqliteStores(file: string | Database.Database, options: SqliteStoreOptions = {}): Stores {
  const db = typeof file === 'string' ? openSqliteDatabase(file) : file;
  const checkpoints = db.memory ? undefined : startCheckpoints(db, db.name);
  const scratch = db.memory ? fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-index-')) : undefined;
  const index = new MessageIndex(
    db,
    scratch === undefined ? messageIndexFile(db.name) : path.join(scratch, 'index'),
    scratch === undefined ? db.name : null,
    options.indexPostMs,
  );
  const conversations = new SqliteConversationStore(db, index, options);
  return {
    conversations,
    team: new SqliteTeamStore(db),
    offlineMessages: new SqliteOfflineMessageStore(db),
    botExchanges: new SqliteBotExchangeStore(db),
    ratings: new SqliteRatingStore(db),
    cannedReplies: new SqliteCannedReplyStore(db),
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      conversations.close();
      await index.stop();
      await checkpoints?.stop();
      closeSqliteDatabase(db);
      if (scratch !== undefined) fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Where the index of the messages of the database in `file` is kept. */
export function messageIndexFile(file: string): string {
  return `${file}-index`;
}
