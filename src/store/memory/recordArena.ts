import { touchAhead } from './touchAhead.js';

/**
 * Doubles per slab (16 MiB). Large for the same reason as TEXT_SLAB_BYTES: V8 counts ArrayBuffers
 * allocated since the last full collection as old-generation growth, so each small slab brought
 * a full mark of the heap nearer; a large one brings one when it is made, then none for long.
 */
export const RECORD_SLAB_DOUBLES = 1 << 21;

/** A slab's pages are touched this many doubles (1 MiB) at a time, ahead of the blocks (touchAhead). */
const TOUCH_DOUBLES = 1 << 17;

/**
 * The number records of every conversation's messages, in slabs of doubles shared by all
 * conversations and handed out in blocks that never move. A conversation's records used to be
 * one growing JS array each: every growth allocated a larger copy in the young generation,
 * which survived (it is the conversation's history), was copied by the scavenger and promoted.
 * At 5,000 messages a second that was most of what the process promoted, and what made the old
 * generation grow until a full mark of the heap. Blocks here are allocated once, outside the JS
 * heap, and written in place. Nothing is ever freed: like every store here, it keeps all history.
 *
 * A block is a position (slab number * slab size + offset), not a typed-array view: a view is a
 * JS object per block, kept for good.
 */
export class RecordArena {
  private readonly slabs: Float64Array[] = [];
  private slab: Float64Array = new Float64Array(0);
  private used = 0;
  /** Doubles of the current slab whose pages have been touched. */
  private touched = 0;

  /** `slabDoubles`: the slab size, which is also the largest block (tests use small ones). */
  constructor(readonly slabDoubles = RECORD_SLAB_DOUBLES) {}

  /** Bytes held by slabs (address space; pages are mapped as they are reached). */
  get bytes(): number {
    return this.slabs.length * this.slabDoubles * Float64Array.BYTES_PER_ELEMENT;
  }

  /** Reserves a block of `doubles` (at most slabDoubles), zeroed, that only its caller writes; returns its position. */
  block(doubles: number): number {
    if (doubles > this.slabDoubles) throw new RangeError(`a block holds at most ${this.slabDoubles} doubles`);
    if (this.slabs.length === 0 || this.used + doubles > this.slabDoubles) this.newSlab();
    const at = this.used;
    this.used = at + doubles;
    if (this.used > this.touched) this.touched = touchAhead(this.slab, this.touched, this.used, TOUCH_DOUBLES);
    return (this.slabs.length - 1) * this.slabDoubles + at;
  }

  /** Where in its slab the block at `position` starts. */
  offsetOf(position: number): number {
    return position % this.slabDoubles;
  }

  /** The slab the block at `position` lies in; the block starts at offsetOf(position). */
  slabOf(position: number): Float64Array {
    return this.slabs[(position - (position % this.slabDoubles)) / this.slabDoubles] as Float64Array;
  }

  private newSlab(): void {
    // Zeroed by the allocator (calloc): pages nobody has touched are not mapped yet.
    this.slab = new Float64Array(this.slabDoubles);
    this.slabs.push(this.slab);
    this.used = 0;
    this.touched = 0;
  }
}
