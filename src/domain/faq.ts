/**
 * The FAQ the bot answers from: question keywords -> answer, edited by the operator. Plain
 * TypeScript: parsing a file's contents and matching a question, no file system here.
 */

/** One FAQ entry: a question that mentions any of `keywords` gets `answer`. */
export interface FaqEntry {
  keywords: string[];
  answer: string;
}

export interface Faq {
  entries: FaqEntry[];
  /** Said when no entry matches (the bot adds where the customer stands). */
  fallback: string;
}

/** Longest answer or fallback, in characters: a bot answer is a chat line, not a page. */
export const MAX_FAQ_ANSWER_CHARS = 2000;
/** Most entries a FAQ may have, so a wrong file cannot make every question slow. */
export const MAX_FAQ_ENTRIES = 500;
/** Longest keyword, in characters. */
export const MAX_FAQ_KEYWORD_CHARS = 50;

/** Used when the file gives no fallback of its own. */
export const DEFAULT_FAQ_FALLBACK = '请稍候,客服马上就来';

/** The FAQ before any file is read, or when the bot has nothing to say but the fallback. */
export const EMPTY_FAQ: Faq = { entries: [], fallback: DEFAULT_FAQ_FALLBACK };

export type FaqParse = { ok: true; faq: Faq } | { ok: false; error: string };

/**
 * Folds what should not tell two spellings apart: full-width and half-width forms (NFKC turns
 * `ＡＢＣ１２３` into `ABC123`), upper and lower case, and white space.
 */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

function isText(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.trim().length > 0 && [...v].length <= max;
}

/**
 * Validates a FAQ file's parsed JSON: `{"fallback"?: string, "entries": [{"keywords":
 * [string, …], "answer": string}, …]}`. The whole file is refused on the first bad entry, so an
 * edit in progress never half-applies. Keywords are kept normalized.
 */
export function parseFaq(data: unknown): FaqParse {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'the FAQ must be a JSON object with "entries"' };
  const { entries, fallback } = data as { entries?: unknown; fallback?: unknown };
  if (!Array.isArray(entries)) return { ok: false, error: '"entries" must be an array' };
  if (entries.length > MAX_FAQ_ENTRIES) return { ok: false, error: `at most ${MAX_FAQ_ENTRIES} entries` };
  if (fallback !== undefined && !isText(fallback, MAX_FAQ_ANSWER_CHARS))
    return { ok: false, error: `"fallback" must be text of 1-${MAX_FAQ_ANSWER_CHARS} characters` };
  const out: FaqEntry[] = [];
  for (const [i, raw] of entries.entries()) {
    if (typeof raw !== 'object' || raw === null) return { ok: false, error: `entry ${i}: must be an object` };
    const { keywords, answer } = raw as { keywords?: unknown; answer?: unknown };
    if (!Array.isArray(keywords) || keywords.length === 0) return { ok: false, error: `entry ${i}: "keywords" must be a non-empty array` };
    const normalized: string[] = [];
    for (const k of keywords) {
      if (!isText(k, MAX_FAQ_KEYWORD_CHARS)) return { ok: false, error: `entry ${i}: each keyword must be text of 1-${MAX_FAQ_KEYWORD_CHARS} characters` };
      normalized.push(normalizeText(k));
    }
    if (!isText(answer, MAX_FAQ_ANSWER_CHARS)) return { ok: false, error: `entry ${i}: "answer" must be text of 1-${MAX_FAQ_ANSWER_CHARS} characters` };
    out.push({ keywords: normalized, answer });
  }
  return { ok: true, faq: { entries: out, fallback: typeof fallback === 'string' ? fallback : DEFAULT_FAQ_FALLBACK } };
}

/**
 * The entry whose keywords the question mentions most (each keyword counted once); among
 * equals, the one listed first, so the operator orders ties. Undefined when none is mentioned.
 */
export function matchFaq(faq: Faq, question: string): FaqEntry | undefined {
  const q = normalizeText(question);
  let best: FaqEntry | undefined;
  let bestHits = 0;
  for (const entry of faq.entries) {
    let hits = 0;
    for (const k of entry.keywords) if (q.includes(k)) hits++;
    if (hits > bestHits) {
      best = entry;
      bestHits = hits;
    }
  }
  return best;
}
