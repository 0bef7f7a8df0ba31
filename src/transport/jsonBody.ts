import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../protocol/errorCodes.js';

// Canned replies and ratings are small; a larger body is a mistake or an attack.
const parse = express.json({ limit: '16kb', strict: true });

/**
 * Parses a JSON body, answering a malformed one with 400 bad_json and an oversized one with 413
 * too_large itself (express would otherwise make them 500s). Anything not sent as JSON leaves
 * the body undefined, which the validators refuse as bad_json.
 */
export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  parse(req, res, (err?: unknown) => {
    if (err === undefined || err === null) {
      next();
      return;
    }
    const tooLarge = (err as { type?: string }).type === 'entity.too.large';
    res
      .status(tooLarge ? 413 : 400)
      .json(tooLarge ? { error: HttpError.TOO_LARGE, message: 'the body is over 16 kB' } : { error: HttpError.BAD_JSON, message: 'the body is not valid JSON' });
  });
}
