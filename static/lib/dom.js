// @ts-check
// Element helpers. Everything from the network reaches the page through textContent, never as
// markup: these helpers take text only.

/**
 * A new element with an optional class and text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A button of type "button" (not a form submit) with its text.
 * @param {string} className
 * @param {string} text
 */
export function button(className, text) {
  const b = el('button', className, text);
  b.type = 'button';
  return b;
}

/**
 * The page's element with this id, of the kind the page expects; a missing one is a broken
 * page, said at once rather than as a later null dereference.
 * @template {Element} T
 * @param {string} id
 * @param {{ new (): T, prototype: T }} kind
 * @returns {T}
 */
export function byId(id, kind) {
  const node = document.getElementById(id);
  if (!(node instanceof kind)) throw new Error(`#${id} is missing or not a ${kind.name}`);
  return node;
}

/**
 * The status line at the top: its text and its look (ok, waiting, busy, warn, error, idle).
 * @param {HTMLElement} node
 * @param {string} text
 * @param {'ok' | 'waiting' | 'busy' | 'warn' | 'error' | 'idle'} kind
 */
export function setStatus(node, text, kind) {
  node.textContent = text;
  node.className = `status ${kind}`;
}
