/** The image types kefu accepts: formats every browser shows and none of which can carry script. */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The accepted types, as the pages are told them. */
export const IMAGE_MIMES: readonly ImageMime[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** What the bytes say they are; width and height when the header gives them cheaply. */
export interface ImageFormat {
  mime: ImageMime;
  width?: number;
  height?: number;
}

/** An image as a message refers to it (stored with the message, so replay needs no lookup). */
export interface ImageRef {
  id: string;
  mime: ImageMime;
  bytes: number;
  width?: number;
  height?: number;
}

/** Image ids are 128 random bits in base64url: never derived from a client's file name. */
export const IMAGE_ID = /^[A-Za-z0-9_-]{22}$/;

function startsWith(buf: Buffer, sig: number[], at = 0): boolean {
  if (buf.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (buf[at + i] !== sig[i]) return false;
  return true;
}

function sized(mime: ImageMime, width: number, height: number): ImageFormat {
  // A header that claims no pixels is still the type it says, just without usable dimensions.
  return width > 0 && height > 0 ? { mime, width, height } : { mime };
}

/** Walks JPEG segments to the first start-of-frame marker, which holds the dimensions. */
function jpegSize(buf: Buffer): ImageFormat {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return { mime: 'image/jpeg' };
    const marker = buf[i + 1] as number;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return sized('image/jpeg', buf.readUInt16BE(i + 7), buf.readUInt16BE(i + 5));
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    i += 2 + buf.readUInt16BE(i + 2);
  }
  return { mime: 'image/jpeg' };
}

function webpSize(buf: Buffer): ImageFormat {
  const chunk = buf.toString('latin1', 12, 16);
  if (chunk === 'VP8 ' && buf.length >= 30) return sized('image/webp', buf.readUInt16LE(26) & 0x3fff, buf.readUInt16LE(28) & 0x3fff);
  if (chunk === 'VP8L' && buf.length >= 25) {
    const bits = buf.readUInt32LE(21);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && buf.length >= 30) return sized('image/webp', buf.readUIntLE(24, 3) + 1, buf.readUIntLE(27, 3) + 1);
  return { mime: 'image/webp' };
}

/**
 * Reads the type from the file's magic bytes, never from a client's Content-Type or file name:
 * an HTML or SVG file sent as `image/png` is not a PNG. Undefined for anything else.
 */
export function sniffImage(buf: Buffer): ImageFormat | undefined {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return buf.length >= 24 && buf.toString('latin1', 12, 16) === 'IHDR' ? sized('image/png', buf.readUInt32BE(16), buf.readUInt32BE(20)) : { mime: 'image/png' };
  }
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return jpegSize(buf);
  const gif = buf.toString('latin1', 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return buf.length >= 10 ? sized('image/gif', buf.readUInt16LE(6), buf.readUInt16LE(8)) : { mime: 'image/gif' };
  if (buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP') return webpSize(buf);
  return undefined;
}

/** Reads an ImageRef back from stored JSON (our own writing, but a damaged row must not crash a replay). */
export function parseImageRef(json: string | null): ImageRef | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as Partial<ImageRef>;
    if (typeof v.id !== 'string' || typeof v.mime !== 'string' || typeof v.bytes !== 'number') return null;
    const ref: ImageRef = { id: v.id, mime: v.mime, bytes: v.bytes };
    if (typeof v.width === 'number') ref.width = v.width;
    if (typeof v.height === 'number') ref.height = v.height;
    return ref;
  } catch {
    return null;
  }
}
