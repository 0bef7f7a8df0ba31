import { describe, expect, it } from 'vitest';
import { RecordArena } from '../../src/store/recordArena.js';

/** The doubles of the block at `position`, as a view for checking. */
function view(arena: RecordArena, position: number, doubles: number): Float64Array {
  const at = RecordArena.offsetOf(position);
  return arena.slabOf(position).subarray(at, at + doubles);
}

describe('RecordArena', () => {
  it('hands out zeroed blocks that never overlap, across several slabs', () => {
    const arena = new RecordArena();
    const positions: number[] = [];
    // 300 blocks of 5,000 doubles are more than eleven 1 MiB slabs.
    for (let i = 0; i < 300; i++) {
      const position = arena.block(5000);
      const block = view(arena, position, 5000);
      expect(block).toHaveLength(5000);
      expect(block.every((x) => x === 0)).toBe(true);
      block.fill(i + 1);
      positions.push(position);
    }
    positions.forEach((position, i) => expect(view(arena, position, 5000).every((x) => x === i + 1)).toBe(true));
    expect(arena.bytes).toBeGreaterThan(11 * (1 << 20));
    // A block that would cross the end of a slab starts the next one instead.
    expect(new Set(positions.map((p) => arena.slabOf(p))).size).toBe(Math.ceil(300 / Math.floor(RecordArena.MAX_BLOCK / 5000)));
  });

  it('gives a block as large as a slab, and refuses a larger one', () => {
    const arena = new RecordArena();
    const small = arena.block(10);
    const whole = arena.block(RecordArena.MAX_BLOCK);
    expect(RecordArena.offsetOf(whole)).toBe(0);
    expect(arena.slabOf(whole)).not.toBe(arena.slabOf(small));
    expect(view(arena, whole, RecordArena.MAX_BLOCK)).toHaveLength(RecordArena.MAX_BLOCK);
    expect(() => arena.block(RecordArena.MAX_BLOCK + 1)).toThrow(RangeError);
  });
});
