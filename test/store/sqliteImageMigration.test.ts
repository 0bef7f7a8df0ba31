import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStores } from '../../src/store/sqlite/stores.js';
import { tempDataDir } from '../helpers/server.js';

describe('SQLite migration to image messages', () => {
  it('upgrades a database from before images, keeping its messages (as text, no image)', async () => {
    const file = path.join(tempDataDir(), 'kefu.sqlite');
    const old = new Database(file);
    // The schema as the previous release left it: the first two steps only.
    for (const [i, step] of SQLITE_MIGRATIONS.slice(0, 2).entries()) {
      old.exec(step);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.prepare("INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ('c', 'alice', 'bob', 1, 'h')").run();
    old.prepare("INSERT INTO messages (conversation_id, seq, sender, role, content, ts) VALUES ('c', 1, 'bob', 'yonghu', 'hi', 2)").run();
    old.close();

    const stores = openSqliteStores(file);
    const store = stores.conversations;
    expect(await store.messagesAfter('c', 0, 10)).toMatchObject([{ seq: 1, content: 'hi', image: null }]);
    const image = { id: 'AAAAAAAAAAAAAAAAAAAAAA', mime: 'image/gif' as const, bytes: 43 };
    expect((await store.appendMessage({ conversationId: 'c', sender: 'alice', role: 'kefu', content: '[图片]', ts: 3, image })).message).toMatchObject({
      seq: 2,
      image,
    });
    await stores.close();
  });
});
