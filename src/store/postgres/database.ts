import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** PostgreSQL's unique_violation. */
export const UNIQUE_VIOLATION = '23505';

// BIGINT columns (ids, ms timestamps) fit in a double for any real date and id count.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** An arbitrary constant naming our migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 0x6b656675;

/** Where the shared database is. */
export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to use instead of the default search path (tests isolate themselves this way). */
  schema?: string;
  poolSize?: number;
}

async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS kefu_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM kefu_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO kefu_schema (version) VALUES (0)');
    if (version > POSTGRES_MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this kefu (${POSTGRES_MIGRATIONS.length})`);
    }
    for (; version < POSTGRES_MIGRATIONS.length; version++) {
      await client.query('BEGIN');
      await client.query(POSTGRES_MIGRATIONS[version] as string);
      await client.query('UPDATE kefu_schema SET version = $1', [version + 1]);
      await client.query('COMMIT');
    }
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

/**
 * Connects a pool to the database every node shares and migrates it (under an advisory lock:
 * several nodes may start at once); every PostgreSQL store of a node queries through it.
 */
export async function openPostgresPool(options: PostgresStoreOptions): Promise<pg.Pool> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // A database that stops answering (a partition drops packets rather than refusing them)
    // must turn into store_failed for the sender, not a message that hangs unacked forever.
    connectionTimeoutMillis: 5000,
    query_timeout: 10_000,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrate(pool, schema);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return pool;
}
