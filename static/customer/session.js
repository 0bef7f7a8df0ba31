// @ts-check
// What survives a reload of the customer's tab: who they are, how to come back into their
// conversation (the resume token) and who serves them.

const KEY = 'yonghu.session';

/**
 * @typedef {object} Session
 * @property {string} name
 * @property {string | null} resume the resume token, once the server gave one
 * @property {string | null} agent who serves them, once placed
 * @property {string} [agentAvatar]
 * @property {string} [avatar] their own avatar id
 * @property {string} [email] the pre-chat form's e-mail, sent on the socket URL
 * @property {string} [question] the pre-chat form's question, until it was sent (firstQuestion.js)
 */

/** @returns {Session} */
export function emptySession(name = '') {
  return { name, resume: null, agent: null };
}

/**
 * The session this tab had; a missing or damaged entry is the same as none.
 * @returns {Session}
 */
export function readSession() {
  try {
    /** @type {unknown} */
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (typeof s !== 'object' || s === null) return emptySession();
    const o = /** @type {Record<string, unknown>} */ (s);
    if (typeof o.name !== 'string') return emptySession();
    /** @type {Session} */
    const session = {
      name: o.name,
      resume: typeof o.resume === 'string' ? o.resume : null,
      agent: typeof o.agent === 'string' ? o.agent : null,
    };
    if (typeof o.agentAvatar === 'string') session.agentAvatar = o.agentAvatar;
    if (typeof o.avatar === 'string') session.avatar = o.avatar;
    if (typeof o.email === 'string') session.email = o.email;
    if (typeof o.question === 'string') session.question = o.question;
    return session;
  } catch {
    return emptySession();
  }
}

/** @param {Session} session */
export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

/** The conversation is over: a reload starts from the name field. */
export function forgetSession() {
  sessionStorage.removeItem(KEY);
}

const VISITOR_KEY = 'kefu.visitor';
const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** This page's id when storage is refused (a private window): the same id for this page at least. */
let unsaved = '';

/**
 * This browser's visitor id: made once from 128 random bits (22 characters of base64url) and
 * kept in localStorage, so the agent sees this person's earlier conversations. A grouping key,
 * never a credential: the server lets anyone send any id.
 * @returns {string}
 */
export function visitorId() {
  try {
    const kept = localStorage.getItem(VISITOR_KEY);
    if (kept && VISITOR_ID.test(kept)) return kept;
  } catch {
    // Storage refused: an id for this page only.
  }
  if (unsaved) return unsaved;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  unsaved = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  try {
    localStorage.setItem(VISITOR_KEY, unsaved);
  } catch {
    // As above: kept for this page only.
  }
  return unsaved;
}
