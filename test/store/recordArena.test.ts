import { describe, expect, it } from 'vitest';
import { RecordArena } from '../../src/store/recordArena.js';

describe('RecordArena', () => {
  it('hands out zeroed blocks that never overlap, across several slabs', () => {
    const arena = new RecordArena();
    const blocks: Float64Array[] = [];
    // 300 blocks of 5,000 doubles are more than eleven 1 MiB slabs.
    for (let i = 0; i < 300; i++) {
      const block = arena.block(5000);
      expect(block).toHaveLength(5000);
      expect(block.every((x) => x === 0)).toBe(true);
      block.fill(i + 1);
      blocks.push(block);
    }
    blocks.forEach((block, i) => expect(block.every((x) => x === i + 1)).toBe(true));
    expect(arena.bytes).toBeGreaterThan(11 * (1 << 20));
  });

  it('gives a block as large as a slab, and refuses a larger one', () => {
    const arena = new RecordArena();
    arena.block(10);
    expect(arena.block(RecordArena.MAX_BLOCK)).toHaveLength(RecordArena.MAX_BLOCK);
    expect(() => arena.block(RecordArena.MAX_BLOCK + 1)).toThrow(RangeError);
  });
});
