/** The most items one statement carries; more wait for the next. */
export const GROUP_COMMIT_MAX_BATCH = 256;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a database across the network: one batch in flight at a time, and the items
 * that arrive meanwhile gather for the next, so the batches grow with the load by themselves and
 * an idle store sends an item at once (at the end of the event-loop turn that made it, with
 * whatever else that turn made). `commit` writes a batch in one statement and returns one result
 * per item, in order (an Error rejects that item alone); if it rejects, every item of the batch
 * rejects with its error. Batches go one after another, so items keep the order they were added
 * in across batches too.
 */
export class PostgresGroupCommit<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private inFlight: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly commit: (items: readonly T[]) => Promise<Array<R | Error>>,
    private readonly maxBatch = GROUP_COMMIT_MAX_BATCH,
  ) {}

  /** Queues an item; resolves with its result once the statement holding it committed. */
  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.inFlight === undefined && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.send();
        });
      }
    });
  }

  private send(): void {
    if (this.inFlight !== undefined || this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.maxBatch);
    this.inFlight = this.run(batch).finally(() => {
      this.inFlight = undefined;
      this.send();
    });
  }

  private async run(batch: Array<Waiting<T, R>>): Promise<void> {
    let results: Array<R | Error>;
    try {
      results = await this.commit(batch.map((w) => w.item));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const result = results[i] as R | Error;
      if (result instanceof Error) w.reject(result);
      else w.resolve(result);
    });
  }

  /** Refuses new items and resolves once every item added before has settled. */
  async close(): Promise<void> {
    this.closed = true;
    this.send();
    while (this.inFlight !== undefined) await this.inFlight;
  }
}
