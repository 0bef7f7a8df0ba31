import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { appendsInCallOrder } from '../../src/store/appendsInCallOrder.js';
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
describeStores('PostgreSQL', async () => appendsInCallOrder(await freshStores()));

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
