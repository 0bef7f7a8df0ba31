// @ts-check
// What GET /api/widget says, read once per page: the pre-chat form's fields, the business hours
// and the expected reply time. A page that cannot read it behaves as before (name only, open).

/**
 * @typedef {'off' | 'optional' | 'required'} PrechatField
 * @typedef {{ opensAt: number, closesAt: number }} OpenPeriod
 * @typedef {{ timeZone: string, open: boolean, opensAt: number | null, periods: OpenPeriod[] }} Hours
 * @typedef {object} WidgetSettings
 * @property {{ email: PrechatField, question: PrechatField }} prechat
 * @property {Hours | null} hours null: always open
 * @property {number | null} replyTimeS the usual first reply, in seconds; null: nothing to say
 */

/** @type {Promise<WidgetSettings> | undefined} */
let loaded;

/** @param {unknown} v @returns {PrechatField} */
const field = (v) => (v === 'optional' || v === 'required' ? v : 'off');
/** @param {unknown} v @returns {v is number} */
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * @param {unknown} raw
 * @returns {Hours | null}
 */
function readHours(raw) {
  if (typeof raw !== 'object' || raw === null) return null;
  const h = /** @type {Record<string, unknown>} */ (raw);
  if (typeof h.timeZone !== 'string' || typeof h.open !== 'boolean') return null;
  const periods = Array.isArray(h.periods)
    ? h.periods.flatMap((p) =>
        typeof p === 'object' && p !== null && isNumber(p.opensAt) && isNumber(p.closesAt) ? [{ opensAt: p.opensAt, closesAt: p.closesAt }] : [],
      )
    : [];
  return { timeZone: h.timeZone, open: h.open, opensAt: isNumber(h.opensAt) ? h.opensAt : null, periods };
}

/**
 * The settings, fetched on the first call.
 * @returns {Promise<WidgetSettings>}
 */
export function widgetSettings() {
  loaded ??= fetch('/api/widget', { cache: 'no-store' })
    .then((r) => r.json())
    .catch(() => ({}))
    .then((/** @type {unknown} */ body) => {
      const b = typeof body === 'object' && body !== null ? /** @type {Record<string, unknown>} */ (body) : {};
      const p = typeof b.prechat === 'object' && b.prechat !== null ? /** @type {Record<string, unknown>} */ (b.prechat) : {};
      return {
        prechat: { email: field(p.email), question: field(p.question) },
        hours: readHours(b.hours),
        replyTimeS: isNumber(b.replyTimeS) ? b.replyTimeS : null,
      };
    });
  return loaded;
}
