import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { openingState, openPeriods, type BusinessHours } from '../domain/businessHours.js';
import type { IdentityOptions } from './widgetIdentity.js';

/** Whether the customer's start form shows a field, and whether it must be filled in. */
export type PrechatField = 'off' | 'optional' | 'required';

/** What the embedded customer page needs to know about its embedding, from config. */
export interface WidgetOptions {
  /** WIDGET_ORIGINS: the sites that may embed the customer page. */
  origins: string[];
  identity: IdentityOptions;
  /** PRECHAT_FIELDS: what the start form asks besides the name. */
  prechat?: { email: PrechatField; question: PrechatField };
  /** BUSINESS_HOURS in BUSINESS_TZ; absent: always open. */
  hours?: BusinessHours;
  now?: () => number;
}

/** What the answer says live: agents online now, and the median first response in ms (null: no data). */
export interface WidgetStatus {
  agentsOnline(): Promise<number>;
  replyTimeMs(): Promise<number | null>;
}

/** The week of openings the page lists, from now. */
const LISTED_MS = 7 * 24 * 60 * 60_000;

/** Business hours as the page shows them: open now or not, the next opening, and the coming week's openings. */
export function hoursAnswer(hours: BusinessHours, now: number): Record<string, unknown> {
  const state = openingState(hours, now);
  return {
    timeZone: hours.timeZone,
    open: state.open,
    ...(state.open ? { closesAt: state.closesAt } : { opensAt: state.opensAt }),
    periods: openPeriods(hours, now, now + LISTED_MS),
  };
}

/**
 * GET /api/widget: the sites that may embed the customer page, whether visitor identities are
 * checked (`off`: no WIDGET_SECRET; `optional`; `required`), the pre-chat form's fields, the
 * business hours (absent: always open) and, while the team is open and an agent online, the
 * expected reply time in whole seconds (`replyTimeS`, absent without recent replies). Nothing here
 * is secret: frame-ancestors publishes the same origins.
 */
export function widgetSettings(options: WidgetOptions, status?: WidgetStatus, log?: Logger): RequestHandler {
  const identity = options.identity.secret === '' ? 'off' : options.identity.required ? 'required' : 'optional';
  const prechat = options.prechat ?? { email: 'off', question: 'off' };
  return async (_req, res) => {
    const now = (options.now ?? Date.now)();
    const body: Record<string, unknown> = { origins: options.origins, identity, prechat };
    const hours = options.hours === undefined ? undefined : hoursAnswer(options.hours, now);
    if (hours !== undefined) body.hours = hours;
    if (status !== undefined && hours?.open !== false) {
      // A courtesy line: a store or registry that fails leaves it out rather than failing the page.
      try {
        const [agents, ms] = await Promise.all([status.agentsOnline(), status.replyTimeMs()]);
        if (agents > 0 && ms !== null) body.replyTimeS = Math.round(ms / 1000);
      } catch (err) {
        log?.warn({ err }, 'widget: reply time unavailable');
      }
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(JSON.stringify(body));
  };
}
