import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openPostgresStores } from '../../src/store/postgres/stores.js';
import type { Stores } from '../../src/store/stores.js';
import { TEST_DATABASE_URL } from '../helpers/cluster.js';
import { describeStores } from './storeContracts.js';

const schemas: string[] = [];
async function freshStores(): Promise<Stores> {
  const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return openPostgresStores({ connectionString: TEST_DATABASE_URL, schema });
}

afterAll(async () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

// As the server opens them: with their appends put in call order.
describeStores('PostgreSQL', freshStores);

describe('PostgreSQL store under concurrency', () => {
  it('gives concurrent appends to one conversation seq 1..n with no gaps, and one row per cid', async () => {
    const stores = await freshStores();
    const store = stores.conversations;
    await store.startConversation({ id: 'c', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.appendMessage({ conversationId: 'c', sender: 'b', role: 'yonghu', content: `m${i}`, ts: 2, cid: `cid${i % 30}` }),
      ),
    );
    expect(results.filter((r) => r.duplicate)).toHaveLength(10);
    const seqs = (await store.messagesAfter('c', 0, 100)).map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await stores.close();
  });

  it('gives each conversation seq 1..n in call order when two nodes append at once, to their own conversations and to a shared one', async () => {
    const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const nodes = [
      await openPostgresStores({ connectionString: TEST_DATABASE_URL, schema }),
      await openPostgresStores({ connectionString: TEST_DATABASE_URL, schema }),
    ];
    const conversations = ['own0', 'own1', 'shared'];
    for (const id of conversations) await nodes[0]?.conversations.startConversation({ id, agent: 'a', customer: 'b', startedAt: 1, resumeHash: `h-${id}` });
    const n = 60;
    const sent = nodes.map((node, k) =>
      Promise.all(
        Array.from({ length: n }, (_, i) => [
          node.conversations.appendMessage({ conversationId: `own${k}`, sender: 'b', role: 'yonghu', content: `${k}:${i}`, ts: 2, cid: `o${i}` }),
          node.conversations.appendMessage({ conversationId: 'shared', sender: `node${k}`, role: 'yonghu', content: `${k}:${i}`, ts: 2, cid: `s${i}` }),
        ]).flat(),
      ),
    );
    await Promise.all(sent);
    const read = nodes[0]?.conversations as NonNullable<(typeof nodes)[0]>['conversations'];
    for (const k of [0, 1]) {
      const own = await read.messagesAfter(`own${k}`, 0, 1000);
      expect(own.map((m) => [m.seq, m.content])).toEqual(Array.from({ length: n }, (_, i) => [i + 1, `${k}:${i}`]));
    }
    const shared = await read.messagesAfter('shared', 0, 1000);
    expect(shared.map((m) => m.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
    for (const k of [0, 1]) {
      expect(shared.filter((m) => m.sender === `node${k}`).map((m) => m.content)).toEqual(Array.from({ length: n }, (_, i) => `${k}:${i}`));
    }
    for (const node of nodes) await node.close();
  });

  it('stores the rest of a batch in order when the database refuses one of its messages, which alone fails', async () => {
    const stores = await freshStores();
    const store = stores.conversations;
    await store.startConversation({ id: 'c', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' });
    const message = (content: string, role: string) => ({ conversationId: 'c', sender: 'b', role: role as 'yonghu', content, ts: 2, cid: content });
    // A role outside the table's CHECK: refused by the database for what it holds.
    const settled = await Promise.allSettled([
      store.appendMessage(message('one', 'yonghu')),
      store.appendMessage(message('bad', 'nobody')),
      store.appendMessage(message('two', 'yonghu')),
      store.appendMessage(message('one', 'yonghu')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const values = settled.map((s) => (s.status === 'fulfilled' ? [s.value.message.seq, s.value.duplicate] : null));
    expect(values).toEqual([[1, false], null, [2, false], [1, true]]);
    expect((await store.messagesAfter('c', 0, 10)).map((m) => m.content)).toEqual(['one', 'two']);
    await stores.close();
  });

  it('migrates once when two nodes start at the same time', async () => {
    const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const [a, b] = await Promise.all([
      openPostgresStores({ connectionString: TEST_DATABASE_URL, schema }),
      openPostgresStores({ connectionString: TEST_DATABASE_URL, schema }),
    ]);
    await a.conversations.startConversation({ id: 'x', agent: 'a', customer: 'b', startedAt: 1, resumeHash: 'h' });
    expect(await b.conversations.getConversation('x')).toMatchObject({ agent: 'a' });
    await a.close();
    await b.close();
  });
});
