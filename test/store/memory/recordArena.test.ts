import { describe, expect, it } from 'vitest';
import { RecordArena } from '../../../src/store/memory/recordArena.js';

/** The doubles of the block at `position`, as a view for checking. */
function view(arena: RecordArena, position: number, doubles: number): Float64Array {
  const at = arena.offsetOf(position);
  return arena.slabOf(position).subarray(at, at + doubles);
}

describe('RecordArena', () => {
  it.each([
    ['small slabs', 64 * 1024],
    ['the default slab size', undefined],
  ])('hands out zeroed blocks that never overlap, across slabs (%s)', (_, slabDoubles) => {
    const arena = new RecordArena(slabDoubles);
    const positions: number[] = [];
    // 300 blocks of 5,000 doubles (1.5M): many small slabs, or most of one of the default size.
    for (let i = 0; i < 300; i++) {
      const position = arena.block(5000);
      const block = view(arena, position, 5000);
      expect(block).toHaveLength(5000);
      expect(block.every((x) => x === 0)).toBe(true);
      block.fill(i + 1);
      positions.push(position);
    }
    for (const [i, position] of positions.entries()) expect(view(arena, position, 5000).every((x) => x === i + 1)).toBe(true);
    // A block that would cross the end of a slab starts the next one instead.
    const perSlab = Math.floor(arena.slabDoubles / 5000);
    expect(new Set(positions.map((p) => arena.slabOf(p))).size).toBe(Math.ceil(300 / perSlab));
    expect(arena.bytes).toBe(Math.ceil(300 / perSlab) * arena.slabDoubles * 8);
  });

  it('gives a block as large as a slab, and refuses a larger one', () => {
    const arena = new RecordArena(1024);
    const small = arena.block(10);
    const whole = arena.block(1024);
    expect(arena.offsetOf(whole)).toBe(0);
    expect(arena.slabOf(whole)).not.toBe(arena.slabOf(small));
    expect(view(arena, whole, 1024).every((x) => x === 0)).toBe(true);
    expect(() => arena.block(1025)).toThrow(RangeError);
  });
});
