import { CloseCode } from '../../protocol/closeCodes.js';

/**
 * The code ws closes with when it refuses a frame itself (receiver.js): its errors carry that
 * code only under a private symbol, but their `code` names are part of its API.
 */
const CLOSE_CODE_OF: Record<string, number> = {
  WS_ERR_INVALID_UTF8: CloseCode.INVALID_PAYLOAD,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: CloseCode.MESSAGE_TOO_BIG,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: CloseCode.MESSAGE_TOO_BIG,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: CloseCode.POLICY_VIOLATION,
  WS_ERR_INVALID_OPCODE: CloseCode.PROTOCOL_ERROR,
  WS_ERR_EXPECTED_FIN: CloseCode.PROTOCOL_ERROR,
  WS_ERR_EXPECTED_MASK: CloseCode.PROTOCOL_ERROR,
  WS_ERR_UNEXPECTED_MASK: CloseCode.PROTOCOL_ERROR,
  WS_ERR_UNEXPECTED_RSV_1: CloseCode.PROTOCOL_ERROR,
  WS_ERR_UNEXPECTED_RSV_2_3: CloseCode.PROTOCOL_ERROR,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: CloseCode.PROTOCOL_ERROR,
  WS_ERR_INVALID_CLOSE_CODE: CloseCode.PROTOCOL_ERROR,
};

/**
 * The close code a WebSocket's 'error' means the server sent, when ws ended the connection over
 * a frame it refused; undefined for other errors (a socket that failed: nothing was sent).
 */
export function closeCodeOfWsError(err: Error): number | undefined {
  const name = (err as { code?: unknown }).code;
  return typeof name === 'string' && Object.hasOwn(CLOSE_CODE_OF, name) ? CLOSE_CODE_OF[name] : undefined;
}
