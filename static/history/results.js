// @ts-check
// One listed conversation: who, when, its rating, and the messages that hold the searched text
// with the hit marked. Opening it goes through the address (#c=ID), so the browser's back
// button and a shared link work alike.
import { dateTime } from '../account/page.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { highlighted } from './highlight.js';

/** @import { Conversation } from './api.js' */

/**
 * @param {Conversation} c
 * @param {string} query the searched text ('' when none)
 * @returns {HTMLLIElement}
 */
export function resultItem(c, query) {
  const item = el('li');
  const link = el('a', 'result');
  link.href = `#c=${encodeURIComponent(c.id)}`;
  link.dataset.id = c.id;
  const head = el('div', 'result-head');
  head.append(el('span', 'who', c.customer), el('span', 'meta', t('history.withAgent', c.agent)), el('span', 'meta', dateTime(c.startedAt)));
  head.append(el('span', 'meta', c.endedAt === null ? t('history.open') : t('history.ended')));
  if (typeof c.messageCount === 'number') head.append(el('span', 'meta', t('history.messages', c.messageCount)));
  if (c.rating && typeof c.rating.score === 'number') head.append(el('span', 'meta', `${'★'.repeat(c.rating.score)} ${t('history.stars', c.rating.score)}`));
  link.append(head);
  for (const m of c.matches ?? []) {
    if (typeof m.snippet !== 'string') continue;
    const line = el('p', 'snippet');
    line.append(el('span', 'by', `${m.sender}:`), highlighted(m.snippet, query));
    link.append(line);
  }
  item.append(link);
  return item;
}
