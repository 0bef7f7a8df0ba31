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
