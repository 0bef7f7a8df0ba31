import type { NextFunction, Request, Response } from 'express';
import { refuseResponse, requestTimeout } from './refusal.js';

/** How long a request body may take: whole, and (for long uploads) without a byte arriving. */
export interface BodyDeadlineOptions {
  totalMs: number;
  idleMs?: number;
}

/** Requests this module cut, so the error their parser raises next is known for what it is. */
const cut = new WeakSet<Request>();

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Express middleware giving a request's body a deadline: past it (or past `idleMs` with no byte
 * arriving) the request is answered 408 and its connection closed, so a body trickled a byte at
 * a time holds a socket for seconds, not for as long as the sender likes. The first deadline a
 * request meets is the one it keeps (uploads are given theirs before the general one). Progress
 * is read from the socket's byte count, never by reading the body, which stays for its parser.
 */
export function bodyDeadline(options: BodyDeadlineOptions, onCut: () => void = () => {}) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (res.locals.bodyDeadline === true || req.complete || !hasBody(req)) {
      next();
      return;
    }
    res.locals.bodyDeadline = true;
    const socket = req.socket;
    let lastRead = socket.bytesRead;
    const expire = (): void => {
      stop();
      cut.add(req);
      onCut();
      refuseResponse(res, requestTimeout('the request body did not arrive in time'), true);
      // The answer is best effort: a sender that does not read it does not keep the socket.
      const timer = setTimeout(() => socket.destroy(), 1000);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    };
    const total = setTimeout(expire, options.totalMs);
    total.unref();
    let idle: NodeJS.Timeout | undefined;
    const watchIdle = (ms: number): void => {
      idle = setTimeout(() => {
        if (socket.bytesRead === lastRead) return expire();
        lastRead = socket.bytesRead;
        watchIdle(ms);
      }, ms);
      idle.unref();
    };
    if (options.idleMs !== undefined) watchIdle(options.idleMs);
    const stop = (): void => {
      clearTimeout(total);
      clearTimeout(idle);
    };
    req.once('end', stop);
    req.once('close', stop);
    next();
  };
}

/**
 * Express error middleware, mounted before the app's last error handler: the parser of a body
 * this module cut fails with "aborted" after the 408 went out; that is the cut, not a fault.
 */
export function afterBodyDeadline(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  if (cut.has(req)) return;
  next(err);
}
