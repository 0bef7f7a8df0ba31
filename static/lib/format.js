// @ts-check
// Times, durations and sizes as people read them, in the page's locale (Intl).
import { el } from './dom.js';
import { langTag } from './i18n.js';

const clock = new Intl.DateTimeFormat(langTag, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(langTag, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const full = new Intl.DateTimeFormat(langTag, { dateStyle: 'medium', timeStyle: 'medium' });
const unitLong = (/** @type {string} */ unit) => new Intl.NumberFormat(langTag, { style: 'unit', unit, unitDisplay: 'long' });
const seconds = unitLong('second');
const minutes = unitLong('minute');
const units = new Intl.ListFormat(langTag, { type: 'unit', style: 'long' });
const decimal = new Intl.NumberFormat(langTag, { maximumFractionDigits: 1 });

/**
 * The time of day for today, the day and time for an older message (a resumed conversation).
 * @param {number} [ts]
 */
export function clockTime(ts) {
  const d = new Date(typeof ts === 'number' ? ts : Date.now());
  return d.toDateString() === new Date().toDateString() ? clock.format(d) : dayAndClock.format(d);
}

/**
 * A date and time in full (a history list, an audit log); '' for a missing one.
 * @param {unknown} ts
 */
export function dateTime(ts) {
  return typeof ts === 'number' && Number.isFinite(ts) ? full.format(ts) : '';
}

/**
 * A <time> showing clockTime, with the full date and time on hover.
 * @param {number} [ts]
 */
export function timeElement(ts) {
  const d = new Date(typeof ts === 'number' ? ts : Date.now());
  const node = el('time', 'time', clockTime(d.getTime()));
  node.dateTime = d.toISOString();
  node.title = full.format(d);
  return node;
}

/**
 * A wait as people say it: seconds under a minute, else minutes and seconds.
 * @param {number} ms
 */
export function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return seconds.format(total);
  return units.format([minutes.format(Math.floor(total / 60)), seconds.format(total % 60)]);
}

/**
 * A file size: MB with one decimal from 1 MiB up, else whole KB (at least 1).
 * @param {number} bytes
 */
export function sizeText(bytes) {
  // KB and MB are what file dialogs say in either language (Intl would write kB).
  return bytes >= 1024 * 1024 ? `${decimal.format(bytes / 1024 / 1024)} MB` : `${decimal.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
}
