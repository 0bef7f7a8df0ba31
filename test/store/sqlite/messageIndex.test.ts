import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../../src/store/sqlite/migrations.js';
import { messageIndexFile, openSqliteStores } from '../../../src/store/sqlite/stores.js';
import { tempDataDir } from '../../helpers/server.js';

const msg = (content: string, cid: string, conversationId = 'c') => ({ conversationId, sender: 'bob', role: 'yonghu' as const, content, ts: 2000, cid });

/** Copies the files a SIGKILL leaves of the database in `file` (committed transactions only) to a new folder. */
function crashCopy(file: string): string {
  const crashed = path.join(tempDataDir(), 'kefu.sqlite');
  for (const suffix of ['', '-wal', '-index', '-index-wal']) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, crashed + suffix);
  return crashed;
}

const countSeqs = (file: string): number => {
  const db = new Database(messageIndexFile(file), { readonly: true });
  const n = db.prepare('SELECT count(*) FROM message_seqs').pluck().get() as number;
  db.close();
  return n;
};

describe('SQLite message index', () => {
  it('indexes on open the messages a crash left committed without their index entries', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    // Entries wait for a post no test reaches, as they do between a commit and the next post.
    const stores = openSqliteStores(file, { indexPostMs: 3_600_000 });
    await stores.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    const acked = [];
    for (let i = 1; i <= 5; i++) acked.push((await stores.conversations.appendMessage(msg(`m${i}`, `k${i}`))).message);
    const crashed = crashCopy(file);
    await stores.close();
    expect(countSeqs(crashed)).toBe(0);

    const reopened = openSqliteStores(crashed);
    expect(await reopened.conversations.messagesAfter('c', 0, 10)).toEqual(acked);
    expect((await reopened.conversations.getConversation('c'))?.messageCount).toBe(5);
    // The resend of an acked message is recognised, and the next message follows it.
    expect(await reopened.conversations.appendMessage(msg('m5', 'k5'))).toEqual({ message: acked[4], duplicate: true });
    expect((await reopened.conversations.appendMessage(msg('m6', 'k6'))).message.seq).toBe(6);
    await reopened.close();
    expect(countSeqs(crashed)).toBe(6);
  });

  it('reads a tail not in memory before the appends made meanwhile, and keeps their order', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const stores = openSqliteStores(file, { indexPostMs: 3_600_000 });
    for (const id of ['c', 'd']) await stores.conversations.startConversation({ id, agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: id });
    const first = (await stores.conversations.appendMessage(msg('m1', 'k1'))).message;
    await stores.conversations.appendMessage(msg('d1', 'k1', 'd'));
    const crashed = crashCopy(file);
    await stores.close();

    // After a restart no tail is in memory: all of these are made in one turn, while it is read.
    const reopened = openSqliteStores(crashed);
    const results = await Promise.all([
      reopened.conversations.appendMessage(msg('m2', 'k2')),
      reopened.conversations.appendMessage(msg('m1', 'k1')),
      reopened.conversations.appendMessage(msg('d2', 'k2', 'd')),
      reopened.conversations.appendMessage(msg('m3', 'k3')),
      reopened.conversations.appendMessage(msg('m2', 'k2')),
      reopened.conversations.appendMessage(msg('nowhere', 'k1', 'unknown')).catch((err: Error) => err.message),
    ]);
    const [m2, m1, d2, m3, m2again, unknown] = results;
    expect([m2, m3, d2].map((r) => typeof r === 'object' && [r.message.conversationId, r.message.seq, r.duplicate])).toEqual([
      ['c', 2, false],
      ['c', 3, false],
      ['d', 2, false],
    ]);
    expect(m1).toEqual({ message: first, duplicate: true });
    expect(m2again).toEqual({ message: typeof m2 === 'object' && m2.message, duplicate: true });
    expect(unknown).toMatch(/no conversation unknown/);
    expect((await reopened.conversations.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['m1', 'm2', 'm3']);
    await reopened.close();
  });

  it('builds the index again when its file is another database’s', async () => {
    const other = path.join(tempDataDir(), 'kefu.sqlite');
    const before = openSqliteStores(other);
    await before.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    for (let i = 1; i <= 4; i++) await before.conversations.appendMessage(msg(`old parcel ${i}`, `o${i}`));
    await before.close();

    // A database made afresh beside the index file the old one left.
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const fresh = openSqliteStores(file);
    await fresh.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
    await fresh.conversations.appendMessage(msg('new invoice', 'n1'));
    await fresh.close();
    fs.copyFileSync(messageIndexFile(other), messageIndexFile(file));

    const reopened = openSqliteStores(file);
    expect((await reopened.conversations.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['new invoice']);
    expect((await reopened.conversations.getConversation('c'))?.messageCount).toBe(1);
    expect((await reopened.conversations.listConversations(10, undefined, { text: 'parcel' })).conversations).toEqual([]);
    expect((await reopened.conversations.listConversations(10, undefined, { text: 'invoice' })).conversations).toHaveLength(1);
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
