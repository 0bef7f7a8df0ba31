import { describe, expect, it } from 'vitest';
import { isTimeZone, openingState, openPeriods, parseWeeklyHours, type BusinessHours } from '../../src/domain/businessHours.js';

function hours(text: string, timeZone: string): BusinessHours {
  const parsed = parseWeeklyHours(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { timeZone, week: parsed.week };
}

const at = (iso: string): number => Date.parse(iso);

describe('parseWeeklyHours', () => {
  it('reads day ranges, single days and several openings a day', () => {
    const parsed = parseWeeklyHours('mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00');
    expect(parsed.ok && parsed.week.map((d) => d.length)).toEqual([2, 2, 2, 2, 2, 1, 0]);
    expect(parsed.ok && parsed.week[5]).toEqual([{ from: 600, to: 840 }]);
  });

  it('reads a range of days that wraps past Sunday', () => {
    const parsed = parseWeeklyHours('fri-mon 10:00-16:00');
    expect(parsed.ok && parsed.week.map((d) => d.length)).toEqual([1, 0, 0, 0, 1, 1, 1]);
  });

  it('refuses unknown days, bad times and missing hours with the part it could not read', () => {
    expect(parseWeeklyHours('monday 09:00-18:00')).toMatchObject({ ok: false, reason: expect.stringContaining('"monday"') });
    expect(parseWeeklyHours('mon 9:00-18:00')).toMatchObject({ ok: false, reason: expect.stringContaining('"9:00-18:00"') });
    expect(parseWeeklyHours('mon 09:00-25:00')).toMatchObject({ ok: false });
    expect(parseWeeklyHours('mon')).toMatchObject({ ok: false, reason: expect.stringContaining('no HH:MM-HH:MM') });
    expect(parseWeeklyHours(' ; ')).toMatchObject({ ok: false });
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('openingState', () => {
  const shanghai = hours('mon-fri 09:00-18:00; sat 10:00-14:00', 'Asia/Shanghai');

  it('is open during the hours in the team time zone', () => {
    // Wednesday 10:00 in Shanghai is 02:00 UTC.
    expect(openingState(shanghai, at('2026-12-09T02:00:00Z'))).toEqual({ open: true, closesAt: at('2026-12-09T10:00:00Z') });
  });

  it('is closed before the opening and names it', () => {
    // Wednesday 08:59 in Shanghai.
    expect(openingState(shanghai, at('2026-12-09T00:59:00Z'))).toEqual({ open: false, opensAt: at('2026-12-09T01:00:00Z') });
  });

  it('is closed on Saturday afternoon until Monday morning', () => {
    // Saturday 14:00 in Shanghai: the Saturday opening has just ended.
    expect(openingState(shanghai, at('2026-12-12T06:00:00Z'))).toEqual({ open: false, opensAt: at('2026-12-14T01:00:00Z') });
  });

  it('moves the next opening by the hour the clocks moved in a zone with summer time', () => {
    const berlin = hours('mon-fri 09:00-18:00', 'Europe/Berlin');
    // Friday 19:00 CET; the clocks go forward on Sunday, so Monday 09:00 is CEST (UTC+2).
    expect(openingState(berlin, at('2026-03-27T18:00:00Z'))).toEqual({ open: false, opensAt: at('2026-03-30T07:00:00Z') });
    // And back in October: Monday 09:00 is CET (UTC+1) again.
    expect(openingState(berlin, at('2026-10-23T17:00:00Z'))).toEqual({ open: false, opensAt: at('2026-10-26T08:00:00Z') });
  });

  it('opens at the clock change when the opening time is skipped by it', () => {
    const berlin = hours('sun 02:30-04:00', 'Europe/Berlin');
    // 02:30 does not exist on 29 March 2026 in Berlin: the clocks jump from 02:00 to 03:00 (01:00 UTC).
    expect(openingState(berlin, at('2026-03-28T12:00:00Z'))).toEqual({ open: false, opensAt: at('2026-03-29T01:00:00Z') });
  });

  it('keeps a night opening across midnight open after midnight and closed at its end', () => {
    const night = hours('fri 22:00-02:00', 'UTC');
    expect(openingState(night, at('2026-12-11T23:30:00Z'))).toEqual({ open: true, closesAt: at('2026-12-12T02:00:00Z') });
    expect(openingState(night, at('2026-12-12T01:59:00Z'))).toMatchObject({ open: true });
    expect(openingState(night, at('2026-12-12T02:00:00Z'))).toEqual({ open: false, opensAt: at('2026-12-18T22:00:00Z') });
  });

  it('joins openings that meet at midnight into one period', () => {
    const always = hours('mon-sun 00:00-24:00', 'Asia/Shanghai');
    expect(openingState(always, at('2026-12-09T02:00:00Z')).open).toBe(true);
    expect(openPeriods(always, at('2026-12-09T02:00:00Z'), at('2026-12-10T02:00:00Z'))).toHaveLength(1);
  });

  it('says a schedule with no openings never opens', () => {
    expect(openingState({ timeZone: 'UTC', week: [[], [], [], [], [], [], []] }, at('2026-12-09T02:00:00Z'))).toEqual({ open: false, opensAt: null });
  });
});

describe('openPeriods', () => {
  it('lists the coming week of openings in order', () => {
    const shanghai = hours('mon-fri 09:00-18:00; sat 10:00-14:00', 'Asia/Shanghai');
    // From Saturday 15:00 Shanghai: Monday to Friday, then next Saturday.
    const periods = openPeriods(shanghai, at('2026-12-12T07:00:00Z'), at('2026-12-19T07:00:00Z'));
    expect(periods.map((p) => new Date(p.opensAt).toISOString())).toEqual([
      '2026-12-14T01:00:00.000Z',
      '2026-12-15T01:00:00.000Z',
      '2026-12-16T01:00:00.000Z',
      '2026-12-17T01:00:00.000Z',
      '2026-12-18T01:00:00.000Z',
      '2026-12-19T02:00:00.000Z',
    ]);
  });
});
