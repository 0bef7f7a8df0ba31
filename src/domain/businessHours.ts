/**
 * Business hours: the team's weekly opening times in its own time zone, and whether the team is
 * open at an instant. Wall times are turned into instants through Intl, so a clock change (a
 * Europe/Berlin spring night) moves an opening by the hour the clocks moved, as people expect.
 */

/** Day names as written in BUSINESS_HOURS, Monday first. */
export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One opening on a day: minutes after that day's midnight; `to` past 1440 runs into the next day. */
export interface DailyOpening {
  from: number;
  to: number;
}

/** The team's hours: a time zone (IANA) and, per day (Monday first), its openings. */
export interface BusinessHours {
  timeZone: string;
  /** Seven lists, Monday first, each sorted by `from`. */
  week: DailyOpening[][];
}

/** A stretch of time the team is open, in ms since the epoch. */
export interface OpenPeriod {
  opensAt: number;
  closesAt: number;
}

/** Open now, or closed with the next opening (null when the schedule never opens). */
export type OpeningState = { open: true; closesAt: number } | { open: false; opensAt: number | null };

const MINUTES_PER_DAY = 24 * 60;

/** True when Intl knows this IANA time zone (`Asia/Shanghai`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** `HH:MM` as minutes after midnight; 24:00 is the end of the day. */
function minutesOf(text: string): number | undefined {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return undefined;
  return h * 60 + min;
}

/** The days a `mon-fri`, `sat` or `fri-mon` (wrapping past Sunday) names, as indexes into DAY_NAMES. */
function daysOf(text: string): number[] | undefined {
  const [first, last = first] = text.split('-');
  const a = DAY_NAMES.indexOf(first as (typeof DAY_NAMES)[number]);
  const b = DAY_NAMES.indexOf(last as (typeof DAY_NAMES)[number]);
  if (a === -1 || b === -1 || text.split('-').length > 2) return undefined;
  const days: number[] = [];
  for (let d = a; ; d = (d + 1) % 7) {
    days.push(d);
    if (d === b) return days;
  }
}

/**
 * Parses a weekly schedule such as `mon-fri 09:00-18:00; sat 10:00-14:00`: groups separated by
 * `;`, each days (one day or a range) then one or more `HH:MM-HH:MM` separated by `,`. An
 * opening whose end is not after its start runs past midnight (`fri 22:00-02:00` closes on
 * Saturday at two). Returns the seven days' openings, or the reason the text is not a schedule.
 */
export function parseWeeklyHours(text: string): { ok: true; week: DailyOpening[][] } | { ok: false; reason: string } {
  const week: DailyOpening[][] = DAY_NAMES.map(() => []);
  const groups = text
    .toLowerCase()
    .split(';')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  if (groups.length === 0) return { ok: false, reason: 'no opening hours given' };
  for (const group of groups) {
    const [dayText = '', ...rest] = group.split(/\s+/);
    const days = daysOf(dayText);
    if (days === undefined) return { ok: false, reason: `"${dayText}" is not a day or a range of days (mon, tue, wed, thu, fri, sat, sun)` };
    const ranges = rest.join('').split(',');
    if (rest.length === 0 || ranges.some((r) => r === '')) return { ok: false, reason: `"${group}" gives no HH:MM-HH:MM hours` };
    for (const range of ranges) {
      const [fromText = '', toText = '', extra] = range.split('-');
      const from = minutesOf(fromText);
      const to = minutesOf(toText);
      if (from === undefined || to === undefined || extra !== undefined || from === MINUTES_PER_DAY) {
        return { ok: false, reason: `"${range}" is not HH:MM-HH:MM (00:00 to 24:00)` };
      }
      const opening = { from, to: to > from ? to : to + MINUTES_PER_DAY };
      for (const d of days) week[d]?.push(opening);
    }
  }
  for (const day of week) day.sort((x, y) => x.from - y.from);
  return { ok: true, week };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of a zone at an instant: date, weekday (Monday 0) and offset from UTC. */
function wallClock(zone: string, at: number): { year: number; month: number; day: number; weekday: number; offsetMs: number } {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const [year = 0, month = 1, day = 1] = [parts.year, parts.month, parts.day];
  const wall = Date.UTC(year, month - 1, day, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
  const whole = at - (((at % 1000) + 1000) % 1000);
  return { year, month, day, weekday: (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7, offsetMs: wall - whole };
}

/**
 * The instant a zone's clocks show `minutes` after midnight of a date (minutes may run past the
 * day). A wall time the clocks skip (spring forward) is the instant they jump, when the hour
 * begins that contains it; one they show twice (fall back) is the first.
 */
function instantOf(zone: string, year: number, month: number, day: number, minutes: number): number {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  const before = wallClock(zone, naive - 36 * 3600_000).offsetMs;
  const after = wallClock(zone, naive + 36 * 3600_000).offsetMs;
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const t = naive - offset;
    if (wallClock(zone, t).offsetMs === offset) return t;
  }
  // In the gap: the clocks jump between these two instants; find the jump to the second.
  let lo = naive - Math.max(before, after);
  let hi = naive - Math.min(before, after);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (wallClock(zone, mid).offsetMs === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The periods the team is open that end after `from` and start before `to` (at most a few
 * weeks apart), oldest first; openings that meet (a night across midnight, split by day) are one.
 */
export function openPeriods(hours: BusinessHours, from: number, to: number): OpenPeriod[] {
  const start = wallClock(hours.timeZone, from);
  const periods: OpenPeriod[] = [];
  const days = Math.ceil((to - from) / 86_400_000) + 2;
  // From yesterday: an opening that began yesterday evening may still run.
  for (let offset = -1; offset <= days; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const weekday = (date.getUTCDay() + 6) % 7;
    const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    for (const opening of hours.week[weekday] ?? []) {
      const period = { opensAt: instantOf(hours.timeZone, y, m, d, opening.from), closesAt: instantOf(hours.timeZone, y, m, d, opening.to) };
      if (period.closesAt <= from || period.opensAt >= to || period.closesAt <= period.opensAt) continue;
      const last = periods[periods.length - 1];
      if (last !== undefined && period.opensAt <= last.closesAt) last.closesAt = Math.max(last.closesAt, period.closesAt);
      else periods.push(period);
    }
  }
  return periods.sort((a, b) => a.opensAt - b.opensAt);
}

/** Open at this instant (with when it closes), or closed with the next opening within a week. */
export function openingState(hours: BusinessHours, at: number): OpeningState {
  const periods = openPeriods(hours, at, at + 8 * 86_400_000);
  const now = periods.find((p) => p.opensAt <= at && at < p.closesAt);
  if (now !== undefined) return { open: true, closesAt: now.closesAt };
  const next = periods.find((p) => p.opensAt > at);
  return { open: false, opensAt: next?.opensAt ?? null };
}
