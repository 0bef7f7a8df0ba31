/** A connection whose socket is corked until the end of the tick (see TickCorks). */
export interface Corked {
  /** Writes what its socket holds; never throws. */
  uncork(): void;
}

/**
 * The frames a socket is sent in one tick leave in one write. A group commit acks and relays
 * its whole batch in one tick, and a busy socket gets several frames of it (its sender's acks,
 * its peer's messages); sent one by one, each frame is a system call of its own, the largest
 * single cost of a busy node. A connection corks its socket at its first frame of the tick and
 * is uncorked here from process.nextTick (the way Node's documentation pairs cork with uncork),
 * which runs once the current callback and the promise jobs queued behind it are done, so no
 * frame waits for a later turn of the event loop.
 */
export class TickCorks {
  private held: Corked[] = [];

  /** Uncorks `corked` at the end of this tick. */
  add(corked: Corked): void {
    if (this.held.push(corked) === 1) process.nextTick(this.release);
  }

  private readonly release = (): void => {
    const held = this.held;
    this.held = [];
    for (const corked of held) corked.uncork();
  };
}
