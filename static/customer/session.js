// @ts-check
// What survives a reload of the customer's tab, and what the visitor's other tabs share: who they
// are, how to come back into their conversation (the resume token) and who serves them. It lives
// in localStorage, one per origin: in the widget's iframe the browser partitions that per
// embedding site, so each site has its own conversation. Where storage is refused (a private
// window), each tab keeps its own, as sessionStorage did.

const KEY = 'yonghu.session';

/**
 * Where the session is kept: localStorage where it works and the tabs can agree on which one of
 * them holds the socket (customer/tabLink.js), else this tab's sessionStorage, else nowhere (the
 * page's memory only). Two tabs sharing a resume token without that would take the conversation
 * from each other.
 * @returns {{ storage: Storage | null, shared: boolean }}
 */
function pickStorage() {
  const canLink = typeof BroadcastChannel === 'function' && 'locks' in navigator && !!navigator.locks;
  for (const name of canLink ? /** @type {const} */ (['localStorage', 'sessionStorage']) : /** @type {const} */ (['sessionStorage'])) {
    try {
      const s = window[name];
      s.setItem(`${KEY}.probe`, '1');
      s.removeItem(`${KEY}.probe`);
      return { storage: s, shared: name === 'localStorage' };
    } catch {
      // Refused (or full): the next one.
    }
  }
  return { storage: null, shared: false };
}

const { storage, shared } = pickStorage();
/** True when the visitor's tabs share the session (it is in localStorage) and link to one socket. */
export const sessionShared = shared;

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
    const s = JSON.parse(storage?.getItem(KEY) || 'null');
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
  try {
    storage?.setItem(KEY, JSON.stringify(session));
  } catch {
    // Full or refused since the page opened: the page's memory still has it.
  }
}

/**
 * Another tab of this visitor changed the shared session (it got its resume token, or ended).
 * @param {() => void} fn
 */
export function onSessionChanged(fn) {
  if (!shared) return;
  addEventListener('storage', (e) => {
    if (e.key === KEY || e.key === null) fn();
  });
}

/** The conversation is over: a reload starts from the name field. */
export function forgetSession() {
  try {
    storage?.removeItem(KEY);
  } catch {
    // As above.
  }
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
