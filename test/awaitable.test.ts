import { describe, expect, it } from 'vitest';
import { andThenOr, isPending } from '../src/awaitable.js';

describe('Awaitable', () => {
  it('tells a pending value (any thenable) from a ready one', () => {
    expect(isPending(Promise.resolve(1))).toBe(true);
    // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is what this test is about
    expect(isPending({ then: () => undefined })).toBe(true);
    expect(isPending(1)).toBe(false);
    expect(isPending(undefined)).toBe(false);
    // biome-ignore lint/suspicious/noThenProperty: an object whose `then` is not a function must not count as pending
    expect(isPending({ then: 'not a function' })).toBe(false);
  });

  it('says whether the value was there at once', async () => {
    expect(
      andThenOr(
        () => 1,
        (_x, atOnce) => String(atOnce),
        () => 'failed',
      ),
    ).toBe('true');
    expect(
      await andThenOr(
        () => Promise.resolve(1),
        (_x, atOnce) => String(atOnce),
        () => 'failed',
      ),
    ).toBe('false');
  });

  it('answers with fail when the start throws and when it rejects', async () => {
    const thrown = andThenOr(
      () => {
        throw new Error('down');
      },
      () => 'next',
      (err) => `failed: ${(err as Error).message}`,
    );
    expect(thrown).toBe('failed: down');
    expect(
      await andThenOr(
        () => Promise.reject(new Error('gone')),
        () => 'next',
        (err) => `failed: ${(err as Error).message}`,
      ),
    ).toBe('failed: gone');
  });

  it('lets an error thrown by next propagate instead of answering with fail', async () => {
    const boom = (): string => {
      throw new Error('in next');
    };
    expect(() =>
      andThenOr(
        () => 1,
        boom,
        () => 'failed',
      ),
    ).toThrow('in next');
    await expect(
      andThenOr(
        () => Promise.resolve(1),
        boom,
        () => 'failed',
      ),
    ).rejects.toThrow('in next');
  });
});
