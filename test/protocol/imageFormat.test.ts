import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/protocol/imageFormat.js';
import { DISGUISED, SAMPLES } from '../helpers/images.js';

describe('sniffImage', () => {
  it.each(Object.entries(SAMPLES))('reads %s from its magic bytes, with its size', (mime, bytes) => {
    expect(sniffImage(bytes)).toEqual({ mime, width: 1, height: 1 });
  });

  it.each(Object.entries(DISGUISED))('refuses %s', (_label, bytes) => {
    expect(sniffImage(bytes)).toBeUndefined();
  });

  it('refuses an empty body and formats outside the four (BMP, TIFF, ICO)', () => {
    for (const head of [[], [0x42, 0x4d, 0, 0], [0x49, 0x49, 0x2a, 0], [0, 0, 1, 0]]) expect(sniffImage(Buffer.from(head))).toBeUndefined();
  });

  it('reads a JPEG whose frame header comes after other segments', () => {
    // SOI, an APP1 segment of 4 bytes, then SOF2 (progressive) with height 480 and width 640.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0, 4, 1, 2, 0xff, 0xc2, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80, 1, 1, 0x11, 0]);
    expect(sniffImage(jpeg)).toEqual({ mime: 'image/jpeg', width: 640, height: 480 });
  });
});
