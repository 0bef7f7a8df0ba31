import { Buffer } from 'node:buffer';
import { WebSocket } from 'ws';

/** Send options for a frame already encoded to UTF-8 bytes: still a text frame. */
const TEXT_FRAME = { binary: false } as const;

interface Waiting {
  data: string | Buffer;
  /** The frame's bytes if it is live (counted toward the slow-consumer bound), 0 for history. */
  liveBytes: number;
  /** What sending it means for the connection (the close after the close command). */
  afterSend: (() => void) | undefined;
}

/**
 * History for one socket (the missed messages of a resume, the conversation handed to an agent)
 * and the live frames that arrive behind it, sent as fast as the reader takes them rather than
 * all at once: at most `batchBytes` wait in the socket's own buffer, and each frame written to
 * the network makes room for the next. A long history thus reaches a slow reader whole instead
 * of tripping the slow-consumer bound, and live frames keep their place behind it (seq order).
 *
 * The bound still holds for live frames: those waiting here are counted in `liveBytes`, which the
 * connection adds to the socket's buffer when it checks the bound. History is not counted: it is
 * what was asked for, and how much of it there is the replay limit decides.
 */
export class CatchUp {
  private readonly waiting: Waiting[] = [];
  /** Bytes of live frames waiting here. */
  liveBytes = 0;
  /** Frames this sent whose write has not completed: their callbacks resume the sending. */
  private inFlight = 0;
  private over = false;
  private readonly written = (): void => {
    this.inFlight--;
    this.pump();
  };

  /**
   * Starts sending once the caller has queued all it had (a whole replay arrives in one go);
   * `finished` is called once, when nothing waits any more or the socket is no longer open.
   */
  constructor(
    private readonly ws: WebSocket,
    private readonly batchBytes: number,
    private readonly finished: () => void,
  ) {
    queueMicrotask(() => this.pump());
  }

  /** History: sent paced, never counted toward the bound. */
  history(data: string | Buffer): void {
    this.waiting.push({ data, liveBytes: 0, afterSend: undefined });
  }

  /** A live frame, sent after everything queued before it; `afterSend` runs once it is sent. */
  live(data: string | Buffer, afterSend?: () => void): void {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.liveBytes += bytes;
    this.waiting.push({ data, liveBytes: bytes, afterSend });
  }

  /** Drops what waits (the connection is being closed); `finished` is not called. */
  stop(): void {
    this.over = true;
    this.waiting.length = 0;
    this.liveBytes = 0;
  }

  private pump(): void {
    const ws = this.ws;
    while (!this.over) {
      if (ws.readyState !== WebSocket.OPEN) {
        this.finish();
        return;
      }
      const next = this.waiting[0];
      if (next === undefined) {
        this.finish();
        return;
      }
      // Full: the frames in flight call again as they are written. With none of ours in
      // flight (the buffer filled with other frames) one more goes, so a callback will come.
      if (ws.bufferedAmount >= this.batchBytes && this.inFlight > 0) return;
      this.waiting.shift();
      this.liveBytes -= next.liveBytes;
      this.inFlight++;
      if (typeof next.data === 'string') ws.send(next.data, this.written);
      else ws.send(next.data, TEXT_FRAME, this.written);
      next.afterSend?.();
    }
  }

  private finish(): void {
    this.stop();
    this.finished();
  }
}
