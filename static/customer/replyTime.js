// @ts-check
// "Usually replies in about 2 minutes" in the widget's header, before and while waiting: from the
// server's median first response (GET /api/widget), rounded as people say it, in the page's
// language. Nothing is shown when the server has nothing to say (no recent replies, nobody online).
import { byId } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { langTag as locale } from '../lib/i18n.js';
import { widgetSettings } from './widgetSettings.js';

/**
 * The expected reply time as a phrase: under a minute, whole minutes, whole hours, whole days.
 * @param {number} seconds
 */
export function replyTimeText(seconds) {
  if (seconds < 60) return t('replyTimeSoon');
  // Rounded in the unit people would use: 59.9 minutes is "1 hour", not "60 minutes".
  const minutes = Math.round(seconds / 60);
  const hours = Math.round(seconds / 3600);
  /** @type {[Intl.NumberFormatOptions['unit'], number]} */
  const [unit, n] = minutes < 60 ? ['minute', minutes] : hours < 24 ? ['hour', hours] : ['day', Math.round(seconds / 86_400)];
  return t('replyTime', new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(n));
}

/** The line in the header; the page hides it once an agent is there. */
export class ReplyTimeLine {
  #node = byId('replyTime', HTMLElement);
  /** @type {string} */
  #text = '';
  #wanted = true;

  constructor() {
    void widgetSettings().then((s) => {
      this.#text = s.replyTimeS === null || s.hours?.open === false ? '' : replyTimeText(s.replyTimeS);
      this.show(this.#wanted);
    });
  }

  /** @param {boolean} on false once an agent serves the visitor */
  show(on) {
    this.#wanted = on;
    this.#node.textContent = this.#text;
    this.#node.hidden = !on || this.#text === '';
  }
}
