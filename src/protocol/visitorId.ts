/**
 * A visitor id: what a customer page keeps in localStorage and sends as `visitor=` on /getroom
 * and on its WebSocket URL, so an agent sees the same person's earlier conversations. A grouping
 * key chosen by the browser, never authentication: anyone may send any id. The page makes 22
 * characters of base64url from 128 random bits; the server takes 16 to 64 of those characters.
 */
export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** Whether the value is a well-formed visitor id. */
export function isVisitorId(value: unknown): value is string {
  return typeof value === 'string' && VISITOR_ID_PATTERN.test(value);
}
