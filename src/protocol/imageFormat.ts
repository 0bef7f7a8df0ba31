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

/**
 * How far into an upload its width and height may lie. A JPEG's frame header (SOF) comes after
 * its metadata segments (EXIF with a thumbnail, ICC profile, XMP): each at most 64 KiB, and
 * cameras write a few. The other formats give theirs in the first 30 bytes.
 */
export const IMAGE_HEADER_MAX_BYTES = 512 * 1024;

/** What the first bytes of an upload say, read before the rest is taken in. */
export type HeaderReading =
  /** These bytes do not decide yet: read more (up to IMAGE_HEADER_MAX_BYTES). */
  | { kind: 'more' }
  /** Not a PNG, JPEG, GIF or WebP. */
  | { kind: 'not_an_image' }
  /** The type is known, but its header gives no usable width and height (missing, broken, or 0). */
  | { kind: 'unsized'; mime: ImageMime }
  | { kind: 'sized'; mime: ImageMime; width: number; height: number };

const MORE: HeaderReading = { kind: 'more' };

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const GIF87 = [...Buffer.from('GIF87a')];
const GIF89 = [...Buffer.from('GIF89a')];
/** RIFF, four bytes of size (any), WEBP. */
const WEBP_MAGIC = [...Buffer.from('RIFF'), -1, -1, -1, -1, ...Buffer.from('WEBP')];

/** 'yes' when `head` starts with `magic`, 'maybe' when it is a shorter start of it, else 'no'. */
function matches(head: Buffer, magic: readonly number[]): 'yes' | 'maybe' | 'no' {
  const n = Math.min(head.length, magic.length);
  for (let i = 0; i < n; i++) if (magic[i] !== -1 && head[i] !== magic[i]) return 'no';
  return head.length >= magic.length ? 'yes' : 'maybe';
}

function sized(mime: ImageMime, width: number, height: number): HeaderReading {
  // A header that claims no pixels gives no usable size (a JPEG may defer its height to a later marker).
  return width > 0 && height > 0 ? { kind: 'sized', mime, width, height } : { kind: 'unsized', mime };
}

function pngHeader(head: Buffer): HeaderReading {
  // IHDR must be the first chunk: length, type, then width and height (big-endian).
  if (head.length < 24) return MORE;
  if (head.toString('latin1', 12, 16) !== 'IHDR') return { kind: 'unsized', mime: 'image/png' };
  return sized('image/png', head.readUInt32BE(16), head.readUInt32BE(20));
}

/** Walks JPEG segments to the first start-of-frame marker, which holds the dimensions. */
function jpegHeader(head: Buffer): HeaderReading {
  const unsized: HeaderReading = { kind: 'unsized', mime: 'image/jpeg' };
  let i = 2;
  for (;;) {
    if (i + 2 > head.length) return MORE;
    if (head[i] !== 0xff) return unsized;
    const marker = head[i + 1] as number;
    // Fill bytes: a marker may be preceded by any number of 0xFF.
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    // Markers without a length: TEM and RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    // Image data (SOS) or the end (EOI) before any frame header, or a second SOI: no size to read.
    if (marker === 0xda || marker === 0xd9 || marker === 0xd8) return unsized;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > head.length) return MORE;
      return sized('image/jpeg', head.readUInt16BE(i + 7), head.readUInt16BE(i + 5));
    }
    if (i + 4 > head.length) return MORE;
    const length = head.readUInt16BE(i + 2);
    if (length < 2) return unsized;
    i += 2 + length;
  }
}

function gifHeader(head: Buffer): HeaderReading {
  // The logical screen: width and height (little-endian) right after the signature.
  if (head.length < 10) return MORE;
  return sized('image/gif', head.readUInt16LE(6), head.readUInt16LE(8));
}

function webpHeader(head: Buffer): HeaderReading {
  if (head.length < 16) return MORE;
  const unsized: HeaderReading = { kind: 'unsized', mime: 'image/webp' };
  switch (head.toString('latin1', 12, 16)) {
    case 'VP8 ':
      // Lossy: a 3-byte frame tag, the start code 9D 01 2A, then 14-bit width and height.
      if (head.length < 30) return MORE;
      if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return unsized;
      return sized('image/webp', head.readUInt16LE(26) & 0x3fff, head.readUInt16LE(28) & 0x3fff);
    case 'VP8L': {
      // Lossless: the signature 0x2F, then width - 1 and height - 1 in 14 bits each.
      if (head.length < 25) return MORE;
      if (head[20] !== 0x2f) return unsized;
      const bits = head.readUInt32LE(21);
      return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
    }
    case 'VP8X':
      // Extended: the canvas, width - 1 and height - 1 in 24 bits each.
      if (head.length < 30) return MORE;
      return sized('image/webp', head.readUIntLE(24, 3) + 1, head.readUIntLE(27, 3) + 1);
    default:
      return unsized;
  }
}

/**
 * Reads an upload's type from its magic bytes (never from a client's Content-Type or file
 * name: an HTML or SVG file sent as `image/png` is not a PNG) and its width and height from
 * its header, from the first bytes alone, so an upload is judged before the rest of it is taken
 * in. `ended`: no more bytes will come. Past IMAGE_HEADER_MAX_BYTES, or at the end, an
 * undecided reading becomes final: not an image, or an image without a usable size.
 */
export function readImageHeader(head: Buffer, ended: boolean): HeaderReading {
  const reading = readHeader(head);
  if (reading.kind !== 'more' || (!ended && head.length < IMAGE_HEADER_MAX_BYTES)) return reading;
  const mime = typeOf(head);
  return mime === undefined ? { kind: 'not_an_image' } : { kind: 'unsized', mime };
}

/** The type whose magic bytes `head` starts with, whole. */
function typeOf(head: Buffer): ImageMime | undefined {
  if (matches(head, PNG_MAGIC) === 'yes') return 'image/png';
  if (matches(head, JPEG_MAGIC) === 'yes') return 'image/jpeg';
  if (matches(head, GIF87) === 'yes' || matches(head, GIF89) === 'yes') return 'image/gif';
  if (matches(head, WEBP_MAGIC) === 'yes') return 'image/webp';
  return undefined;
}

function readHeader(head: Buffer): HeaderReading {
  const mime = typeOf(head);
  if (mime === 'image/png') return pngHeader(head);
  if (mime === 'image/jpeg') return jpegHeader(head);
  if (mime === 'image/gif') return gifHeader(head);
  if (mime === 'image/webp') return webpHeader(head);
  const possible = [PNG_MAGIC, JPEG_MAGIC, GIF87, GIF89, WEBP_MAGIC].some((magic) => matches(head, magic) === 'maybe');
  return possible ? MORE : { kind: 'not_an_image' };
}

/** The type and size of a whole file (its header read as above); undefined for anything but an image. */
export function sniffImage(buf: Buffer): ImageFormat | undefined {
  const reading = readImageHeader(buf, true);
  if (reading.kind === 'sized') return { mime: reading.mime, width: reading.width, height: reading.height };
  return reading.kind === 'unsized' ? { mime: reading.mime } : undefined;
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
