import type { NextFunction, Request, Response } from 'express';
import { HttpError } from '../protocol/errorCodes.js';

/** The bearer token of a request, if it has a well-formed one. */
export function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([\x21-\x7e]{1,200})$/.exec(header);
  return match?.[1];
}

/** Reads an optional non-negative integer query parameter: `fallback` when absent, null when bad. */
export function intParam(req: Request, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number | null {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) return null;
  const n = Number(raw);
  return n > max ? null : n;
}

/** 400 for query parameters out of their range; `message` says what they may be. */
export function badQuery(res: Response, message: string): void {
  res.status(400).json({ error: HttpError.BAD_QUERY, message });
}

/** 401 with the challenge header. */
export function unauthorized(res: Response): void {
  res.setHeader('WWW-Authenticate', 'Bearer');
  res.status(401).json({ error: HttpError.UNAUTHORIZED, message: 'a valid bearer token is required' });
}

type Handler = (req: Request, res: Response) => Promise<void>;
/** Passes an async handler's failure to express's error handler. */
export const wrap = (h: Handler) => (req: Request, res: Response, next: NextFunction) => {
  h(req, res).catch(next);
};
