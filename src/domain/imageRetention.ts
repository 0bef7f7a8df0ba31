import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ImageStore } from '../store/imageStore.js';
import type { ConversationStore } from '../store/conversationStore.js';

/** How long images are kept. */
export interface RetentionOptions {
  /** An image no message refers to is removed this long after its upload. */
  unsentTtlMs: number;
  /** Every image of a conversation is removed once the conversation ended this long ago. */
  retentionMs: number;
  /** Images (or conversations) handled per store call; the event loop runs between calls. */
  batch?: number;
  now?: () => number;
}

/**
 * The image clean-up: images uploaded but never sent, and the images of conversations that
 * ended longer ago than the retention. A sweep goes in batches with a turn of the event loop
 * between them, so it never holds up messages for long; every removal is idempotent, so each
 * node of a cluster may sweep on its own.
 *
 * The conversations to look at come from the images, not from the conversations: only one with
 * an image uploaded before the cut-off can have ended before it (uploads go into open
 * conversations only), so a sweep never walks the whole history of conversations.
 */
export class ImageRetention {
  private readonly batch: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly images: ImageStore,
    private readonly conversations: ConversationStore,
    private readonly options: RetentionOptions,
  ) {
    this.batch = options.batch ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** One pass over everything due now; resolves with how many images went. */
  async sweep(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (;;) {
      const n = await this.images.removeUnsent(now - this.options.unsentTtlMs, this.batch);
      removed += n;
      if (n < this.batch) break;
      await nextTurn();
    }
    const cutoff = now - this.options.retentionMs;
    for (let after = ''; ; ) {
      const candidates = await this.images.conversationsWithImagesBefore(cutoff, after, this.batch);
      const ended = candidates.length === 0 ? [] : await this.conversations.conversationsEndedBefore(candidates, cutoff);
      if (ended.length > 0) removed += await this.images.removeConversations(ended);
      if (candidates.length < this.batch) break;
      after = candidates[candidates.length - 1] as string;
      await nextTurn();
    }
    return removed;
  }

  /**
   * How often start() sweeps: a quarter of the shorter keeping time, so nothing stays much
   * past its time, but at least every minute and at most every 50 ms.
   */
  get intervalMs(): number {
    return Math.min(60_000, Math.max(50, Math.floor(Math.min(this.options.unsentTtlMs, this.options.retentionMs) / 4)));
  }

  /**
   * Sweeps every intervalMs until stop(), one sweep at a time. The timer does not keep the
   * process alive; a failed sweep goes to `onError` and the next one runs as usual.
   */
  start(onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined, onError)
        .finally(() => {
          this.running = undefined;
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a sweep in progress, so the stores can be closed after. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
