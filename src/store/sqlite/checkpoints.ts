import type Database from 'better-sqlite3';
import { startSqliteWorker } from './sqliteWorker.js';

/** How often the WAL is copied back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * Checkpoints the worker runs a round at most: the first, then one more each time commits made
 * during the copy before left it short of the whole WAL.
 */
const TOP_OFF_TRIES = 8;

/**
 * A WAL this long (in pages, SQLite's own autocheckpoint threshold) whose worker still never
 * caught up is topped off by the main connection itself (see startCheckpoints).
 */
export const MAIN_TOP_OFF_FRAMES = 1000;

/** The worker's code (see startSqliteWorker). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const timer = setInterval(() => {
  try {
    // A checkpoint copies the frames the WAL had when it began. Commits made meanwhile leave it a
    // few frames short, and another copies those; once one finds no new frame, all of the WAL is
    // in the file and the next commit starts it over.
    let result;
    let caughtUp = false;
    for (let i = 0; i < workerData.tries && !caughtUp; i++) {
      const [next] = db.pragma('main.wal_checkpoint(PASSIVE)');
      caughtUp = result !== undefined && next.log === result.log && next.checkpointed === next.log;
      result = next;
    }
    parentPort.postMessage({ walFrames: result.log, checkpointed: result.checkpointed, caughtUp });
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

/**
 * What one round of the worker did: the WAL's frames, how many of them are now in the database
 * file, and whether a last copy found nothing new (the next commit starts the WAL over).
 */
export interface CheckpointResult {
  walFrames: number;
  checkpointed: number;
  caughtUp: boolean;
}

export interface CheckpointOptions {
  intervalMs?: number;
  /** The WAL length (pages) from which the main connection tops off what the worker missed. */
  mainTopOffFrames?: number;
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
 * The WAL starts again from its beginning only when a write begins with every frame copied. The
 * commits made while the worker copies leave it a few frames short, so it checkpoints again (a
 * few pages now) until a copy finds nothing new, TOP_OFF_TRIES times at most: between two
 * commits it usually gets there. Under writes that never leave it that moment the WAL would grow
 * for as long as they keep coming, so when the worker did not catch up, the WAL is
 * MAIN_TOP_OFF_FRAMES long and the worker copied all it saw, `db` copies the few frames written
 * meanwhile itself, between two commits. That top-off holds the messages behind it for a few
 * milliseconds (its fsync), which is why it is the fallback rather than every round's end.
 */
export function startCheckpoints(db: Database.Database, file: string, options: CheckpointOptions = {}): Checkpoints {
  const { intervalMs = CHECKPOINT_INTERVAL_MS, mainTopOffFrames = MAIN_TOP_OFF_FRAMES, onCheckpoint, onError = warn } = options;
  db.pragma('wal_autocheckpoint = 0');
  const { worker, stop } = startSqliteWorker(WORKER_SOURCE, { file, intervalMs, tries: TOP_OFF_TRIES });
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    if ('error' in m) return onError(m.error);
    if (!m.caughtUp && m.walFrames >= mainTopOffFrames && m.checkpointed === m.walFrames && db.open) {
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
