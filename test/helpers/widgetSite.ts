import type { Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DESKTOP, isLocal, newTrackedPage, type E2E, type TrackedPage, type Viewport } from './browser.js';
import { startHostSite, type HostSite } from './hostSite.js';

/** A site on another origin that embeds the widget, and the visitors' browsers a test opens on it. */
export interface WidgetSite {
  /** The host site, once started (before the first server: its origin is in WIDGET_ORIGINS). */
  readonly shop: HostSite;
  /** A fresh browser context (one visitor, with their clock in `timezoneId`) with a page on nothing yet, closed after the test. */
  visitor(viewport?: Viewport, locale?: string, timezoneId?: string): Promise<TrackedPage>;
  /** A fresh visitor at `url`: their page. */
  visit(url: string, viewport?: Viewport, locale?: string): Promise<Page>;
}

/**
 * Starts a host site for a file of widget tests and puts its origin in `env.WIDGET_ORIGINS`
 * (the env `useE2E` starts its servers with). Every visitor's context is closed after each test,
 * which fails if a page threw or reached anything off this machine.
 */
export function useWidgetSite(e2e: E2E, env: Record<string, string>): WidgetSite {
  let shop: HostSite | undefined;
  const tracked: TrackedPage[] = [];
  beforeAll(async () => {
    shop = await startHostSite();
    env.WIDGET_ORIGINS = shop.origin;
  });
  afterAll(async () => {
    await shop?.close();
  });
  afterEach(async () => {
    const pages = tracked.splice(0);
    for (const p of pages) await p.context.close();
    expect(pages.flatMap((p) => p.errors)).toEqual([]);
    expect(pages.flatMap((p) => p.requests.filter((u) => !isLocal(u)))).toEqual([]);
  });
  const site: WidgetSite = {
    get shop() {
      if (shop === undefined) throw new Error('the host site starts in beforeAll');
      return shop;
    },
    async visitor(viewport = DESKTOP, locale, timezoneId) {
      const p = await newTrackedPage(e2e.browser, viewport, locale, timezoneId);
      tracked.push(p);
      return p;
    },
    async visit(url, viewport, locale) {
      const { page } = await site.visitor(viewport, locale);
      await page.goto(url, { waitUntil: 'domcontentloaded' });
      return page;
    },
  };
  return site;
}

/** The widget's iframe on a host page (kefu's customer page), once it is there. */
export async function widgetFrame(page: Page): Promise<Frame> {
  await page.waitForSelector('kefu-widget iframe', { state: 'attached' });
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes('/yonghu.html'));
    if (frame) return frame;
    await page.waitForEvent('framenavigated');
  }
}
