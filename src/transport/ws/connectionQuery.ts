import { closeReasons } from '../../protocol/notices.js';
import { checkName } from '../../protocol/names.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { isAvatarId } from '../../protocol/avatars.js';
import { isVisitorId } from '../../protocol/visitorId.js';
import { checkEmail } from '../../protocol/accountInput.js';
import { isLocale, type Locale } from '../../protocol/locales.js';
import type { Appearance } from '../../domain/roster.js';
import type { VisitorIdentity } from '../../domain/visitorIdentity.js';

/**
 * The connection query after validation. An agent gives `name` and `key` (the legacy shared key of
 * KEFU_KEY), or neither and signs in with the console's session cookie: then the account's name counts.
 */
export type ConnectionQuery = { version: number; avatar?: string; visitorId?: string; email?: string; locale?: Locale } & (
  | { role: 'kefu'; name?: string; key?: string; since?: number }
  | { role: 'yonghu'; name: string; ticket: string }
  | { role: 'yonghu'; name: string; resume: string; since?: number }
);

/** A connection once its agent is known: every request has its name. */
export type ConnectionRequest = { version: number; avatar?: string; visitorId?: string; email?: string; locale?: Locale } & (
  | { role: 'kefu'; name: string; since?: number }
  | { role: 'yonghu'; name: string; ticket: string }
  | { role: 'yonghu'; name: string; resume: string; since?: number }
);

/** Protocol versions a client may ask for with `v=`: 1 is the seed's, 2 adds typing, presence and team frames. */
const VERSIONS = new Set(['1', '2']);

export type QueryCheck = { ok: true; request: ConnectionQuery } | { ok: false; code: number; reason: string };

function single(params: URLSearchParams, key: string): string | undefined {
  const all = params.getAll(key);
  return all.length === 1 ? all[0] : undefined;
}

/**
 * Validates `?type=&name=` plus `key=` (agents with the legacy key; a signed-in agent gives
 * neither), `ticket=` or `resume=` (customers) and the
 * optional `since=`, `v=`, `avatar=` and (customers) `visitor=` and `lang=` from the upgrade URL. Only shape is checked here; keys, tickets and resume
 * tokens are checked by their owners. A repeated parameter is ambiguous and refused.
 */
export function parseConnectionQuery(url: string | undefined): QueryCheck {
  const params = new URL(url ?? '/', 'http://x').searchParams;
  const type = single(params, 'type');
  if (type !== 'kefu' && type !== 'yonghu') return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badType };
  // A signed-in agent's name is their account's: the query need not say it.
  const signedIn = type === 'kefu' && !params.has('key') && !params.has('name');
  const name = signedIn ? ({ ok: true, name: '' } as const) : checkName(single(params, 'name'));
  if (!name.ok) {
    const reason = name.reason === 'reserved_name' ? closeReasons.reservedName : closeReasons.badName;
    return { ok: false, code: CloseCode.BAD_REQUEST, reason };
  }
  let since: number | undefined;
  if (params.has('since')) {
    const raw = single(params, 'since');
    if (raw === undefined || !/^\d{1,15}$/.test(raw)) return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badSince };
    since = Number(raw);
  }
  let version = 1;
  if (params.has('v')) {
    const raw = single(params, 'v');
    if (raw === undefined || !VERSIONS.has(raw)) return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badVersion };
    version = Number(raw);
  }
  let avatar: string | undefined;
  if (params.has('avatar')) {
    const raw = single(params, 'avatar');
    if (!isAvatarId(raw)) return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badAvatar };
    avatar = raw;
  }
  // A customer page's visitor id (an agent's is meaningless and ignored): a grouping key only.
  let visitorId: string | undefined;
  if (type === 'yonghu' && params.has('visitor')) {
    const raw = single(params, 'visitor');
    if (!isVisitorId(raw)) return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badVisitor };
    visitorId = raw;
  }
  // A customer's e-mail (the pre-chat form's, or the signed identity's put here by socketIdentity).
  let email: string | undefined;
  if (type === 'yonghu' && params.has('email')) {
    const checked = checkEmail(single(params, 'email') ?? 'repeated');
    if (!checked.ok) return { ok: false, code: CloseCode.BAD_REQUEST, reason: closeReasons.badEmail };
    email = checked.value ?? undefined;
  }
  // A customer page's language, for the FAQ bot: an unknown or repeated one is ignored (the
  // default language answers), never refused, so a newer page meets an older server gracefully.
  const lang = type === 'yonghu' ? single(params, 'lang') : undefined;
  const locale = isLocale(lang) ? lang : undefined;
  const common = {
    version,
    ...(avatar === undefined ? {} : { avatar }),
    ...(visitorId === undefined ? {} : { visitorId }),
    ...(email === undefined ? {} : { email }),
    ...(locale === undefined ? {} : { locale }),
  };
  const withSince = <T extends object>(r: T): T & { version: number } => (since === undefined ? { ...r, ...common } : { ...r, since, ...common });
  if (type === 'kefu') {
    if (signedIn) return { ok: true, request: withSince({ role: type }) };
    const key = single(params, 'key');
    if (!key) return { ok: false, code: CloseCode.UNAUTHORIZED, reason: closeReasons.badKey };
    return { ok: true, request: withSince({ role: type, name: name.name, key }) };
  }
  const resume = single(params, 'resume');
  if (resume) return { ok: true, request: withSince({ role: type, name: name.name, resume }) };
  const ticket = single(params, 'ticket');
  if (!ticket) return { ok: false, code: CloseCode.UNAUTHORIZED, reason: closeReasons.noTicket };
  return { ok: true, request: { role: type, name: name.name, ticket, ...common } };
}

/**
 * How the other side sees the person connecting: their avatar and visitor id from the query, and,
 * when the embedding site signed their identity (checked before the query was read), that they
 * are verified, with the e-mail the site signed.
 */
export function appearanceOf(request: ConnectionRequest, identity?: VisitorIdentity): Appearance {
  const appearance: Appearance = {};
  if (request.avatar !== undefined) appearance.avatar = request.avatar;
  if (request.visitorId !== undefined) appearance.visitorId = request.visitorId;
  // The site's word on the e-mail beats what the visitor typed into the pre-chat form.
  if (request.email !== undefined) appearance.email = request.email;
  if (identity !== undefined) {
    appearance.verified = true;
    const signed = checkEmail(identity.email);
    if (signed.ok && signed.value !== null) appearance.email = signed.value;
  }
  return appearance;
}
