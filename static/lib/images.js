// @ts-check
// Images in the conversation: what may be sent (checked here before uploading), the upload, and
// the thumbnail a message shows. Only our own /api/images/... paths ever go into src or href.
import { el } from './dom.js';
import { sizeText } from './format.js';
import { bearer, requestJson, retryAfterSeconds } from './http.js';
import { t } from './i18n.js';

/** @import { ImageField } from './frames.js' */

/** The types the server takes (it decides by the bytes anyway, with 415). */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The server's size limit: this default until GET /api/images/limits answers (it says 413 anyway). */
let maxImageBytes = 5 * 1024 * 1024;

/** Asks the server for its size limit, once per page; the default stands if it does not answer. */
export function loadImageLimits() {
  requestJson('/api/images/limits')
    .then(({ status, body }) => {
      const max = body?.maxBytes;
      if (status === 200 && typeof max === 'number' && max > 0) maxImageBytes = max;
    })
    .catch(() => {
      /* the default stands; the server still checks */
    });
}

const OWN_IMAGE_URL = /^\/api\/images\/[A-Za-z0-9_-]{22}\?[A-Za-z0-9_=&-]*$/;

/**
 * A thumbnail that opens the full image in a new tab (the server serves it sandboxed), or null
 * when the frame's URL is not one of our own image paths: a frame can never point a page elsewhere.
 * @param {ImageField} image
 * @param {string} sender
 */
export function thumbnail(image, sender) {
  if (!OWN_IMAGE_URL.test(image.url)) return null;
  const link = el('a', 'thumb-link');
  link.href = image.url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.title = t('openImage');
  const img = el('img', 'thumb');
  img.src = image.url;
  img.alt = t('imageAlt', sender);
  if (image.width && image.width > 0 && image.height && image.height > 0) {
    img.width = image.width;
    img.height = image.height;
  }
  link.appendChild(img);
  return link;
}

/**
 * Why a file can't be sent, before uploading it (null when it may go).
 * @param {File} file
 */
export function checkImage(file) {
  if (!IMAGE_TYPES.includes(file.type)) return t('imageNotImage', file.name);
  if (file.size > maxImageBytes) return t('imageTooLarge', file.name, sizeText(maxImageBytes));
  return null;
}

/** How many times an upload turned away as busy (429) is tried again, after the server's Retry-After. */
const BUSY_RETRIES = 3;
/** Longest wait for one retry: an upload is something the person is waiting for. */
const MAX_BUSY_WAIT_S = 10;

/**
 * Uploads one image; resolves { id } or { error: a readable text }. The server decides by the
 * bytes, so a renamed text file is refused here too (415), and tells its own size limit (413).
 * A conversation may have only a couple of uploads in progress: a 429 is tried again later.
 * @param {File} file
 * @param {string} url
 * @param {string} token
 * @returns {Promise<{ id: string } | { error: string }>}
 */
export async function uploadImage(file, url, token) {
  try {
    let answer = await requestJson(url, { method: 'POST', headers: bearer(token), body: file });
    for (let retry = 0; answer.status === 429 && retry < BUSY_RETRIES; retry++) {
      const waitS = Math.min(MAX_BUSY_WAIT_S, retryAfterSeconds(answer.headers.get('Retry-After'), Date.now()));
      await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
      answer = await requestJson(url, { method: 'POST', headers: bearer(token), body: file });
    }
    const { status, body } = answer;
    if (status === 201 && typeof body?.id === 'string') return { id: body.id };
    if (status === 413) return { error: t('imageTooLarge', file.name, sizeText(Number(body?.maxBytes) || maxImageBytes)) };
    if (status === 415) return { error: t('imageNotImage', file.name) };
    return { error: t('imageFailed', file.name) };
  } catch {
    return { error: t('imageFailed', file.name) };
  }
}
