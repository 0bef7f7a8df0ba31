import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium (installed by .ci/run); a test never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
    // launch() gives every run a fresh, temporary profile of its own.
  });
}

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** Every URL the page asked for: a test asserts none left the machine. */
  requests: string[];
}

/** A fresh context (its own storage) and page, recording every request it makes. */
export async function openPage(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, context, requests };
}

export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');
