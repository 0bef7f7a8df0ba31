import { describe, expect, it } from 'vitest';
import { TextArena } from '../../src/store/textArena.js';

describe('TextArena', () => {
  it('reads back texts written across several slabs, each at its own position', () => {
    const arena = new TextArena();
    const written: Array<{ text: string; at: number; bytes: number }> = [];
    // 3,000 texts of up to 1,200 bytes fill more than one 1 MiB slab.
    for (let i = 0; i < 3000; i++) {
      const text = `${i}:` + (i % 2 === 0 ? 'a'.repeat(i % 400) : '中'.repeat(i % 400));
      const at = arena.write(text);
      written.push({ text, at, bytes: arena.lastLength });
      expect(arena.lastLength).toBe(Buffer.byteLength(text));
    }
    expect(arena.bytes).toBeGreaterThan(1 << 20);
    for (const w of written) expect(arena.read(w.at, w.bytes)).toBe(w.text);
  });

  it('gives a text longer than a slab a slab of its own, and goes on after it', () => {
    const arena = new TextArena();
    const before = arena.write('before');
    const beforeBytes = arena.lastLength;
    const huge = '长'.repeat(500_000); // 1.5 MB in UTF-8
    const at = arena.write(huge);
    const hugeBytes = arena.lastLength;
    const after = arena.write('after');
    expect(arena.read(before, beforeBytes)).toBe('before');
    expect(arena.read(at, hugeBytes)).toBe(huge);
    expect(arena.read(after, arena.lastLength)).toBe('after');
  });

  it('stores an empty text', () => {
    const arena = new TextArena();
    const at = arena.write('');
    expect(arena.lastLength).toBe(0);
    expect(arena.read(at, 0)).toBe('');
  });
});
