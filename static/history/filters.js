// @ts-check
// The filter form as the query string of GET /api/conversations: text, agent, a date range
// (local days: from the first day's midnight to the midnight after the last), rating, status.
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/**
 * The form's fields.
 * @typedef {object} FilterFields
 * @property {HTMLInputElement} q
 * @property {HTMLSelectElement} agent
 * @property {HTMLInputElement} from
 * @property {HTMLInputElement} to
 * @property {HTMLSelectElement} rating
 * @property {HTMLSelectElement} status
 */

/**
 * Adds an option.
 * @param {HTMLSelectElement} select
 * @param {string} value
 * @param {string} text
 */
export function addOption(select, value, text) {
  const option = el('option', undefined, text);
  option.value = value;
  select.append(option);
}

/**
 * Fills the fixed choices: any rating or 5 down to 1 stars, any status, open or ended.
 * @param {FilterFields} f
 */
export function fillChoices(f) {
  addOption(f.agent, '', t('history.anyAgent'));
  addOption(f.rating, '', t('history.anyRating'));
  for (let score = 5; score >= 1; score--) addOption(f.rating, String(score), t('history.stars', score));
  addOption(f.status, '', t('history.anyStatus'));
  addOption(f.status, 'open', t('history.open'));
  addOption(f.status, 'ended', t('history.ended'));
}

/**
 * A local date (YYYY-MM-DD) as ms since the epoch at its midnight, `days` later.
 * @param {string} value
 * @param {number} days
 */
function midnight(value, days) {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, (d ?? 1) + days).getTime();
}

/**
 * The query for the form as filled in, or a text saying what is wrong with it.
 * @param {FilterFields} f
 * @returns {{ ok: true, query: URLSearchParams, text: string } | { ok: false, message: string }}
 */
export function readFilters(f) {
  const query = new URLSearchParams();
  const text = f.q.value.trim();
  if (text !== '') query.set('q', text);
  if (f.agent.value !== '') query.set('agent', f.agent.value);
  const from = f.from.value === '' ? null : midnight(f.from.value, 0);
  const to = f.to.value === '' ? null : midnight(f.to.value, 1);
  if (from !== null && to !== null && from >= to) return { ok: false, message: t('history.badDates') };
  if (from !== null) query.set('from', String(from));
  if (to !== null) query.set('to', String(to));
  if (f.rating.value !== '') query.set('rating', f.rating.value);
  if (f.status.value !== '') query.set('status', f.status.value);
  return { ok: true, query, text };
}
