import { describe, expect, it } from 'vitest';
import { TextArena } from '../../../src/store/memory/textArena.js';

/** Small slabs, so a few texts cross slab boundaries. */
const SLAB = 64 * 1024;

describe('TextArena', () => {
  it('reads back texts written across several slabs, each at its own position', () => {
    const arena = new TextArena(SLAB);
    const written: Array<{ text: string; at: number; bytes: number }> = [];
    // 3,000 texts of up to 1,200 bytes fill more than fifteen 64 KiB slabs.
    for (let i = 0; i < 3000; i++) {
      const text = `${i}:${i % 2 === 0 ? 'a'.repeat(i % 400) : '中'.repeat(i % 400)}`;
      const at = arena.write(text);
      written.push({ text, at, bytes: arena.lastLength });
      expect(arena.lastLength).toBe(Buffer.byteLength(text));
    }
    expect(arena.bytes).toBeGreaterThan(15 * SLAB);
    for (const w of written) expect(arena.read(w.at, w.bytes)).toBe(w.text);
  });

  it('works the same with the default slab size', () => {
    const arena = new TextArena();
    const texts = Array.from({ length: 5000 }, (_, i) => `${i} 你好 😀 ${'x'.repeat(i % 300)}`);
    const at = texts.map((t) => [arena.write(t), arena.lastLength] as const);
    for (const [i, t] of texts.entries()) expect(arena.read(...(at[i] as readonly [number, number]))).toBe(t);
  });

  it.each([
    ['UTF-8 as long as its bound', '长'.repeat(50_000)],
    ['ASCII, a third of its bound', 'a'.repeat(3 * SLAB)],
  ])('gives a text longer than a slab a slab of its own, and goes on after it (%s)', (_, huge) => {
    const arena = new TextArena(SLAB);
    const before = arena.write('before');
    const beforeBytes = arena.lastLength;
    const at = arena.write(huge);
    const hugeBytes = arena.lastLength;
    const after = arena.write('after');
    const afterBytes = arena.lastLength;
    const next = arena.write('next');
    expect(arena.read(before, beforeBytes)).toBe('before');
    expect(arena.read(at, hugeBytes)).toBe(huge);
    expect(arena.read(after, afterBytes)).toBe('after');
    expect(arena.read(next, arena.lastLength)).toBe('next');
  });

  it('stores an empty text', () => {
    const arena = new TextArena();
    const at = arena.write('');
    expect(arena.lastLength).toBe(0);
    expect(arena.read(at, 0)).toBe('');
  });
});
