/**
 * How long an append waits for others to share its transaction, at most; 0 commits at the end
 * of the event-loop turn the append was made in.
 */
export const GROUP_COMMIT_WINDOW_MS = 0;
/** A batch this large commits at once, without waiting for the window to end. */
export const GROUP_COMMIT_MAX_BATCH = 256;

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for a synchronous database: items that arrive within one short window are
 * written by one call of `commit`, which runs them in one transaction and returns one result per
 * item, in order (an Error rejects that item alone: one the transaction did not write). Each
 * item's promise settles only after that call returned, that is after the transaction
 * committed; if it throws, every item of the batch rejects with its error.
 *
 * A commit is most of what a small write costs (the WAL append and its system calls, not the
 * insert), so sharing it is where the time goes down; the price is up to the window of latency.
 */
export class GroupCommit<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    private readonly commit: (items: readonly T[]) => Array<R | Error>,
    private readonly windowMs = GROUP_COMMIT_WINDOW_MS,
    private readonly maxBatch = GROUP_COMMIT_MAX_BATCH,
  ) {}

  /** Queues an item for the next batch; resolves with its result once that batch committed. */
  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('store closed'));
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flush();
      else this.timer ??= this.windowMs === 0 ? setImmediate(() => this.flush()) : setTimeout(() => this.flush(), this.windowMs);
    });
  }

  /** Commits what is waiting now (before a read that must see it, or on close). */
  flush(): void {
    if (this.timer !== undefined) {
      if (this.windowMs === 0) clearImmediate(this.timer as NodeJS.Immediate);
      else clearTimeout(this.timer as NodeJS.Timeout);
      this.timer = undefined;
    }
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let results: Array<R | Error>;
    try {
      results = this.commit(batch.map((w) => w.item));
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

  /** Commits what is waiting and refuses later items. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
