/**
 * Values of the `error` field on a 系统 frame that rejects one client frame. The connection
 * stays open; nothing was relayed.
 */
export const FrameError = {
  /** Not JSON, not an object, or neiRong missing / not a string. */
  BAD_FRAME: 'bad_frame',
  /** neiRong is empty or only white space. */
  EMPTY: 'empty',
  /** neiRong longer than the character limit. */
  TOO_LONG: 'too_long',
  /** cid present but not a string of 1-64 characters. */
  BAD_CID: 'bad_cid',
  /** A waiting customer wrote before an agent took them: nothing to deliver to yet. */
  NOT_IN_ROOM: 'not_in_room',
  /** The message could not be stored; it was not acked and not relayed: resend it. */
  STORE_FAILED: 'store_failed',
  /** The registry (Redis) did not answer: nothing was stored or relayed; resend later. */
  UNAVAILABLE: 'unavailable',
  /** Over the per-connection rate. */
  RATE_LIMITED: 'rate_limited',
  /** `type` is not one the server knows (message, typing, team, transfer). */
  UNKNOWN_TYPE: 'unknown_type',
  /** `to` is not a valid agent name. */
  BAD_TARGET: 'bad_target',
  /** Team frames and transfers are for agents only. */
  AGENTS_ONLY: 'agents_only',
  /** The named agent is not online (team note) or not free (transfer). */
  AGENT_UNAVAILABLE: 'agent_unavailable',
  /** A transfer with no customer in the room. */
  NO_CUSTOMER: 'no_customer',
} as const;

export type FrameErrorCode = (typeof FrameError)[keyof typeof FrameError];

/** Error codes in the JSON body of a rejected HTTP request. */
export const HttpError = {
  BAD_NAME: 'bad_name',
  BAD_QUERY: 'bad_query',
  UNAUTHORIZED: 'unauthorized',
  NOT_FOUND: 'not_found',
  /** The body is not JSON, not an object, or not of the expected shape. */
  BAD_JSON: 'bad_json',
  /** An offline message's contact is missing or neither an e-mail address nor a phone number. */
  BAD_CONTACT: 'bad_contact',
  /** An offline message with no text. */
  EMPTY: 'empty',
  /** An offline message over its length limit. */
  TOO_LONG: 'too_long',
  /** The body is over the size limit. */
  TOO_LARGE: 'too_large',
  /** Too many offline messages from one address: try later (429, with Retry-After). */
  RATE_LIMITED: 'rate_limited',
} as const;

export type HttpErrorCode = (typeof HttpError)[keyof typeof HttpError];
