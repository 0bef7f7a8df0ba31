import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import { openSqliteStores, messageIndexFile } from '../../../src/store/sqlite/stores.js';
import { ftsTrigrams } from '../../../src/store/textSearch.js';
import { tempDataDir } from '../../helpers/server.js';

const msg = (content: string) => ({ conversationId: 'c', sender: 'bob', role: 'yonghu' as const, content, ts: 2000 });

/** The message ids the full-text index of the database in `file` gives for the trigrams of `text`, as often as it holds them. */
function indexed(file: string, text: string): number[] {
  const db = new Database(messageIndexFile(file), { readonly: true });
  const rows = db.prepare('SELECT rowid FROM message_text WHERE message_text MATCH ? ORDER BY rowid').all(ftsTrigrams(text)) as Array<{ rowid: number }>;
  db.close();
  return rows.map((r) => r.rowid);
}

describe('SQLite full-text index', () => {
  it('indexes on open the text of messages a crash left committed without their entries, each once', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    // Entries wait for a flush no test reaches, as they do between a commit and the next flush.
    const stores = openSqliteStores(file, { indexPostMs: 3_600_000 });
    await stores.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    const first = (await stores.conversations.appendMessage(msg('第一条退款消息'))).message;
    // A search flushes what waits: this message is indexed before the crash, the next is not.
    expect((await stores.conversations.listConversations(10, undefined, { text: '退款消息' })).conversations).toHaveLength(1);
    const second = (await stores.conversations.appendMessage(msg('第二条退款消息'))).message;
    const crashed = path.join(tempDataDir(), 'kefu.sqlite');
    for (const suffix of ['', '-wal', '-index', '-index-wal']) fs.copyFileSync(file + suffix, crashed + suffix);
    await stores.close();
    expect(indexed(crashed, '退款消息')).toEqual([first.id]);

    const reopened = openSqliteStores(crashed);
    const [found] = (await reopened.conversations.listConversations(10, undefined, { text: '退款消息' })).conversations;
    expect(found?.matches?.map((m) => m.id)).toEqual([first.id, second.id]);
    await reopened.close();
    expect(indexed(crashed, '退款消息')).toEqual([first.id, second.id]);
  });

  it('indexes the messages of a database made before it, each once', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const old = new Database(file);
    // The schema before the index left the database file: message_seqs in it, written up to message_index.
    const before = 11;
    for (const [i, step] of SQLITE_MIGRATIONS.slice(0, before).entries()) {
      old.exec(step);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.prepare("INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ('c', 'alice', 'bob', 1, 'h')").run();
    const insert = old.prepare("INSERT INTO messages (conversation_id, seq, sender, role, content, ts) VALUES ('c', ?, 'bob', 'yonghu', ?, 2)");
    const addEntry = old.prepare('INSERT INTO message_seqs (conversation, seq, message) VALUES (1, ?, ?)');
    // Two messages with their index entries written, the third committed after the last flush.
    for (let i = 1; i <= 3; i++) insert.run(i, `旧的发票问题 ${i}`);
    for (let i = 1; i <= 2; i++) addEntry.run(i, i);
    old.prepare('UPDATE message_index SET indexed_through = 2').run();
    old.close();

    const stores = openSqliteStores(file);
    const [found] = (await stores.conversations.listConversations(10, undefined, { text: '发票问题' })).conversations;
    expect(found?.matches?.map((m) => m.seq)).toEqual([1, 2, 3]);
    await stores.close();
    expect(indexed(file, '发票问题')).toEqual([1, 2, 3]);
  });

  it('keeps the index in a file of its own, built again from the messages when that file is lost', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const stores = openSqliteStores(file);
    await stores.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    const ids: number[] = [];
    for (const text of ['快递什么时候到', '我的快递什么情况', 'where is my parcel']) ids.push((await stores.conversations.appendMessage(msg(text))).message.id);
    expect((await stores.conversations.listConversations(10, undefined, { text: '快递什么' })).conversations).toHaveLength(1);
    await stores.close();
    // The store's own file holds messages, not the text index: its writes are another thread's.
    const main = new Database(file, { readonly: true });
    expect(main.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'message_text%'").all()).toEqual([]);
    main.close();
    expect(indexed(file, '快递什么')).toEqual([ids[0], ids[1]]);

    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(messageIndexFile(file) + suffix, { force: true });
    const reopened = openSqliteStores(file);
    const [found] = (await reopened.conversations.listConversations(10, undefined, { text: '快递什么' })).conversations;
    expect(found?.matches?.map((m) => m.id)).toEqual([ids[0], ids[1]]);
    expect((await reopened.conversations.listConversations(10, undefined, { text: 'parcel' })).conversations).toHaveLength(1);
    await reopened.close();
    expect(indexed(file, 'parcel')).toEqual([ids[2]]);
  });
});
