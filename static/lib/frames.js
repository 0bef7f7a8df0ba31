// @ts-check
// What the server sends, as the pages read it. A frame is untrusted until readFrame has kept
// each field it knows only when the field has the right type; from then on page code can rely
// on every field's type. The fields are docs/protocol.md's (src/protocol/frames.ts).

/**
 * @typedef {object} ImageField
 * @property {string} url
 * @property {number} [width]
 * @property {number} [height]
 */

/**
 * @typedef {object} AgentPresence
 * @property {string} name
 * @property {'free' | 'serving' | 'away'} state
 * @property {string} [avatar]
 * @property {'online' | 'away'} [status] protocol 2 with the inbox: whether they take new chats
 * @property {number} [chats] how many conversations they hold
 * @property {number} [capacity] how many they may hold
 */

/**
 * One of an agent's open conversations, as the `inbox` frame lists them.
 * @typedef {object} InboxConversation
 * @property {string} conversationId
 * @property {string} customer
 * @property {string} [avatar]
 * @property {number} [startedAt]
 * @property {number} [waitedMs]
 * @property {boolean} away
 * @property {string} [visitorId]
 * @property {string} [email]
 * @property {boolean} [verified]
 */

/**
 * A customer waiting in the queue, as presence lists them.
 * @typedef {object} QueuedCustomer
 * @property {string} customer
 * @property {number} position
 */

/**
 * @typedef {object} OfflineMessage
 * @property {number} id
 * @property {string} name
 * @property {string} contact
 * @property {string} content
 * @property {number} [createdAt]
 */

/**
 * @typedef {object} BotExchange
 * @property {string} question
 * @property {string} answer
 * @property {number} [ts]
 */

/**
 * A server frame. `neiRong` and `shuiFaDe` keep their seed meaning (text and sender) and are ''
 * when absent; `type` is '' on a frame without one.
 * @typedef {object} ServerFrame
 * @property {string} type
 * @property {string} neiRong
 * @property {string} shuiFaDe
 * @property {string} [event]
 * @property {'kefu' | 'yonghu'} [role]
 * @property {string} [error]
 * @property {number} [ts]
 * @property {number} [id]
 * @property {number} [seq]
 * @property {string} [cid]
 * @property {boolean} [replay]
 * @property {ImageField} [image]
 * @property {string} [resume]
 * @property {string} [conversationId]
 * @property {number} [position]
 * @property {boolean} [recovered]
 * @property {number} [unread]
 * @property {string} [agent]
 * @property {string} [customer]
 * @property {string} [peer]
 * @property {string} [avatar]
 * @property {string} [transferredFrom]
 * @property {string} [transferredTo]
 * @property {number} [score]
 * @property {boolean} [matched]
 * @property {string} [fallback] the FAQ's fallback of an unmatched `bot` answer, without the server's framing
 * @property {number} [startedAt]
 * @property {number} [waitedMs]
 * @property {string} [comment]
 * @property {number} [waiting]
 * @property {number} [online]
 * @property {AgentPresence[]} [agents]
 * @property {string} [to]
 * @property {number} [agentsOnline]
 * @property {boolean} [live]
 * @property {OfflineMessage[]} [offlineMessages]
 * @property {BotExchange[]} [botExchanges]
 * @property {string} [visitorId]
 * @property {string} [email] customer_entered: the customer's e-mail (the site's, with `verified`)
 * @property {boolean} [verified] customer_entered: the embedding site signed the customer's identity
 * @property {boolean} [closed]
 * @property {number} [opensAt]
 * @property {string} [status]
 * @property {number} [capacity]
 * @property {boolean} [resolved]
 * @property {InboxConversation[]} [conversations]
 * @property {QueuedCustomer[]} [queue]
 */

/** @typedef {Record<string, unknown>} Loose */

const STRINGS = [
  'event',
  'error',
  'cid',
  'resume',
  'conversationId',
  'agent',
  'customer',
  'peer',
  'avatar',
  'transferredFrom',
  'transferredTo',
  'fallback',
  'comment',
  'to',
  'visitorId',
  'status',
  'email',
];
const NUMBERS = ['ts', 'id', 'seq', 'position', 'unread', 'startedAt', 'waitedMs', 'waiting', 'online', 'agentsOnline', 'capacity', 'opensAt', 'score'];
const BOOLEANS = ['replay', 'recovered', 'live', 'resolved', 'closed', 'matched', 'verified'];

/**
 * @param {unknown} v
 * @returns {v is Loose}
 */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @param {unknown} v */
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * Copies the listed fields of `from` that have the type `check` wants.
 * @param {Loose} from
 * @param {Loose} to
 * @param {string[]} names
 * @param {(v: unknown) => boolean} check
 */
function copy(from, to, names, check) {
  for (const name of names) if (check(from[name])) to[name] = from[name];
}

/**
 * @param {unknown} raw
 * @returns {ImageField | undefined}
 */
function readImage(raw) {
  if (!isObject(raw) || typeof raw.url !== 'string') return undefined;
  /** @type {ImageField} */
  const image = { url: raw.url };
  if (isNumber(raw.width)) image.width = /** @type {number} */ (raw.width);
  if (isNumber(raw.height)) image.height = /** @type {number} */ (raw.height);
  return image;
}

/**
 * The items of an array that `read` accepts (an absent or malformed list is empty).
 * @template T
 * @param {unknown} raw
 * @param {(item: Loose) => T | null} read
 * @returns {T[]}
 */
function readList(raw, read) {
  /** @type {T[]} */
  const out = [];
  if (!Array.isArray(raw)) return out;
  for (const item of raw) {
    const value = isObject(item) ? read(item) : null;
    if (value !== null) out.push(value);
  }
  return out;
}

/** @type {(a: Loose) => AgentPresence | null} */
const readAgent = (a) =>
  typeof a.name === 'string' && (a.state === 'free' || a.state === 'serving' || a.state === 'away')
    ? {
        name: a.name,
        state: a.state,
        ...(typeof a.avatar === 'string' ? { avatar: a.avatar } : {}),
        ...(a.status === 'online' || a.status === 'away' ? { status: a.status } : {}),
        ...(isNumber(a.chats) ? { chats: /** @type {number} */ (a.chats) } : {}),
        ...(isNumber(a.capacity) ? { capacity: /** @type {number} */ (a.capacity) } : {}),
      }
    : null;

/** @type {(c: Loose) => InboxConversation | null} */
const readInboxConversation = (c) =>
  typeof c.conversationId === 'string' && typeof c.customer === 'string'
    ? {
        conversationId: c.conversationId,
        customer: c.customer,
        away: c.away === true,
        ...(typeof c.avatar === 'string' ? { avatar: c.avatar } : {}),
        ...(isNumber(c.startedAt) ? { startedAt: /** @type {number} */ (c.startedAt) } : {}),
        ...(isNumber(c.waitedMs) ? { waitedMs: /** @type {number} */ (c.waitedMs) } : {}),
        ...(typeof c.visitorId === 'string' ? { visitorId: c.visitorId } : {}),
        ...(typeof c.email === 'string' ? { email: c.email } : {}),
        ...(c.verified === true ? { verified: true } : {}),
      }
    : null;

/** @type {(q: Loose) => QueuedCustomer | null} */
const readQueued = (q) =>
  typeof q.customer === 'string' && isNumber(q.position) ? { customer: q.customer, position: /** @type {number} */ (q.position) } : null;

/** @type {(m: Loose) => OfflineMessage | null} */
const readOfflineMessage = (m) =>
  isNumber(m.id) && typeof m.name === 'string' && typeof m.contact === 'string' && typeof m.content === 'string'
    ? {
        id: /** @type {number} */ (m.id),
        name: m.name,
        contact: m.contact,
        content: m.content,
        ...(isNumber(m.createdAt) ? { createdAt: /** @type {number} */ (m.createdAt) } : {}),
      }
    : null;

/** @type {(e: Loose) => BotExchange | null} */
const readExchange = (e) =>
  typeof e.question === 'string' && typeof e.answer === 'string'
    ? { question: e.question, answer: e.answer, ...(isNumber(e.ts) ? { ts: /** @type {number} */ (e.ts) } : {}) }
    : null;

/**
 * A frame from a parsed JSON value, or null when it is not an object. Fields of the wrong type
 * are left out, as if the server had not sent them.
 * @param {unknown} raw
 * @returns {ServerFrame | null}
 */
export function readFrame(raw) {
  if (!isObject(raw)) return null;
  /** @type {Loose} */
  const f = {
    type: typeof raw.type === 'string' ? raw.type : '',
    neiRong: typeof raw.neiRong === 'string' ? raw.neiRong : '',
    shuiFaDe: typeof raw.shuiFaDe === 'string' ? raw.shuiFaDe : '',
  };
  copy(raw, f, STRINGS, (v) => typeof v === 'string');
  copy(raw, f, NUMBERS, isNumber);
  copy(raw, f, BOOLEANS, (v) => typeof v === 'boolean');
  if (raw.role === 'kefu' || raw.role === 'yonghu') f.role = raw.role;
  const image = readImage(raw.image);
  if (image) f.image = image;
  if (raw.agents !== undefined) f.agents = readList(raw.agents, readAgent);
  if (raw.offlineMessages !== undefined) f.offlineMessages = readList(raw.offlineMessages, readOfflineMessage);
  if (raw.botExchanges !== undefined) f.botExchanges = readList(raw.botExchanges, readExchange);
  if (raw.conversations !== undefined) f.conversations = readList(raw.conversations, readInboxConversation);
  if (raw.queue !== undefined) f.queue = readList(raw.queue, readQueued);
  // Every field above was checked against ServerFrame's type as it was copied.
  return /** @type {ServerFrame} */ (/** @type {unknown} */ (f));
}

/**
 * A stored message from the transcripts API (GET …/messages) as the message frame it was, so
 * a reloaded history goes through the same path as live messages.
 * @param {unknown} m
 * @returns {ServerFrame | null}
 */
export function messageFromHistory(m) {
  if (!isObject(m)) return null;
  return readFrame({ type: 'message', neiRong: m.content, shuiFaDe: m.sender, role: m.role, ts: m.ts, seq: m.seq, cid: m.cid, image: m.image });
}
