import type { RequestHandler } from 'express';
import type { IdentityOptions } from './widgetIdentity.js';

/** What the embedded customer page needs to know about its embedding, from config. */
export interface WidgetOptions {
  /** WIDGET_ORIGINS: the sites that may embed the customer page. */
  origins: string[];
  identity: IdentityOptions;
}

/**
 * GET /api/widget: the sites that may embed the customer page, and whether visitor identities are
 * checked (`off`: no WIDGET_SECRET; `optional`; `required`). The embedded page talks to its host
 * only when the host's origin is in this list. Nothing here is secret: frame-ancestors publishes
 * the same origins.
 */
export function widgetSettings(options: WidgetOptions): RequestHandler {
  const identity = options.identity.secret === '' ? 'off' : options.identity.required ? 'required' : 'optional';
  const body = JSON.stringify({ origins: options.origins, identity });
  return (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('application/json').send(body);
  };
}
