import { describe, expect, it } from 'vitest';
import { IMAGE_HEADER_MAX_BYTES, readImageHeader, sniffImage } from '../../src/protocol/imageFormat.js';
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

describe('readImageHeader', () => {
  /** A JPEG's start: SOI, then APP1 segments of `size` bytes each, then SOF0 (height 480, width 640). */
  function jpegAfter(segments: number, size: number): Buffer {
    const app = Buffer.alloc(size + 2);
    app.writeUInt16BE(0xffe1, 0);
    app.writeUInt16BE(size, 2);
    const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80, 1, 1, 0x11, 0]);
    return Buffer.concat([Buffer.from([0xff, 0xd8]), ...Array.from({ length: segments }, () => app), sof]);
  }

  it('asks for more bytes until the header is whole, then reads the size', () => {
    const png = SAMPLES['image/png'];
    for (const n of [0, 1, 8, 23]) expect(readImageHeader(png.subarray(0, n), false)).toEqual({ kind: 'more' });
    expect(readImageHeader(png.subarray(0, 24), false)).toEqual({ kind: 'sized', mime: 'image/png', width: 1, height: 1 });
  });

  it('says "not an image" from the first bytes that match no format, without waiting for more', () => {
    expect(readImageHeader(Buffer.from('<'), false)).toEqual({ kind: 'not_an_image' });
    expect(readImageHeader(Buffer.from([0x89, 0x50, 0x4e, 0x00]), false)).toEqual({ kind: 'not_an_image' });
  });

  it('reads a JPEG frame header that comes after 300 KiB of metadata segments', () => {
    const jpeg = jpegAfter(5, 60 * 1024);
    // The frame header's first 8 bytes, one short of its width.
    expect(readImageHeader(jpeg.subarray(0, jpeg.length - 5), false)).toEqual({ kind: 'more' });
    expect(readImageHeader(jpeg, false)).toEqual({ kind: 'sized', mime: 'image/jpeg', width: 640, height: 480 });
  });

  it('gives up on a JPEG whose frame header is not within IMAGE_HEADER_MAX_BYTES: no usable size', () => {
    const jpeg = jpegAfter(9, 65_000);
    expect(jpeg.length).toBeGreaterThan(IMAGE_HEADER_MAX_BYTES);
    expect(readImageHeader(jpeg.subarray(0, IMAGE_HEADER_MAX_BYTES), false)).toEqual({ kind: 'unsized', mime: 'image/jpeg' });
  });

  it('reads the claimed size of a PNG, however large, and gives one claiming 0 wide no usable size', () => {
    const header = Buffer.from(SAMPLES['image/png'].subarray(0, 24));
    header.writeUInt32BE(0xffffffff, 16);
    header.writeUInt32BE(0xffffffff, 20);
    expect(readImageHeader(header, false)).toEqual({ kind: 'sized', mime: 'image/png', width: 0xffffffff, height: 0xffffffff });
    header.writeUInt32BE(0, 16);
    expect(readImageHeader(header, false)).toEqual({ kind: 'unsized', mime: 'image/png' });
  });

  it('reads lossy (VP8) and extended (VP8X) WebP headers', () => {
    const vp8 = Buffer.alloc(30);
    vp8.write('RIFF', 0, 'latin1');
    vp8.write('WEBPVP8 ', 8, 'latin1');
    vp8.set([0x9d, 0x01, 0x2a], 23);
    vp8.writeUInt16LE(640, 26);
    vp8.writeUInt16LE(480, 28);
    expect(readImageHeader(vp8, false)).toEqual({ kind: 'sized', mime: 'image/webp', width: 640, height: 480 });
    const vp8x = Buffer.alloc(30);
    vp8x.write('RIFF', 0, 'latin1');
    vp8x.write('WEBPVP8X', 8, 'latin1');
    vp8x.writeUIntLE(16383, 24, 3);
    vp8x.writeUIntLE(9999, 27, 3);
    expect(readImageHeader(vp8x, false)).toEqual({ kind: 'sized', mime: 'image/webp', width: 16384, height: 10000 });
  });

  it('decides at the end of the body: a cut signature is no image, a cut header no usable size', () => {
    const png = SAMPLES['image/png'];
    expect(readImageHeader(png.subarray(0, 4), true)).toEqual({ kind: 'not_an_image' });
    expect(readImageHeader(png.subarray(0, 12), true)).toEqual({ kind: 'unsized', mime: 'image/png' });
  });
});
