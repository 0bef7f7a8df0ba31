import type { IncomingMessage } from 'node:http';

/** The cookie that carries a console's session token. */
export const SESSION_COOKIE = 'kefu_session';

/** The session token a request's Cookie header carries, if it carries one that could be ours. */
export function sessionTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Our tokens are base64url; anything else is not one of ours and is not looked up.
    if (/^[A-Za-z0-9_-]{20,100}$/.test(value)) return value;
  }
  return undefined;
}

/**
 * The Set-Cookie value for a new session: HttpOnly (no script reads it), SameSite=Lax (no other
 * site's form or fetch carries it), Secure when the console was reached over https, for the whole
 * site, kept by the browser as long as the session may live.
 */
export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.floor(maxAgeMs / 1000)}${secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that makes the browser forget its session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}
