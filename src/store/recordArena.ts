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
 *
 * A block is a position (slab number * MAX_BLOCK + offset), not a typed-array view: a view is a
 * JS object per block, and at 1,000 busy conversations those views, kept for good, were still
 * most of what the process promoted (71 KB/s at the fixed bench load, a full GC every 9 s).
 */
export class RecordArena {
  private readonly slabs: Float64Array[] = [];
  /** Doubles handed out of the last slab; a full slab at first, so the first block makes one. */
  private used = SLAB_DOUBLES;

  /** The largest block `block` hands out, in doubles, and the distance between slabs' positions. */
  static readonly MAX_BLOCK = SLAB_DOUBLES;

  /** Where in its slab the block at `position` starts. */
  static offsetOf(position: number): number {
    return position % SLAB_DOUBLES;
  }

  /** Bytes held by slabs. */
  get bytes(): number {
    return this.slabs.length * SLAB_DOUBLES * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Reserves a block of `doubles` (at most MAX_BLOCK), zeroed, that only its caller writes; returns its position. */
  block(doubles: number): number {
    if (doubles > SLAB_DOUBLES) throw new RangeError(`a block holds at most ${SLAB_DOUBLES} doubles`);
    if (this.used + doubles > SLAB_DOUBLES) this.newSlab();
    const at = this.used;
    this.used = at + doubles;
    return (this.slabs.length - 1) * SLAB_DOUBLES + at;
  }

  /** The slab the block at `position` lies in; the block starts at offsetOf(position). */
  slabOf(position: number): Float64Array {
    return this.slabs[(position - (position % SLAB_DOUBLES)) / SLAB_DOUBLES] as Float64Array;
  }

  private newSlab(): void {
    const slab = new Float64Array(SLAB_DOUBLES);
    // Every page touched now, in one pass, rather than one by one as messages reach it (the same
    // reason as in TextArena): the pages of a calloc'd slab are only mapped at first touch.
    slab.fill(0);
    this.slabs.push(slab);
    this.used = 0;
  }
}
