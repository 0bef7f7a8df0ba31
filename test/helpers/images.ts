import zlib, { crc32 } from 'node:zlib';

/** Tiny valid images (1×1), one per accepted type, and files that only pretend to be images. */
export const SAMPLES = {
  'image/png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  'image/jpeg': Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  ),
  'image/gif': Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  'image/webp': Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
} as const;

export const PNG = SAMPLES['image/png'];

/** Not images, whatever Content-Type they are sent with. */
export const DISGUISED = {
  html: Buffer.from('<!doctype html><script>window.__pwned=1</script>'),
  svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'),
  text: Buffer.from('just some text, not a picture'),
  // The PNG signature cut short: magic bytes must match whole.
  truncated: PNG.subarray(0, 4),
};

/** A PNG of about `size` bytes: a valid header followed by filler (the sniffer reads the header only). */
export function pngOfSize(size: number): Buffer {
  return Buffer.concat([PNG, Buffer.alloc(Math.max(0, size - PNG.length), 0)]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function ihdr(width: number, height: number, bitDepth: number, colorType: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data[8] = bitDepth;
  data[9] = colorType;
  return pngChunk('IHDR', data);
}

const PNG_SIGNATURE = PNG.subarray(0, 8);

/**
 * A real, valid PNG of width × height black pixels (1-bit grayscale: every row a filter byte and
 * zeros), so it deflates to almost nothing: 20000 × 20000 is about 50 KB, a pixel bomb of the
 * kind that took a browser's memory by gigabytes.
 */
export function blackPng(width: number, height: number): Buffer {
  const idat = zlib.deflateSync(Buffer.alloc((1 + Math.ceil(width / 8)) * height), { level: 9 });
  return Buffer.concat([PNG_SIGNATURE, ihdr(width, height, 1, 0), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** The 33-byte PNG: signature and IHDR only, claiming 4294967295 × 4294967295 pixels. */
export const CLAIMS_4G_BY_4G = Buffer.concat([PNG_SIGNATURE, ihdr(0xffffffff, 0xffffffff, 8, 6)]);
