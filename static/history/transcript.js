// @ts-check
// A conversation read-only: its messages in order, each with who sent it and when; the ones a
// search found are outlined, with the hit marked. Text goes in as text, images by their signed URL.
import { dateTime } from '../account/page.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { highlighted } from './highlight.js';

/** @import { Message } from './api.js' */

/**
 * Fills `list` with the messages.
 * @param {HTMLOListElement} list
 * @param {Message[]} messages
 * @param {string} query the searched text ('' when none)
 */
export function showTranscript(list, messages, query) {
  list.replaceChildren();
  for (const m of messages) {
    const line = el('li', `line ${m.role === 'kefu' ? 'kefu' : 'yonghu'}`);
    line.dataset.seq = String(m.seq);
    line.append(el('div', 'line-head', `${m.sender} · ${dateTime(m.ts)}`));
    const body = el('div', 'line-body');
    const url = m.image?.url;
    if (typeof url === 'string' && url.startsWith('/')) {
      const img = el('img');
      img.src = url;
      img.alt = t('history.image');
      body.append(img);
    } else {
      body.append(highlighted(m.content, query));
      if (query !== '' && body.querySelector('mark')) line.classList.add('hit');
    }
    line.append(body);
    list.append(line);
  }
}
