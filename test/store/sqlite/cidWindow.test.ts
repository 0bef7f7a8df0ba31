import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewMessage } from '../../../src/store/conversationStore.js';
import { CID_WINDOW, CidWindow, cidHash } from '../../../src/store/sqlite/cidWindow.js';
import { openSqliteStores } from '../../../src/store/sqlite/stores.js';
import { tempDataDir } from '../../helpers/server.js';

/** Two cids of one sender whose hashes are equal (found by search; checked below). */
const COLLIDING = ['c91294', 'c633740'] as const;

const everyId = (id: number) => id;

describe('CidWindow', () => {
  it('finds the latest CID_WINDOW cids, newest first, across its growth and once it wraps', () => {
    const w = new CidWindow();
    for (let i = 0; i < CID_WINDOW + 44; i++) w.remember('yonghu', 'ana', `k${i}`, 1000 + i);
    expect(w.find('yonghu', 'ana', 'k43', everyId)).toBeUndefined();
    expect(w.find('yonghu', 'ana', 'k44', everyId)).toBe(1044);
    expect(w.find('yonghu', 'ana', `k${CID_WINDOW + 43}`, everyId)).toBe(1000 + CID_WINDOW + 43);
    // One cid is one sender's, in one role.
    expect(w.find('kefu', 'ana', 'k100', everyId)).toBeUndefined();
    expect(w.find('yonghu', 'bob', 'k100', everyId)).toBeUndefined();
  });

  it('asks about every entry whose hash matches, newest first, until one is confirmed', () => {
    expect(cidHash('yonghu', 'ana', COLLIDING[0])).toBe(cidHash('yonghu', 'ana', COLLIDING[1]));
    const w = new CidWindow();
    w.remember('yonghu', 'ana', COLLIDING[0], 1);
    w.remember('yonghu', 'ana', COLLIDING[1], 2);
    const asked: number[] = [];
    const confirmFirst = (id: number) => {
      asked.push(id);
      return id === 1 ? id : undefined;
    };
    expect(w.find('yonghu', 'ana', COLLIDING[0], confirmFirst)).toBe(1);
    expect(asked).toEqual([2, 1]);
  });
});

describe('SQLite resends through the cid window', () => {
  const msg = (cid: string, content = cid): NewMessage => ({ conversationId: 'c', sender: 'ana', role: 'yonghu', content, ts: 2000, cid });

  async function opened() {
    const stores = openSqliteStores(path.join(tempDataDir(), 'kefu.sqlite'));
    await stores.conversations.startConversation({ id: 'c', agent: 'sam', customer: 'ana', startedAt: 1, resumeHash: 'h' });
    return stores;
  }

  it('stores a new cid whose hash matches a stored one, and still recognises each resend', async () => {
    const stores = await opened();
    const store = stores.conversations;
    const first = await store.appendMessage(msg(COLLIDING[0], 'first'));
    const second = await store.appendMessage(msg(COLLIDING[1], 'second'));
    expect([first.duplicate, second.duplicate, second.message.seq]).toEqual([false, false, 2]);
    expect(await store.appendMessage(msg(COLLIDING[0], 'first'))).toEqual({ message: first.message, duplicate: true });
    expect(await store.appendMessage(msg(COLLIDING[1], 'second'))).toEqual({ message: second.message, duplicate: true });
    expect((await store.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['first', 'second']);
    await stores.close();
  });

  it("recognises a resend among the conversation's latest CID_WINDOW cids, and stores an older one afresh", async () => {
    const stores = await opened();
    const store = stores.conversations;
    await Promise.all(Array.from({ length: CID_WINDOW + 1 }, (_, i) => store.appendMessage(msg(`k${i}`))));
    expect((await store.appendMessage(msg('k1'))).duplicate).toBe(true);
    const oldest = await store.appendMessage(msg('k0'));
    expect([oldest.duplicate, oldest.message.seq]).toEqual([false, CID_WINDOW + 2]);
    await stores.close();
  });
});
