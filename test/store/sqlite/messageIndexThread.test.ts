import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { closeSqliteDatabase, openSqliteDatabase } from '../../../src/store/sqlite/database.js';
import { MessageIndex } from '../../../src/store/sqlite/messageIndex.js';
import type { SqliteWorker } from '../../../src/store/sqlite/sqliteWorker.js';
import { tempDataDir } from '../../helpers/server.js';

function written(file: string): { through: number; seqs: number; texts: number } {
  const db = new Database(file, { readonly: true });
  const n = (sql: string) => db.prepare(sql).pluck().get() as number;
  const out = {
    through: n('SELECT indexed_through FROM index_state'),
    seqs: n('SELECT count(*) FROM message_seqs'),
    texts: n('SELECT count(*) FROM message_text'),
  };
  db.close();
  return out;
}

describe('SQLite message index thread', () => {
  it('refuses a read it cannot bring up to date, never moves its watermark past a message it did not index, and catches up once it can', async () => {
    const dir = tempDataDir();
    const db = openSqliteDatabase(path.join(dir, 'kefu.sqlite'));
    const file = path.join(dir, 'kefu.sqlite-index');
    // The messages to catch up from cannot be opened yet: every catch-up, and so every write, fails.
    const messages = path.join(dir, 'later', 'kefu.sqlite');
    const index = new MessageIndex(db, file, messages, 0);
    index.add(1, 1, 1, 'where is my parcel');
    await expect(index.ready()).rejects.toThrow(/message index: .*(directory|open|exist)/i);
    index.add(1, 2, 2, 'a later message');
    await expect(index.ready()).rejects.toThrow(/message index/);
    expect(written(file)).toEqual({ through: 0, seqs: 0, texts: 0 });

    // The messages can be read now: a read alone (no new message) has the thread catch up.
    const source = openSqliteDatabase(messages);
    source.prepare("INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ('c', 'alice', 'bob', 1, 'h')").run();
    const insert = source.prepare("INSERT INTO messages (conversation_id, seq, sender, role, content, ts) VALUES ('c', ?, 'bob', 'yonghu', ?, 2)");
    insert.run(1, 'where is my parcel');
    insert.run(2, 'a later message');
    closeSqliteDatabase(source);
    await index.ready();
    await index.stop();
    closeSqliteDatabase(db);
    expect(written(file)).toEqual({ through: 2, seqs: 2, texts: 2 });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every read once its thread is gone, rather than leaving them waiting', async () => {
    const dir = tempDataDir();
    const file = path.join(dir, 'kefu.sqlite');
    const db = openSqliteDatabase(file);
    const index = new MessageIndex(db, `${file}-index`, file, 0);
    await index.ready();
    // What a crash of the thread (out of memory, a fault in the driver) leaves.
    const { worker } = (index as unknown as { thread: SqliteWorker }).thread;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await worker.terminate();
    await exited;
    index.add(1, 1, 1, 'where is my parcel');
    await expect(index.ready()).rejects.toThrow(/its thread ended/);
    await expect(index.ready()).rejects.toThrow(/its thread ended/);
    await index.stop();
    closeSqliteDatabase(db);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
