import type Database from 'better-sqlite3';
import { startSqliteWorker } from './sqliteWorker.js';

/** How often the WAL is copied back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/** The worker's code (see startSqliteWorker). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const timer = setInterval(() => {
  try {
    const [result] = db.pragma('main.wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ walFrames: result.log, checkpointed: result.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A running checkpointer; `stop` resolves once its connection is closed. */
export interface Checkpoints {
  stop(): Promise<void>;
}

/** What one checkpoint of the worker did: the WAL's frames, and how many of them are now in the database file. */
export interface CheckpointResult {
  walFrames: number;
  checkpointed: number;
}

export interface CheckpointOptions {
  intervalMs?: number;
  onCheckpoint?: (result: CheckpointResult) => void;
  /** Hears failures, which leave the WAL growing until a checkpoint succeeds (close runs a TRUNCATE one). */
  onError?: (message: string) => void;
}

/**
 * Checkpoints the WAL of `db` (open on `file`) every `intervalMs` from a worker thread with its
 * own connection, so copying pages back into the database file, and its fsync, do not run on
 * the thread that handles messages; `db` gets wal_autocheckpoint = 0, or whichever commit pushed
 * the WAL past 1,000 pages would run the checkpoint itself while the messages batched behind it
 * wait. PASSIVE never waits for a lock, so the worker never holds up a commit.
 *
 * The WAL starts again from its beginning only when a write begins with every frame copied, and
 * with commits every few milliseconds the worker's copy never catches up with the last one: the
 * WAL would grow for as long as messages keep coming. So after each worker checkpoint that
 * copied all it saw, `db` copies the few frames written meanwhile itself, between two commits.
 */
export function startCheckpoints(db: Database.Database, file: string, options: CheckpointOptions = {}): Checkpoints {
  const { intervalMs = CHECKPOINT_INTERVAL_MS, onCheckpoint, onError = warn } = options;
  db.pragma('wal_autocheckpoint = 0');
  const { worker, stop } = startSqliteWorker(WORKER_SOURCE, { file, intervalMs });
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    if ('error' in m) return onError(m.error);
    if (m.checkpointed === m.walFrames && db.open) {
      try {
        // main: the search index attached to `db` has its own writer, which checkpoints it.
        db.pragma('main.wal_checkpoint(PASSIVE)');
      } catch (err) {
        onError((err as Error).message);
      }
    }
    onCheckpoint?.(m);
  });
  worker.on('error', (err) => onError(err.message));
  return { stop };
}

function warn(message: string): void {
  process.emitWarning(`SQLite WAL checkpoint failed: ${message}`);
}
