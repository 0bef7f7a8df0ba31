import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../protocol/errorCodes.js';

// Canned replies and ratings are small; a larger body is a mistake or an attack.
const parse = express.json({ limit: '16kb', strict: true });

/**
 * Refuses a request whose body is not labelled application/json with 415, before it is read.
 * A page on another site can POST text/plain (or a form) to us without asking first, but not
 * application/json, which needs a CORS preflight we never grant: so no route that takes JSON
 * may read a body sent under another label as JSON. A request without a body passes.
 */
export function requireJson(req: Request, res: Response, next: NextFunction): void {
  // type-is counts `Content-Length: 0` as a body; an empty POST has nothing to mislabel.
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (hasBody && !req.is('application/json')) {
    res.status(415).json({ error: HttpError.UNSUPPORTED_MEDIA_TYPE, message: 'send the body as application/json' });
    return;
  }
  next();
}

/**
 * Parses a JSON body, answering a malformed one with 400 bad_json, an oversized one with 413
 * too_large and one not labelled application/json with 415 itself (express would otherwise
 * make them 500s). A request without a body leaves it undefined, which the validators refuse
 * as bad_json.
 */
export function jsonBody(req: Request, res: Response, next: NextFunction): void {
  requireJson(req, res, () =>
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      const tooLarge = (err as { type?: string }).type === 'entity.too.large';
      res
        .status(tooLarge ? 413 : 400)
        .json(
          tooLarge ? { error: HttpError.TOO_LARGE, message: 'the body is over 16 kB' } : { error: HttpError.BAD_JSON, message: 'the body is not valid JSON' },
        );
    }),
  );
}
