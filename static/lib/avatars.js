// @ts-check
// The built-in avatar set and how an avatar is drawn. The ids are src/protocol/avatars.ts's
// (test/static/shared.test.ts holds the two equal); each is drawn as an emoji on a soft disc, so
// no image file is needed and nothing a client sends is ever shown as an image.

/** @type {ReadonlyArray<readonly [id: string, emoji: string]>} */
const AVATARS = [
  ['cat', '🐱'],
  ['dog', '🐶'],
  ['fox', '🦊'],
  ['panda', '🐼'],
  ['rabbit', '🐰'],
  ['bear', '🐻'],
  ['tiger', '🐯'],
  ['koala', '🐨'],
  ['frog', '🐸'],
  ['penguin', '🐧'],
  ['owl', '🦉'],
  ['whale', '🐳'],
];

/** The avatar ids, in the order the pickers offer them. */
export const AVATAR_IDS = AVATARS.map(([id]) => id);

const EMOJI = new Map(AVATARS);

/**
 * True for an id of the built-in set.
 * @param {unknown} id
 * @returns {id is string}
 */
export function isAvatarId(id) {
  return typeof id === 'string' && EMOJI.has(id);
}

/**
 * Fills an avatar element: the picked avatar when there is one, else the first character of the
 * name on one of six calm colours picked from the name, so a person keeps their colour (classes
 * only: the CSP forbids inline styles).
 * @param {HTMLElement} node
 * @param {string} name
 * @param {string} [avatarId]
 */
export function paintAvatar(node, name, avatarId) {
  const pic = (avatarId && EMOJI.get(avatarId)) || '';
  const first = name ? Array.from(name.trim())[0] || '?' : '';
  node.textContent = pic || first.toUpperCase();
  // FNV-1a over the UTF-16 units: cheap and spreads short names well.
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  node.className = node.className.replace(/\s*(hue-\d|pic)\b/g, '') + (pic ? ' pic' : name ? ` hue-${h % 6}` : '');
}
