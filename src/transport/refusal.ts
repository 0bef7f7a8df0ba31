import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HttpError } from '../protocol/errorCodes.js';

/** What a refused request or upgrade is told: an HTTP status, the JSON body's error code and text, extra headers. */
export interface Refusal {
  status: number;
  error: string;
  message: string;
  headers?: Record<string, string>;
}

/** 429 for a client address over one of its limits; Retry-After in whole seconds, at least 1. */
export function tooManyRequests(retryAfterMs: number, message = 'too many requests from this address, try again later'): Refusal {
  return { status: 429, error: HttpError.RATE_LIMITED, message, headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } };
}

/** 408 for a request whose headers or body did not arrive in time. */
export function requestTimeout(message: string): Refusal {
  return { status: 408, error: HttpError.TIMEOUT, message };
}

/** 400 for bytes Node's HTTP parser could not read as a request. */
export const BAD_REQUEST: Refusal = { status: 400, error: HttpError.BAD_REQUEST, message: 'not a valid HTTP request' };

/** 403 for an upgrade from a page on another site (see ws/originPolicy.ts). */
export const FORBIDDEN_ORIGIN: Refusal = { status: 403, error: HttpError.FORBIDDEN_ORIGIN, message: 'origin not allowed' };

/** 404 for an upgrade to a path that has no WebSocket. */
export const NO_WEBSOCKET_HERE: Refusal = { status: 404, error: HttpError.NOT_FOUND, message: 'WebSockets connect to /ws' };

function headerLines(refusal: Refusal, length: number): string {
  let lines = `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n`;
  for (const [name, value] of Object.entries(refusal.headers ?? {})) lines += `${name}: ${value}\r\n`;
  return `${lines}\r\n`;
}

/**
 * Answers a socket no HTTP response object stands for (a refused upgrade, a request the parser
 * rejected, a deadline passed) and closes it. Nothing is written to a socket that can no longer
 * take it; a peer that resets meanwhile is not an error worth a crash.
 */
export function refuseSocket(socket: Duplex, refusal: Refusal): void {
  socket.on('error', ignore);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: refusal.error, message: refusal.message });
  socket.end(headerLines(refusal, Buffer.byteLength(body)) + body);
  // A peer that never reads would hold the socket open in FIN_WAIT; it gets a moment, not more.
  const timer = setTimeout(() => socket.destroy(), 1000);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Answers an HTTP request with a refusal through its response object. `close`: the connection is
 * closed after it, because what may still be arriving on it (a body, more requests) is not wanted.
 */
export function refuseResponse(res: ServerResponse, refusal: Refusal, close = false): void {
  if (res.headersSent) {
    res.socket?.destroy();
    return;
  }
  res.statusCode = refusal.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  if (close) res.setHeader('Connection', 'close');
  for (const [name, value] of Object.entries(refusal.headers ?? {})) res.setHeader(name, value);
  res.end(JSON.stringify({ error: refusal.error, message: refusal.message }));
}

function ignore(): void {}
