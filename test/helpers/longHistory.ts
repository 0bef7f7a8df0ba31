import { expect } from 'vitest';
import type { Frame, TestClient } from './client.js';

/** How many messages a long history has here: the replay limit's default. */
export const HISTORY_MESSAGES = 1000;

/**
 * Characters in a long message (servers for these tests allow it: MAX_MESSAGE_CHARS). The kernel
 * buffers of a loopback connection take about 6 MB, far more than a real link's: texts this long
 * make the history twice that, so a server that sent it in one burst would cut even a reader on
 * loopback.
 */
export const LONG_MESSAGE_CHARS = 4000;

/** Each wait may be long: these tests move megabytes on a machine other tests share. */
export const PATIENCE_MS = 30_000;

/** A long message (about 12 KB on the wire), numbered so order shows. */
export const longMessage = (i: number): string => `${String(i).padStart(4, '0')}${'长'.repeat(LONG_MESSAGE_CHARS - 4)}`;

/** Messages written before waiting for their acks: echoes and relays stay far below the send bound. */
const WRITE_BATCH = 50;

/** Sends HISTORY_MESSAGES long messages, a batch at a time, and waits for the last ack. */
export async function writeLongHistory(from: TestClient, cidPrefix: string): Promise<void> {
  for (let i = 0; i < HISTORY_MESSAGES; i++) {
    from.send(longMessage(i), { cid: `${cidPrefix}${i}` });
    if (i % WRITE_BATCH === WRITE_BATCH - 1 || i === HISTORY_MESSAGES - 1) {
      await from.nextMatching((f) => f.cid === `${cidPrefix}${i}`, PATIENCE_MS);
    }
  }
}

/** The message frames received: the long history first, each whole and in seq order, then `live`. */
export function expectHistoryThenLive(frames: Frame[], live: string): void {
  const messages = frames.filter((f) => f.type === 'message');
  expect(messages.map((f) => f.seq)).toEqual(Array.from({ length: HISTORY_MESSAGES + 1 }, (_, i) => i + 1));
  const wrong = messages.slice(0, HISTORY_MESSAGES).findIndex((f, i) => f.neiRong !== longMessage(i) || f.replay !== true);
  expect(wrong).toBe(-1);
  expect(messages[HISTORY_MESSAGES]).toMatchObject({ neiRong: live });
  expect(messages[HISTORY_MESSAGES]?.replay).toBeUndefined();
}
