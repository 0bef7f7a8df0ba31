import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { FileImageStore } from '../../src/store/fileImageStore.js';
import { MemoryImageStore } from '../../src/store/memoryImageStore.js';
import { PostgresImageStore } from '../../src/store/postgresImageStore.js';
import { PostgresMessageStore } from '../../src/store/postgresMessageStore.js';
import { tempDataDir } from '../helpers/server.js';
import { describeImageStore } from './imageStoreContract.js';

/** The machine's PostgreSQL, as in postgresMessageStore.test.ts (imported from there it would run its tests twice). */
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describeImageStore('memory', async () => new MemoryImageStore());
describeImageStore('filesystem', async () => new FileImageStore(path.join(tempDataDir(), 'images')));

const schemas: string[] = [];
describeImageStore('PostgreSQL', async () => {
  const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  // The images table comes with the message store's migrations.
  await (await PostgresMessageStore.open({ connectionString: TEST_DATABASE_URL, schema })).close();
  return new PostgresImageStore({ connectionString: TEST_DATABASE_URL, schema });
});

afterAll(async () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

describe('filesystem image store', () => {
  it('names files by the image id only, inside its folder', async () => {
    const dir = path.join(tempDataDir(), 'images');
    const store = new FileImageStore(dir);
    const id = randomBytes(16).toString('base64url');
    await store.put({ id, conversationId: 'c', role: 'kefu', mime: 'image/gif', bytes: 1, ts: 1 }, Buffer.from('g'));
    expect(fs.readdirSync(dir).sort()).toEqual([id, `${id}.json`]);
    await expect(store.put({ id: '../evil', conversationId: 'c', role: 'kefu', mime: 'image/gif', bytes: 1, ts: 1 }, Buffer.from('g'))).rejects.toThrow();
  });
});
