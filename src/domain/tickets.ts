import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SeatKeys } from '../cluster/roomRegistry.js';
import type { ConversationStore } from '../store/conversationStore.js';

/** A customer's ticket: 144 random bits, URL-safe, unguessable. */
export function newTicket(): string {
  return randomBytes(18).toString('base64url');
}

/** How a resume token is kept: only its hash is stored, so a leaked database resumes nobody. */
export function hashResumeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new conversation's id and the resume token its customer will hold. */
export function mintSeat(): { token: string; keys: SeatKeys } {
  const token = randomBytes(24).toString('base64url');
  return { token, keys: { conversationId: randomUUID(), resumeHash: hashResumeToken(token) } };
}

/**
 * The customer's own open conversation, found by their resume token (never by an id they name):
 * what a customer's bearer token opens in the transcripts and images APIs.
 */
export async function conversationOfToken(conversations: Pick<ConversationStore, 'openConversationByResumeHash'>, token: string): Promise<string | undefined> {
  const c = await conversations.openConversationByResumeHash(hashResumeToken(token));
  return c?.id;
}
