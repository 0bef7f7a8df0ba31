/** Doubles per slab (1 MiB): large enough that a new one is rare, small enough to cost little idle. */
const SLAB_DOUBLES = 1 << 17;

/**
 * The number records of every conversation's messages, in 1 MiB slabs of doubles shared by all
 * conversations and handed out in blocks that never move. A conversation's records used to be
 * one growing JS array each: every growth allocated a larger copy in the young generation,
 * which survived (it is the conversation's history), was copied by the scavenger and promoted.
 * At 5,000 messages a second that was most of what the process promoted, and what made the old
 * generation grow until a full mark of the heap. Blocks here are allocated once, outside the JS
 * heap, and written in place. Nothing is ever freed: like every store here, it keeps all history.
 */
export class RecordArena {
  private readonly slabs: Float64Array[] = [];
  private slab: Float64Array = new Float64Array(0);
  private used = 0;

  /** The largest block `block` hands out, in doubles. */
  static readonly MAX_BLOCK = SLAB_DOUBLES;

  /** Bytes held by slabs. */
  get bytes(): number {
    return this.slabs.length * SLAB_DOUBLES * Float64Array.BYTES_PER_ELEMENT;
  }

  /** A new block of `doubles` (at most MAX_BLOCK), zeroed, that only its caller writes. */
  block(doubles: number): Float64Array {
    if (doubles > SLAB_DOUBLES) throw new RangeError(`a block holds at most ${SLAB_DOUBLES} doubles`);
    if (this.slabs.length === 0 || this.used + doubles > SLAB_DOUBLES) this.newSlab();
    const at = this.used;
    this.used = at + doubles;
    return this.slab.subarray(at, at + doubles);
  }

  private newSlab(): void {
    this.slab = new Float64Array(SLAB_DOUBLES);
    // Every page touched now, in one pass, rather than one by one as messages reach it (the same
    // reason as in TextArena): the pages of a calloc'd slab are only mapped at first touch.
    this.slab.fill(0);
    this.slabs.push(this.slab);
    this.used = 0;
  }
}
