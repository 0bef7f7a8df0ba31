import type { ConversationStore } from '../store/conversationStore.js';

/** Which first responses the expected reply time is the median of, and how long one answer is reused. */
export interface ReplyTimeOptions {
  /** Conversations started within this long ago. */
  windowMs: number;
  /** At most this many of them, the latest. */
  sample: number;
  /** An answer is reused this long: every page that opens the widget asks. */
  cacheMs: number;
}

/** The latest fifty replied conversations of the past week, reused for half a minute. */
export const DEFAULT_REPLY_TIME: ReplyTimeOptions = { windowMs: 7 * 24 * 60 * 60_000, sample: 50, cacheMs: 30_000 };

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The widget's "usually replies in about …": the median time from a conversation's start to the
 * agent's first message, over recent conversations. A median, so one chat left unanswered over
 * lunch does not make the team look slow. Asked of the store at most once per `cacheMs`; one
 * question at a time, the others wait for its answer.
 */
export class ExpectedReplyTime {
  private cached: { at: number; ms: number | null } | undefined;
  private pending: Promise<number | null> | undefined;

  constructor(
    private readonly store: Pick<ConversationStore, 'firstResponseTimes'>,
    private readonly options: ReplyTimeOptions = DEFAULT_REPLY_TIME,
    private readonly now: () => number = Date.now,
  ) {}

  /** The median first response in ms, or null when no recent conversation got one. */
  async medianMs(): Promise<number | null> {
    const now = this.now();
    if (this.cached !== undefined && now - this.cached.at < this.options.cacheMs) return this.cached.ms;
    this.pending ??= this.store
      .firstResponseTimes(now - this.options.windowMs, this.options.sample)
      .then((times) => {
        const ms = median(times);
        this.cached = { at: now, ms };
        return ms;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}
