// @ts-check
// The searched text marked where it occurs, built from text nodes and <mark> elements: user
// text never becomes markup.

/**
 * Lower-cases ASCII letters only (the server's search ignores their case, and keeps lengths).
 * @param {string} s
 */
const asciiLower = (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/**
 * `text` with every occurrence of `query` (ASCII letter case aside) in a <mark>.
 * @param {string} text
 * @param {string} query
 * @returns {DocumentFragment}
 */
export function highlighted(text, query) {
  const out = document.createDocumentFragment();
  const needle = asciiLower(query);
  if (needle === '') {
    out.append(text);
    return out;
  }
  const haystack = asciiLower(text);
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, from)) {
    if (at > from) out.append(text.slice(from, at));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(at, at + needle.length);
    out.append(mark);
    from = at + needle.length;
  }
  if (from < text.length) out.append(text.slice(from));
  return out;
}
