import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { MemoryImageStore } from '../../src/store/memory/imageStore.js';
import { PostgresImageStore } from '../../src/store/postgres/imageStore.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { openPostgresStores } from '../../src/store/postgres/stores.js';
import { FileImageStore } from '../../src/store/sqlite/fileImageStore.js';
import { TEST_DATABASE_URL } from '../helpers/cluster.js';
import { tempDataDir } from '../helpers/server.js';
import { describeImageStore } from './imageStoreContract.js';

const newImageId = (): string => randomBytes(16).toString('base64url');

describeImageStore('memory', async () => new MemoryImageStore());
describeImageStore('filesystem', async () => FileImageStore.open(path.join(tempDataDir(), 'images')));

const schemas: string[] = [];
describeImageStore('PostgreSQL', async () => {
  const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  // The images table comes with the stores' migrations.
  await (await openPostgresStores({ connectionString: TEST_DATABASE_URL, schema })).close();
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
    await store.put({ id, conversationId: 'c', role: 'kefu', mime: 'image/gif', ts: 1 }, [Buffer.from('g')]);
    expect(fs.readdirSync(dir).sort()).toEqual([id, `${id}.json`]);
    await expect(store.put({ id: '../evil', conversationId: 'c', role: 'kefu', mime: 'image/gif', ts: 1 }, [Buffer.from('g')])).rejects.toThrow();
  });

  it('leaves no file behind, not even a temp file, when the bytes fail midway', async () => {
    const dir = path.join(tempDataDir(), 'images');
    const store = await FileImageStore.open(dir);
    async function* cutOff(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(64 * 1024, 1);
      // The temp file exists while the upload is under way.
      expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(1);
      throw new Error('client gone');
    }
    await expect(store.put({ id: newImageId(), conversationId: 'c', role: 'kefu', mime: 'image/png', ts: 1 }, cutOff())).rejects.toThrow('client gone');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('picks up the images a previous run left, sent or not, and removes what a run stopped midway left', async () => {
    const dir = path.join(tempDataDir(), 'images');
    const before = await FileImageStore.open(dir);
    const [sent, unsent] = [newImageId(), newImageId()];
    for (const id of [sent, unsent]) await before.put({ id, conversationId: 'c', role: 'yonghu', mime: 'image/png', ts: 1 }, [Buffer.alloc(100)]);
    await before.markSent(sent);
    // What a process killed mid-upload leaves: a temp file, and bytes whose facts never landed.
    const orphan = newImageId();
    fs.writeFileSync(path.join(dir, `${orphan}.0a1b2c3d.tmp`), 'partial');
    fs.writeFileSync(path.join(dir, orphan), 'bytes without facts');

    const after = await FileImageStore.open(dir);
    expect(await after.usage('c')).toEqual({ conversation: { images: 2, bytes: 200 }, total: { images: 2, bytes: 200 } });
    expect(fs.readdirSync(dir).sort()).toEqual([sent, `${sent}.json`, unsent, `${unsent}.json`].sort());
    expect(await after.removeUnsent(10, 10)).toBe(1);
    expect(await after.get(sent)).toBeDefined();
    expect(await after.get(unsent)).toBeUndefined();
  });

  it('counts an image stored before images knew whether they were sent as sent', async () => {
    const dir = path.join(tempDataDir(), 'images');
    fs.mkdirSync(dir, { recursive: true });
    const id = newImageId();
    fs.writeFileSync(path.join(dir, id), 'g');
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify({ id, conversationId: 'c', role: 'kefu', mime: 'image/gif', bytes: 1, ts: 1 }));
    const store = await FileImageStore.open(dir);
    expect(await store.removeUnsent(10, 10)).toBe(0);
    expect(await store.get(id)).toEqual({ id, conversationId: 'c', role: 'kefu', mime: 'image/gif', bytes: 1, ts: 1 });
  });
});

describe('filesystem image store start-up', () => {
  it('names a facts file it cannot read, rather than counting a wrong total', async () => {
    const dir = path.join(tempDataDir(), 'images');
    fs.mkdirSync(dir, { recursive: true });
    const id = newImageId();
    fs.writeFileSync(path.join(dir, id), 'g');
    fs.writeFileSync(path.join(dir, `${id}.json`), '{"id": "cut sh');
    await expect(FileImageStore.open(dir)).rejects.toThrow(`${id}.json`);
  });
});

describe('PostgreSQL migration to image clean-up', () => {
  it('marks the images a message refers to as sent, and counts every image in the totals', async () => {
    const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    // The schema as the previous release left it: the first six steps, with a sent and an unsent image.
    await client.query(`CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
    await client.query('CREATE TABLE kefu_schema (version INTEGER NOT NULL); INSERT INTO kefu_schema VALUES (6)');
    for (const step of POSTGRES_MIGRATIONS.slice(0, 6)) await client.query(step);
    const [sent, unsent] = [newImageId(), newImageId()];
    for (const id of [sent, unsent]) {
      await client.query("INSERT INTO images (id, conversation_id, role, mime, bytes, ts, data) VALUES ($1, 'c', 'yonghu', 'image/png', 3, 1, 'abc')", [id]);
    }
    await client.query("INSERT INTO conversations (id, agent, customer, started_at, resume_hash) VALUES ('c', 'a', 'b', 1, 'h')");
    await client.query("INSERT INTO messages (conversation_id, seq, sender, role, content, ts, image) VALUES ('c', 1, 'b', 'yonghu', '[图片]', 2, $1)", [
      JSON.stringify({ id: sent, mime: 'image/png', bytes: 3 }),
    ]);
    await client.end();

    await (await openPostgresStores({ connectionString: TEST_DATABASE_URL, schema })).close();
    const store = new PostgresImageStore({ connectionString: TEST_DATABASE_URL, schema });
    expect(await store.usage('c')).toEqual({ conversation: { images: 2, bytes: 6 }, total: { images: 2, bytes: 6 } });
    expect(await store.removeUnsent(10, 10)).toBe(1);
    expect(await store.get(sent)).toBeDefined();
    expect(await store.get(unsent)).toBeUndefined();
    expect((await store.usage('c')).total).toEqual({ images: 1, bytes: 3 });
    await store.close();
  });
});
