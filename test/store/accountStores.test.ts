import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openMemoryAccountStores } from '../../src/store/memory/accountStores.js';
import { postgresAccountStores } from '../../src/store/postgres/accountStores.js';
import { openPostgresPool } from '../../src/store/postgres/database.js';
import { sqliteAccountStores } from '../../src/store/sqlite/accountStores.js';
import { closeSqliteDatabase, openSqliteDatabase } from '../../src/store/sqlite/database.js';
import { TEST_DATABASE_URL } from '../helpers/cluster.js';
import { tempDataDir } from '../helpers/server.js';
import { describeAccountStores } from './accountStoresContract.js';

describeAccountStores('in-process', async () => ({ stores: openMemoryAccountStores(), close: async () => {} }));

describeAccountStores('SQLite', async () => {
  const db = openSqliteDatabase(path.join(tempDataDir(), 'kefu.sqlite'));
  return { stores: sqliteAccountStores(db), close: async () => closeSqliteDatabase(db) };
});

const schemas: string[] = [];
afterAll(async () => {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

describeAccountStores('PostgreSQL', async () => {
  const schema = `kefu_test_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  const pool = await openPostgresPool({ connectionString: TEST_DATABASE_URL, schema });
  return { stores: postgresAccountStores(pool), close: () => pool.end() };
});
