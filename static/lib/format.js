// @ts-check
// Times, durations and sizes as people read them.
import { el } from './dom.js';
import { t } from './i18n.js';

/** @param {number} n */
const pad = (n) => String(n).padStart(2, '0');

/**
 * HH:MM for today, MM-DD HH:MM for an older message (a resumed conversation).
 * @param {number} [ts]
 */
export function clockTime(ts) {
  const d = new Date(typeof ts === 'number' ? ts : Date.now());
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.toDateString() === new Date().toDateString() ? hm : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/**
 * A <time> showing clockTime, with the full date and time on hover.
 * @param {number} [ts]
 */
export function timeElement(ts) {
  const d = new Date(typeof ts === 'number' ? ts : Date.now());
  const node = el('time', 'time', clockTime(d.getTime()));
  node.dateTime = d.toISOString();
  node.title = d.toLocaleString();
  return node;
}

/**
 * A wait as people say it: seconds under a minute, else minutes and seconds.
 * @param {number} ms
 */
export function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  return total < 60 ? t('seconds', total) : t('minutes', Math.floor(total / 60), total % 60);
}

/**
 * A file size: MB with one decimal from 1 MiB up, else whole KB (at least 1).
 * @param {number} bytes
 */
export function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
