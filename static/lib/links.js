// @ts-check
// Web addresses in a message's text, found without touching the page: the message list turns the
// pieces into text nodes and links. Only http and https become links; any other scheme
// (javascript:, data:, ...) stays text, so a message can never run script or load a document.

/**
 * One piece of a message: plain text, or an address with the href to give its link.
 * @typedef {{ text: string, href?: string }} TextPiece
 */

// ASCII only: a Chinese sentence often follows an address with no space between them.
const CANDIDATE = /https?:\/\/[^\s<>"'`\u0080-\uffff]+/gi;
// Sentence punctuation right after an address belongs to the sentence, not to the address.
const TRAILING = /[.,;:!?)。，！？）]+$/;

/**
 * The http(s) address a candidate spells, or null when it names no host.
 * @param {string} candidate
 */
function webAddress(candidate) {
  try {
    const url = new URL(candidate);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? candidate : null;
  } catch {
    return null;
  }
}

/**
 * Splits a message into text and http(s) addresses, in order; joined, the pieces' texts give the
 * message back exactly.
 * @param {string} text
 * @returns {TextPiece[]}
 */
export function findLinks(text) {
  /** @type {TextPiece[]} */
  const pieces = [];
  let plain = '';
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const start = match.index ?? 0;
    const address = match[0].replace(TRAILING, '');
    const href = webAddress(address);
    if (!href) continue;
    plain += text.slice(from, start);
    if (plain) pieces.push({ text: plain });
    plain = '';
    pieces.push({ text: address, href });
    from = start + address.length;
  }
  plain += text.slice(from);
  if (plain) pieces.push({ text: plain });
  return pieces;
}
