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
