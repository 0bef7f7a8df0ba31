import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../../../src/store/conversationStore.js';
import { GROUP_COMMIT_MAX_BATCH } from '../../../src/store/sqlite/groupCommit.js';
import { openSqliteStores } from '../../../src/store/sqlite/stores.js';
import { tempDataDir } from '../../helpers/server.js';

const msg = (conversationId: string, content: string, cid: string): NewMessage => ({ conversationId, sender: 'bob', role: 'yonghu', content, ts: 2000, cid });

async function opened(options: { groupCommitWindowMs?: number } = {}) {
  const file = path.join(tempDataDir(), 'kefu.sqlite');
  const stores = openSqliteStores(file, options);
  await stores.conversations.startConversation({ id: 'c', agent: 'alice', customer: 'bob', startedAt: 1, resumeHash: 'h' });
  return { file, stores, store: stores.conversations };
}

describe('SQLite group commit', () => {
  it('rejects every append of a batch whose transaction fails, and stores the same cids afterwards with no gap in seq', async () => {
    const { file, stores, store } = await opened();
    expect((await store.appendMessage(msg('c', 'before', 'b0'))).message.seq).toBe(1);
    // A second connection adds a trigger that fails any transaction holding the marker.
    const other = new Database(file);
    other.exec("CREATE TRIGGER refuse_marker BEFORE INSERT ON messages WHEN NEW.content = 'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END");
    const batch = [msg('c', 'one', 'x1'), msg('c', 'boom', 'x2'), msg('c', 'three', 'x3')];
    const settled = await Promise.allSettled(batch.map((m) => store.appendMessage(m)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.messagesAfter('c', 0, 10)).toHaveLength(1);

    other.exec('DROP TRIGGER refuse_marker');
    other.close();
    const again = await Promise.all(batch.map((m) => store.appendMessage(m)));
    expect(again.map((r) => [r.message.seq, r.message.cid, r.duplicate])).toEqual([
      [2, 'x1', false],
      [3, 'x2', false],
      [4, 'x3', false],
    ]);
    expect((await store.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['before', 'one', 'boom', 'three']);
    await stores.close();
  });

  it('rejects an append to an unknown conversation alone, storing the rest of its batch', async () => {
    const { stores, store } = await opened();
    const settled = await Promise.allSettled([store.appendMessage(msg('c', 'kept', 'k1')), store.appendMessage(msg('nope', 'lost', 'k2'))]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect((await store.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['kept']);
    await stores.close();
  });

  it('commits the appends of one event-loop turn together at the end of that turn, with no timer in between', async () => {
    const { stores, store } = await opened();
    const settled: string[] = [];
    const appends = ['t1', 't2', 't3'].map((cid) => store.appendMessage(msg('c', cid, cid)).then(() => settled.push(cid)));
    // Queued after the store's own end-of-turn callback, in the same check phase: no timer runs in between.
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toEqual(['t1', 't2', 't3']);
    await Promise.all(appends);
    await stores.close();
  });

  it('commits a full batch at once, without waiting for the window to end', async () => {
    // A window no test waits for: only the size bound can commit these.
    const { stores, store } = await opened({ groupCommitWindowMs: 3_600_000 });
    const results = await Promise.all(Array.from({ length: GROUP_COMMIT_MAX_BATCH }, (_, i) => store.appendMessage(msg('c', `m${i}`, `cid${i}`))));
    expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: GROUP_COMMIT_MAX_BATCH }, (_, i) => i + 1));
    await stores.close();
  });

  it('commits what waits when the store closes, before the file is closed', async () => {
    const { file, stores, store } = await opened({ groupCommitWindowMs: 3_600_000 });
    const pending = store.appendMessage(msg('c', 'last words', 'w1'));
    await stores.close();
    expect((await pending).message.seq).toBe(1);
    const reopened = openSqliteStores(file);
    expect((await reopened.conversations.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['last words']);
    await reopened.close();
  });

  it('recognises after a restart the resend of a cid stored before it', async () => {
    const { file, stores, store } = await opened();
    const first = await store.appendMessage(msg('c', 'hello', 'r1'));
    await store.appendMessage(msg('c', 'later', 'r2'));
    await stores.close();
    const reopened = openSqliteStores(file);
    expect(await reopened.conversations.appendMessage(msg('c', 'hello', 'r1'))).toEqual({ message: first.message, duplicate: true });
    expect((await reopened.conversations.appendMessage(msg('c', 'new', 'r3'))).message.seq).toBe(3);
    await reopened.close();
  });
});
