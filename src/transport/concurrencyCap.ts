/**
 * How many of something (uploads) are in progress per key (a conversation, a client address),
 * each key held to the same cap. A key is forgotten once nothing of it is in progress, so the
 * map is as large as what is in progress, never more.
 */
export class ConcurrencyCap {
  private readonly inProgress = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Takes a place for `key`; false (and nothing taken) when it has `max` already. */
  take(key: string): boolean {
    const n = this.inProgress.get(key) ?? 0;
    if (n >= this.max) return false;
    this.inProgress.set(key, n + 1);
    return true;
  }

  /** Gives back a place `take` gave. */
  release(key: string): void {
    const n = (this.inProgress.get(key) ?? 0) - 1;
    if (n > 0) this.inProgress.set(key, n);
    else this.inProgress.delete(key);
  }
}
