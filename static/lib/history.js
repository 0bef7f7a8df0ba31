// @ts-check
// The whole conversation again, over HTTP: when a resume could not replay what was missed (the
// server says `recovered: false`), the page loads the transcript instead.
import { messageFromHistory } from './frames.js';
import { bearer, requestJson } from './http.js';

/** @import { MessageList } from './messageList.js' */

/** As many messages as the page shows after such a resume. */
const HISTORY_LIMIT = 200;

/**
 * Replaces the list's content with the conversation's stored messages.
 * @param {MessageList} list
 * @param {string} path the transcript endpoint (the agent's by conversation, or the customer's /api/me)
 * @param {string} token
 */
export async function reloadHistory(list, path, token) {
  try {
    const { status, body } = await requestJson(`${path}?limit=${HISTORY_LIMIT}`, { headers: bearer(token) });
    if (status < 200 || status > 299 || !Array.isArray(body?.messages)) return;
    list.clear();
    for (const m of body.messages) {
      const frame = messageFromHistory(m);
      if (frame) list.message(frame);
    }
  } catch {
    /* the live conversation goes on; only the backlog is missing */
  }
}
