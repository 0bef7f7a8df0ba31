import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import { openSqliteStores } from '../../../src/store/sqlite/stores.js';
import { tempDataDir } from '../../helpers/server.js';

const msg = (content: string, cid: string) => ({ conversationId: 'c', sender: 'bob', role: 'yonghu' as const, content, ts: 2000, cid });

describe('SQLite message index', () => {
  it('indexes on open the messages a crash left committed without their index entries', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    // Entries wait for a flush no test reaches, as they do between a commit and the next flush.
    const stores = openSqliteStores(file, { indexFlushMs: 3_600_000 });
    await stores.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    const acked = [];
    for (let i = 1; i <= 5; i++) acked.push((await stores.conversations.appendMessage(msg(`m${i}`, `k${i}`))).message);
    // What a SIGKILL leaves: the database file and its WAL as they are now (committed transactions only).
    const crashed = path.join(tempDataDir(), 'kefu.sqlite');
    for (const suffix of ['', '-wal']) fs.copyFileSync(file + suffix, crashed + suffix);
    await stores.close();
    const raw = new Database(crashed, { readonly: true });
    expect((raw.prepare('SELECT count(*) AS n FROM message_seqs').get() as { n: number }).n).toBe(0);
    raw.close();

    const reopened = openSqliteStores(crashed);
    expect(await reopened.conversations.messagesAfter('c', 0, 10)).toEqual(acked);
    expect((await reopened.conversations.getConversation('c'))?.messageCount).toBe(5);
    // The resend of an acked message is recognised, and the next message follows it.
    expect(await reopened.conversations.appendMessage(msg('m5', 'k5'))).toEqual({ message: acked[4], duplicate: true });
    expect((await reopened.conversations.appendMessage(msg('m6', 'k6'))).message.seq).toBe(6);
    await reopened.close();
  });

  it('migrates messages stored before it: same ids and seqs, and new ones after them', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const old = new Database(file);
    // The schema as 0.5.0 left it: the first seven steps.
    for (const [i, step] of SQLITE_MIGRATIONS.slice(0, 7).entries()) {
      old.exec(step);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.prepare("INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ('c', 'alice', 'bob', 1, 'h')").run();
    const insert = old.prepare("INSERT INTO messages (conversation_id, seq, sender, role, content, ts, client_id) VALUES ('c', ?, 'bob', 'yonghu', ?, 2, ?)");
    for (let i = 1; i <= 3; i++) insert.run(i, `old${i}`, `o${i}`);
    // The last message was deleted: AUTOINCREMENT must not hand its id out again.
    old.prepare('DELETE FROM messages WHERE seq = 3').run();
    old.close();

    const stores = openSqliteStores(file);
    expect((await stores.conversations.messagesAfter('c', 0, 10)).map((m) => [m.id, m.seq, m.content, m.cid])).toEqual([
      [1, 1, 'old1', 'o1'],
      [2, 2, 'old2', 'o2'],
    ]);
    expect((await stores.conversations.appendMessage(msg('old2', 'o2'))).duplicate).toBe(true);
    expect((await stores.conversations.appendMessage(msg('new', 'n1'))).message).toMatchObject({ id: 4, seq: 3 });
    await stores.close();
  });
});
