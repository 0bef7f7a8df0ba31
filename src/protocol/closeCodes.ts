/**
 * WebSocket close codes the server uses. 1xxx are RFC 6455's; 4xxx are ours and mirror the
 * HTTP status a browser user would recognise (400, 401, 409) so they read well in logs.
 */
export const CloseCode = {
  /** Normal end: the customer's room was closed because the agent left. */
  NORMAL: 1000,
  /** Server shutting down for a restart; clients should reconnect. */
  RESTART: 1012,
  /** A backing service (Redis, Postgres) is down; reconnect later. */
  TRY_AGAIN_LATER: 1013,
  /** A frame that breaks RFC 6455's framing, e.g. an unmasked one (sent by ws itself). */
  PROTOCOL_ERROR: 1002,
  /** A binary frame: the protocol is JSON text only. */
  UNSUPPORTED_DATA: 1003,
  /** A text frame that is not valid UTF-8 (sent by ws itself). */
  INVALID_PAYLOAD: 1007,
  /** Sustained abuse after rate limiting; also ws's answer to a message in too many fragments. */
  POLICY_VIOLATION: 1008,
  /** Frame larger than the payload limit (sent by ws itself through maxPayload). */
  MESSAGE_TOO_BIG: 1009,
  /** Unknown or missing type, missing or invalid name. */
  BAD_REQUEST: 4400,
  /**
   * An agent with no valid session (not signed in, or signed out) or a wrong agent key; missing,
   * unknown, expired, reused or foreign ticket; bad resume token.
   */
  UNAUTHORIZED: 4401,
  /**
   * The agent's access ended while connected: their account was disabled, their session signed
   * out (here or everywhere) or their password reset. Their customer was handed back to the head
   * of the queue; connecting again needs a new sign-in.
   */
  REVOKED: 4403,
  /** A newer connection with the same resume token took over (a reloaded page). */
  REPLACED: 4002,
  /** Too slow reading: the send buffer passed its bound. */
  SLOW_CONSUMER: 4008,
  /** An agent with this name is already online. */
  NAME_TAKEN: 4409,
  /** A queue ticket used after the queue filled up (between /getroom and connecting): ask again later. */
  QUEUE_FULL: 4429,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
