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
  /** cid present but not a string of 1-64 characters, or holding U+0000. */
  BAD_CID: 'bad_cid',
  /** A waiting customer wrote before an agent took them: nothing to deliver to yet. */
  NOT_IN_ROOM: 'not_in_room',
  /** The message could not be stored; it was not acked and not relayed: resend it. */
  STORE_FAILED: 'store_failed',
  /** The registry (Redis) did not answer: nothing was stored or relayed; resend later. */
  UNAVAILABLE: 'unavailable',
  /** Over the per-connection rate. */
  RATE_LIMITED: 'rate_limited',
  /** `type` is not one the server knows (message, image, typing, team, transfer, resolve, status). */
  UNKNOWN_TYPE: 'unknown_type',
  /** `to` is not a valid agent name. */
  BAD_TARGET: 'bad_target',
  /** Team frames and transfers are for agents only. */
  AGENTS_ONLY: 'agents_only',
  /** The named agent is not online (team note) or not free (transfer). */
  AGENT_UNAVAILABLE: 'agent_unavailable',
  /** A transfer with no customer in the room. */
  NO_CUSTOMER: 'no_customer',
  /** A hand-back to the queue while the customer is disconnected (a queue place needs a connection). */
  CUSTOMER_AWAY: 'customer_away',
  /** An image frame whose `image` is not the id of an image uploaded into this conversation. */
  BAD_IMAGE: 'bad_image',
  /** neiRong holds U+0000, which no store can be relied on to keep (see protocol/nulChar.ts). */
  BAD_CHAR: 'bad_char',
  /** An agent with several conversations sent a frame that names none (`conversationId`). */
  CONVERSATION_REQUIRED: 'conversation_required',
  /** The frame's `conversationId` is not a conversation seated in the agent's room: nothing stored or relayed. */
  UNKNOWN_CONVERSATION: 'unknown_conversation',
  /** A status frame whose `status` is not `online` or `away`. */
  BAD_STATUS: 'bad_status',
} as const;

export type FrameErrorCode = (typeof FrameError)[keyof typeof FrameError];

/** Error codes in the JSON body of a rejected HTTP request. */
export const HttpError = {
  BAD_NAME: 'bad_name',
  BAD_QUERY: 'bad_query',
  UNAUTHORIZED: 'unauthorized',
  NOT_FOUND: 'not_found',
  /** The request body is not a JSON object. */
  BAD_JSON: 'bad_json',
  /** The request body is over its size limit. */
  TOO_LARGE: 'too_large',
  /** Canned reply: shortcut not 1-32 letters, digits, `_` or `-`. */
  BAD_SHORTCUT: 'bad_shortcut',
  /** Canned reply: title empty, over 60 characters, or with control characters. */
  BAD_TITLE: 'bad_title',
  /** Canned reply: body empty, longer than a message may be, or holding U+0000. */
  BAD_BODY: 'bad_body',
  /** Canned reply: another reply already has this shortcut (409). */
  SHORTCUT_TAKEN: 'shortcut_taken',
  /** Rating: score not an integer from 1 to 5. */
  BAD_SCORE: 'bad_score',
  /** Rating: comment not a string of at most 500 characters, or holding U+0000. */
  BAD_COMMENT: 'bad_comment',
  /** Rating: this conversation has been rated already (409). */
  ALREADY_RATED: 'already_rated',
  /** An upload whose bytes are not a PNG, JPEG, GIF or WebP (415). */
  NOT_AN_IMAGE: 'not_an_image',
  /** An agent's upload names no open conversation (400). */
  NO_CONVERSATION: 'no_conversation',
  /** An image whose header gives no usable width and height, so its pixels cannot be counted (422). */
  NO_DIMENSIONS: 'no_dimensions',
  /** An image whose header claims more pixels than MAX_IMAGE_PIXELS (422, with `maxPixels`). */
  TOO_MANY_PIXELS: 'too_many_pixels',
  /** Too many uploads in progress for this conversation or client address (429, with Retry-After). */
  TOO_MANY_UPLOADS: 'too_many_uploads',
  /** No room left for the image under the conversation's or the server's quota (507, with `quota`). */
  QUOTA_EXCEEDED: 'quota_exceeded',
  /** An offline message's contact is missing or neither an e-mail address nor a phone number. */
  BAD_CONTACT: 'bad_contact',
  /** An offline message with no text. */
  EMPTY: 'empty',
  /** An offline message over its length limit. */
  TOO_LONG: 'too_long',
  /** An offline message whose text holds U+0000 (see protocol/nulChar.ts). */
  BAD_CHAR: 'bad_char',
  /** Too many requests from one client address: try after Retry-After seconds (429). */
  RATE_LIMITED: 'rate_limited',
  /** A POST that parses JSON sent with another Content-Type (415). */
  UNSUPPORTED_MEDIA_TYPE: 'unsupported_media_type',
  /** The request's headers or body did not arrive in time (408; the connection is closed). */
  TIMEOUT: 'timeout',
  /** Bytes the HTTP parser could not read as a request (400; the connection is closed). */
  BAD_REQUEST: 'bad_request',
  /** A WebSocket upgrade from a page on another site (403; no socket is made). */
  FORBIDDEN_ORIGIN: 'forbidden_origin',
  /** Signed in, but the account's role may not do this (403). */
  FORBIDDEN: 'forbidden',
  /** A state-changing request (or a sign-in) that did not come from our own pages (403; see docs/operations.md, CSRF). */
  CROSS_SITE: 'cross_site',
  /** Sign-in refused: one answer for an unknown login, a wrong password, a disabled account or a wrong code (401). */
  BAD_CREDENTIALS: 'bad_credentials',
  /** Too many failed sign-ins for this login or from this address: locked until Retry-After (429). */
  LOCKED_OUT: 'locked_out',
  /** A TOTP code that is not 6 digits, not the current one, or already used (400). */
  BAD_CODE: 'bad_code',
  /** Login not 1-64 of a-z, 0-9, `.`, `_`, `-`, `@`. */
  BAD_LOGIN: 'bad_login',
  /** Password shorter than 10 or longer than 256 characters, or holding U+0000. */
  BAD_PASSWORD: 'bad_password',
  /** The current password given for a change is wrong (403). */
  WRONG_PASSWORD: 'wrong_password',
  /** E-mail address not of the form name@domain. */
  BAD_EMAIL: 'bad_email',
  /** Role not owner, admin or agent. */
  BAD_ROLE: 'bad_role',
  /** maxChats not an integer from 1 to 20. */
  BAD_MAX_CHATS: 'bad_max_chats',
  /** An avatar that is not an id of the built-in set (or null). */
  BAD_AVATAR: 'bad_avatar',
  /** An API token's name not 1-60 characters. */
  BAD_TOKEN_NAME: 'bad_token_name',
  /** Another account has this display name, or one that looks the same (409). */
  NAME_TAKEN: 'name_taken',
  /** Another account has this login (409). */
  LOGIN_TAKEN: 'login_taken',
  /** Another account has this e-mail address (409). */
  EMAIL_TAKEN: 'email_taken',
  /** The change would leave no enabled owner (409). */
  LAST_OWNER: 'last_owner',
  /** A setup, invite or sign-in link (or challenge) that is unknown, used already, or expired (410). */
  BAD_LINK: 'bad_link',
  /** TOTP is already on, or no enrolment is waiting for its code (409). */
  TOTP_STATE: 'totp_state',
  /** A visitor id (`visitor=`) that is not 16-64 of A-Z, a-z, 0-9, `_`, `-`, or given twice (see protocol/visitorId.ts). */
  BAD_VISITOR: 'bad_visitor',
  /** A conversation listing filter out of its range; `message` names it (400). */
  BAD_FILTER: 'bad_filter',
  /** IDENTITY_REQUIRED is on and /getroom came without a signed visitor identity (401). */
  IDENTITY_REQUIRED: 'identity_required',
  /** A visitor identity that is malformed, not signed with WIDGET_SECRET, or expired (403, with `reason`). */
  BAD_IDENTITY: 'bad_identity',
} as const;

export type HttpErrorCode = (typeof HttpError)[keyof typeof HttpError];
