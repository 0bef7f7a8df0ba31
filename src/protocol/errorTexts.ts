import { FrameError, type FrameErrorCode } from './errorCodes.js';
import { notices } from './notices.js';

/**
 * The readable text sent with each frame error, whether the gateway rejected the frame or the
 * broker refused it: one table, so a new error code gets its text in one place. `too_long` is
 * not here: its text names the configured limit (notices.tooLong).
 */
export const FRAME_ERROR_TEXT: Record<Exclude<FrameErrorCode, typeof FrameError.TOO_LONG>, string> = {
  [FrameError.BAD_FRAME]: notices.badFrame,
  [FrameError.EMPTY]: notices.empty,
  [FrameError.BAD_CID]: notices.badCid,
  [FrameError.NOT_IN_ROOM]: notices.notInRoom,
  [FrameError.STORE_FAILED]: notices.storeFailed,
  [FrameError.UNAVAILABLE]: notices.unavailable,
  [FrameError.RATE_LIMITED]: notices.rateLimited,
  [FrameError.UNKNOWN_TYPE]: notices.unknownType,
  [FrameError.BAD_TARGET]: notices.badTarget,
  [FrameError.AGENTS_ONLY]: notices.agentsOnly,
  [FrameError.AGENT_UNAVAILABLE]: notices.agentUnavailable,
  [FrameError.NO_CUSTOMER]: notices.noCustomer,
  [FrameError.CUSTOMER_AWAY]: notices.customerAway,
  [FrameError.BAD_IMAGE]: notices.badImage,
  [FrameError.BAD_CHAR]: notices.badChar,
  [FrameError.CONVERSATION_REQUIRED]: notices.conversationRequired,
  [FrameError.UNKNOWN_CONVERSATION]: notices.unknownConversation,
  [FrameError.BAD_STATUS]: notices.badStatus,
};
