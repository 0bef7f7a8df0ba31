// @ts-check
// Business hours as the visitor reads them: the next opening and the coming week's openings in
// the visitor's own time zone and the page's language (Intl), with the team's zone named.
import { byId, el } from '../lib/dom.js';
import { langTag as locale, t } from '../lib/i18n.js';

/** @import { Hours } from './widgetSettings.js' */
/** @import { ServerFrame } from '../lib/frames.js' */

/**
 * An opening as "Monday 09:00" in the visitor's zone.
 * @param {number} at
 */
export function openingText(at) {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', hour: '2-digit', minute: '2-digit' }).format(at);
}

/**
 * The bot's fallback after closing time, as the page says it: "we are closed, back at …" in the
 * visitor's zone; null for any other bot frame.
 * @param {ServerFrame} f a bot frame
 * @returns {string | null}
 */
export function closedLine(f) {
  if (!f.closed || f.matched !== false) return null;
  return typeof f.opensAt === 'number' ? t('botClosed', openingText(f.opensAt)) : t('botClosedNoOpening');
}

/** The card on the start form that says the team is closed, and when it is there. */
export class HoursCard {
  #ui = {
    card: byId('hoursCard', HTMLElement),
    back: byId('hoursBack', HTMLElement),
    list: byId('hoursList', HTMLElement),
    zone: byId('hoursZone', HTMLElement),
  };

  /** @param {Hours | null} hours shown when closed; null or open hides the card */
  show(hours) {
    const ui = this.#ui;
    ui.card.hidden = hours === null || hours.open;
    if (hours === null || hours.open) return;
    ui.back.textContent = hours.opensAt === null ? '' : t('hoursBackAt', openingText(hours.opensAt));
    const range = new Intl.DateTimeFormat(locale, { weekday: 'short', hour: '2-digit', minute: '2-digit' });
    ui.list.replaceChildren(...hours.periods.map((p) => el('li', '', range.formatRange(p.opensAt, p.closesAt))));
    const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
    ui.zone.textContent = hours.timeZone === '' ? '' : own === hours.timeZone ? t('hoursSameZone', hours.timeZone) : t('hoursTeamZone', own, hours.timeZone);
  }
}
