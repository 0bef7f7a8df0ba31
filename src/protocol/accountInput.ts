import { isAvatarId } from './avatars.js';
import { HttpError } from './errorCodes.js';
import { checkName, MAX_NAME_CHARS } from './names.js';
import { hasNul } from './nulChar.js';

/** What an account may do: see docs/operations.md (Roles) for the whole matrix. */
export type AccountRole = 'owner' | 'admin' | 'agent';

export const ACCOUNT_ROLES: readonly AccountRole[] = ['owner', 'admin', 'agent'];

/** Shortest and longest password, in characters (NIST SP 800-63B asks at least 8; we ask 10). */
export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 256;
/** The most chats an agent may be allowed at once. */
export const MAX_CHATS_LIMIT = 20;

const LOGIN = /^[a-z0-9._@-]{1,64}$/;
// Deliberately loose: one @, something either side, a dot in the domain, nothing invisible.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** A field that failed, as the API answers it: the error code and a message for people. */
export interface FieldError {
  ok: false;
  error: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | FieldError;

const fail = (error: string, message: string): FieldError => ({ ok: false, error, message });

/** A login as stored: trimmed and lower-case, so `Wang` and `wang` sign in as one. */
export function checkLogin(raw: unknown): Checked<string> {
  const login = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return LOGIN.test(login) ? { ok: true, value: login } : fail(HttpError.BAD_LOGIN, 'login is 1-64 of a-z, 0-9, ".", "_", "-", "@"');
}

/** A new password: length only (NIST SP 800-63B: no composition rules), and no U+0000. */
export function checkPassword(raw: unknown): Checked<string> {
  if (typeof raw !== 'string') return fail(HttpError.BAD_PASSWORD, 'password is required');
  const n = [...raw].length;
  if (n < MIN_PASSWORD_CHARS || n > MAX_PASSWORD_CHARS || hasNul(raw)) {
    return fail(HttpError.BAD_PASSWORD, `password is ${MIN_PASSWORD_CHARS}-${MAX_PASSWORD_CHARS} characters`);
  }
  return { ok: true, value: raw };
}

/** An e-mail address as stored (lower-case), or null for none (an empty string or null clears it). */
export function checkEmail(raw: unknown): Checked<string | null> {
  if (raw === null || raw === '') return { ok: true, value: null };
  const email = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  return email.length <= 254 && EMAIL.test(email) ? { ok: true, value: email } : fail(HttpError.BAD_EMAIL, 'email is an e-mail address');
}

export function checkRole(raw: unknown): Checked<AccountRole> {
  return ACCOUNT_ROLES.includes(raw as AccountRole) ? { ok: true, value: raw as AccountRole } : fail(HttpError.BAD_ROLE, 'role is owner, admin or agent');
}

export function checkMaxChats(raw: unknown): Checked<number> {
  return Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= MAX_CHATS_LIMIT
    ? { ok: true, value: raw as number }
    : fail(HttpError.BAD_MAX_CHATS, `maxChats is an integer from 1 to ${MAX_CHATS_LIMIT}`);
}

/** An avatar id of the built-in set, or null for the one drawn from the name. */
export function checkAvatar(raw: unknown): Checked<string | null> {
  if (raw === null) return { ok: true, value: null };
  return isAvatarId(raw) ? { ok: true, value: raw } : fail(HttpError.BAD_AVATAR, 'avatar is an id of the built-in set, or null');
}

/** A display name: the protocol's name rules (it is the agent name every frame shows). */
export function checkDisplayName(raw: unknown): Checked<string> {
  const name = checkName(raw);
  if (name.ok) return { ok: true, value: name.name };
  return fail(HttpError.BAD_NAME, name.reason === 'reserved_name' ? 'this name is reserved' : `name is 1-${MAX_NAME_CHARS} visible characters`);
}

/** A six-digit TOTP code (spaces, as authenticator apps show them, are dropped). */
export function checkCode(raw: unknown): Checked<string> {
  const code = typeof raw === 'string' ? raw.replace(/\s/g, '') : '';
  return /^\d{6}$/.test(code) ? { ok: true, value: code } : fail(HttpError.BAD_CODE, 'code is the 6 digits the authenticator app shows');
}

/** An API token's label: 1-60 visible characters. */
export function checkTokenName(raw: unknown): Checked<string> {
  const name = typeof raw === 'string' ? raw.trim() : '';
  const n = [...name].length;
  return n >= 1 && n <= 60 && !/[\p{Cc}\p{Cf}]/u.test(name) ? { ok: true, value: name } : fail(HttpError.BAD_TOKEN_NAME, 'name is 1-60 characters');
}

/** A body field that must be a non-empty string of bounded length (a password typed at sign-in, a token). */
export function presentString(raw: unknown, max = MAX_PASSWORD_CHARS * 4): string | undefined {
  return typeof raw === 'string' && raw.length > 0 && raw.length <= max ? raw : undefined;
}

/** A JSON body as a record of unknown fields (anything else reads as an empty record). */
export function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
