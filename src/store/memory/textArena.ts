import { touchAhead } from './touchAhead.js';

/**
 * Bytes per slab. Large, because V8 counts every ArrayBuffer allocated since the last full
 * collection as growth of the old generation: with 1 MiB slabs the texts of a busy server (0.5
 * MB/s at the fixed bench load) brought a full mark of the heap every 9 s. A 16 MiB slab brings
 * one when it is made, then none for as long as it lasts. Its pages are only mapped as they are
 * reached (touchAhead), so a slab costs its size in address space, not in memory.
 */
export const TEXT_SLAB_BYTES = 1 << 24;

/** The pages of a slab are touched this many bytes at a time, ahead of the writes (touchAhead). */
const TOUCH_BYTES = 1 << 20;

/** The most bytes one UTF-16 code unit takes in UTF-8 (a surrogate pair is 4 for 2 units). */
const MAX_UTF8_BYTES_PER_UNIT = 3;

/**
 * Message texts of every conversation, UTF-8, written one after another into slabs that are
 * never moved or copied. Appending is a write at the end of the current slab, the same few
 * cache lines message after message; a text is found again by its position and length.
 * The slabs live outside the JS heap, so the garbage collector never copies or marks a text.
 * A position is slab number * slab size + offset; a text longer than a slab gets a slab of its
 * own (at offset 0). Nothing is ever freed: like every store here, it keeps all history.
 */
export class TextArena {
  private readonly slabs: Buffer[] = [];
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;
  /** Bytes of the current slab whose pages have been touched. */
  private touched = 0;
  /** The UTF-8 length of the text `write` stored last. */
  lastLength = 0;

  /** `slabBytes`: the slab size (tests use small ones to cross slab boundaries). */
  constructor(private readonly slabBytes = TEXT_SLAB_BYTES) {}

  /** Bytes held by slabs (address space; pages are mapped as they are reached). */
  get bytes(): number {
    return this.slabs.reduce((n, s) => n + s.length, 0);
  }

  /** Stores a text and returns its position; its length in bytes is then `lastLength`. */
  write(text: string): number {
    const most = text.length * MAX_UTF8_BYTES_PER_UNIT;
    if (this.slabs.length === 0 || this.used + most > this.slab.length) this.newSlab(most);
    const at = this.used;
    if (at + most > this.touched) this.touched = touchAhead(this.slab, this.touched, at + most, TOUCH_BYTES);
    this.lastLength = this.slab.write(text, at, 'utf8');
    // A slab made larger than the rest for one text holds only that text: an offset past
    // slabBytes would not survive the position's arithmetic.
    this.used = this.slab.length > this.slabBytes ? this.slab.length : at + this.lastLength;
    return (this.slabs.length - 1) * this.slabBytes + at;
  }

  /** The text at a position `write` returned, `length` bytes long. */
  read(position: number, length: number): string {
    const offset = position % this.slabBytes;
    const slab = this.slabs[(position - offset) / this.slabBytes] as Buffer;
    return slab.toString('utf8', offset, offset + length);
  }

  private newSlab(atLeast: number): void {
    this.slab = Buffer.allocUnsafeSlow(Math.max(this.slabBytes, atLeast));
    this.slabs.push(this.slab);
    this.used = 0;
    this.touched = 0;
  }
}
