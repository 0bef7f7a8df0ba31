/**
 * The built-in avatar set. A person picks one by id (`avatar=` on the connection URL); the pages
 * draw each id as an emoji on a coloured disc, so the set ships without image files. Ids, not
 * pictures, travel on the wire: nothing a client sends is ever shown as an image.
 */
export const AVATAR_IDS = ['cat', 'dog', 'fox', 'panda', 'rabbit', 'bear', 'tiger', 'koala', 'frog', 'penguin', 'owl', 'whale'] as const;

export type AvatarId = (typeof AVATAR_IDS)[number];

const KNOWN = new Set<string>(AVATAR_IDS);

/** True for an id of the built-in set. */
export function isAvatarId(raw: unknown): raw is AvatarId {
  return typeof raw === 'string' && KNOWN.has(raw);
}
