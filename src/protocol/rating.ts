import { HttpError } from './errorCodes.js';
import { hasNul } from './nulChar.js';

export const MAX_COMMENT_CHARS = 500;

/** A customer's rating as the API accepted it. */
export interface RatingInput {
  score: number;
  /** Trimmed; null when absent or blank. */
  comment: string | null;
}

export type RatingCheck =
  | { ok: true; value: RatingInput }
  | { ok: false; error: typeof HttpError.BAD_JSON | typeof HttpError.BAD_SCORE | typeof HttpError.BAD_COMMENT; message: string };

/** Validates an untrusted rating body: `{score: 1..5, comment?: string}`. */
export function parseRating(body: unknown): RatingCheck {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: HttpError.BAD_JSON, message: 'the body must be a JSON object' };
  }
  const { score, comment } = body as { score?: unknown; comment?: unknown };
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 1 || score > 5) {
    return { ok: false, error: HttpError.BAD_SCORE, message: 'score: an integer from 1 to 5' };
  }
  if (comment === undefined || comment === null) return { ok: true, value: { score, comment: null } };
  if (typeof comment !== 'string' || [...comment].length > MAX_COMMENT_CHARS || hasNul(comment)) {
    return { ok: false, error: HttpError.BAD_COMMENT, message: `comment: a string of at most ${MAX_COMMENT_CHARS} characters, no U+0000` };
  }
  const trimmed = comment.trim();
  return { ok: true, value: { score, comment: trimmed === '' ? null : trimmed } };
}
