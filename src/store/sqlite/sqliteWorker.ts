import { Worker } from 'node:worker_threads';

/** A worker thread with a SQLite connection of its own (checkpoints, the message index). */
export interface SqliteWorker {
  readonly worker: Worker;
  /** Sends 'stop' (the worker closes its connection and its port) and resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `source` on a thread: source rather than a file of its own, because a file would be
 * .ts under vitest and .js in dist/ and a worker can load only the second. `workerData.driver`
 * is better-sqlite3's resolved path, so the worker finds it whatever the working directory.
 * The thread does not keep the process alive (a store someone forgot to close must not), except
 * while `stop` waits for it: awaiting an unreferenced worker would let the process end before
 * the close that comes after. `unexpectedExit` hears an exit that `stop` did not ask for.
 */
export function startSqliteWorker(source: string, workerData: Record<string, unknown>, unexpectedExit?: () => void): SqliteWorker {
  const worker = new Worker(source, { eval: true, workerData: { ...workerData, driver: require.resolve('better-sqlite3') } });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      if (!stopping) unexpectedExit?.();
      resolve();
    }),
  );
  return {
    worker,
    async stop() {
      stopping = true;
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
