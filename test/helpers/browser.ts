import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { addAccount, TEST_PASSWORD } from './accounts.js';
import { startTestServer, type TestServer } from './server.js';

/** Debian's chromium (installed by .ci/run); a test never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where every run's screenshots go (gitignored). */
export const ARTIFACTS = path.resolve(__dirname, '..', '..', 'artifacts', 'screenshots');
/** The screenshots the README shows; refreshed only with UPDATE_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

export interface Viewport {
  width: number;
  height: number;
}
export const DESKTOP: Viewport = { width: 1280, height: 800 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A headless chromium with a fresh temporary profile and nothing that phones home. */
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
      // No name resolves but the test server's address (and 127.0.0.2, a second site on this
      // machine that the server does not count as local): nothing can leave the machine, and
      // unlike request interception this costs nothing per request.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE 127.0.0.2',
    ],
  });
}

/** True for a URL that stays on this machine (the test server, a second site on 127.0.0.2, or inline data). */
export function isLocal(url: string): boolean {
  if (url.startsWith('data:') || url === 'about:blank') return true;
  try {
    const host = new URL(url).hostname;
    return host === '127.0.0.1' || host === '127.0.0.2';
  } catch {
    return false;
  }
}

/** The browser language pages are opened in unless a test asks for another: the pages' own default. */
export const BROWSER_LOCALE = 'zh-CN';

export interface TrackedPage {
  page: Page;
  context: BrowserContext;
  /** The browser language of the context (navigator.languages). */
  locale: string;
  /** Every URL the context asked for, WebSockets included: a test asserts none left the machine. */
  requests: string[];
  /** Uncaught exceptions in the page: a page that throws is a failing page. */
  errors: string[];
}

/**
 * A fresh context (its own storage) and a blank page in it, with every request it makes
 * recorded (the browser itself cannot resolve any other host: see launchBrowser).
 */
export async function newTrackedPage(browser: Browser, viewport: Viewport = DESKTOP, locale = BROWSER_LOCALE, timezoneId?: string): Promise<TrackedPage> {
  const context = await browser.newContext({ viewport, locale, ...(timezoneId === undefined ? {} : { timezoneId }) });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => requests.push(ws.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, context, locale, requests, errors };
}

/** Goes to a URL; the scripts sit at the end of <body>, so the page is ready once the DOM is. */
export async function visit(tracked: TrackedPage, url: string): Promise<TrackedPage> {
  await tracked.page.goto(url, { waitUntil: 'domcontentloaded' });
  return tracked;
}

/** A fresh context and page, opened at `url`. */
export async function openPage(browser: Browser, url: string, viewport: Viewport = DESKTOP): Promise<TrackedPage> {
  return visit(await newTrackedPage(browser, viewport), url);
}

/** Text of the chat bubbles (not system notices), in order. */
export const bubbles = (page: Page): Promise<Array<string | null>> =>
  page.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent));

/** Text of the system notices in the conversation, in order. */
export const notices = (page: Page): Promise<Array<string | null>> => page.$$eval('#messages .msg.system .bubble', (els) => els.map((e) => e.textContent));

export const statusOf = (page: Page): Promise<string | null> => page.textContent('#status');

/** Types a message and presses Enter, as a person would. */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** Makes the page believe its tab is hidden (or shown again), firing visibilitychange. */
export async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** One e2e file's world: a browser for the file, a fresh server and pages for each test. */
export interface E2E {
  browser: Browser;
  server: TestServer;
  /** Opens a page of the current server in a fresh context (with `locale` as the browser's language). */
  open(pathname: string, viewport?: Viewport, locale?: string): Promise<TrackedPage>;
  /**
   * An agent console signed in and waiting (or, with `status`, in that state): the account of
   * this name (made on first use, with `avatar`) signs in through the sign-in form.
   */
  agentOnline(name?: string, viewport?: Viewport, status?: string, avatar?: string): Promise<Page>;
  /** The login of the account made for this agent name (making it on first use), for a test that signs in itself. */
  accountFor(name: string, avatar?: string, role?: 'owner' | 'admin' | 'agent'): Promise<string>;
  /** Signs a page's console in through its sign-in form. */
  signIn(page: Page, login: string, password?: string): Promise<void>;
  /** A customer page that has pressed the contact button (with `avatar` picked first). */
  customerIn(name?: string, viewport?: Viewport, avatar?: string): Promise<Page>;
  /** Replaces this test's server with one started with these settings. */
  restartServer(env: Record<string, string>): Promise<void>;
  /** Stops this test's server now (for "server unreachable"). */
  stopServer(): Promise<void>;
}

/**
 * Registers the hooks of a browser test file and returns its world. After each test it checks
 * that no page made a request off this machine and no page threw.
 */
export function useE2E(env: Record<string, string> = {}): E2E {
  const opened: TrackedPage[] = [];
  const idle: TrackedPage[] = [];
  /** Logins of the accounts made on this test's server, by agent name. */
  let logins = new Map<string, string>();
  let running = false;
  const world = {} as E2E;

  beforeAll(async () => {
    world.browser = await launchBrowser();
  });
  afterAll(async () => {
    await world.browser?.close();
  });
  beforeEach(async () => {
    world.server = await startTestServer(env);
    logins = new Map();
    running = true;
  });
  afterEach(async () => {
    const pages = opened.splice(0);
    const offMachine = pages.flatMap((p) => p.requests.filter((u) => !isLocal(u)));
    const thrown = pages.flatMap((p) => p.errors);
    // Pages are reused by the next test (a new page costs more than the test itself): leave
    // nothing behind. Each test's server has its own port, hence its own origin and storage;
    // clearing covers the rare reuse of a port.
    for (const p of pages) {
      // Only pages in the default language are reused: the next test expects its texts.
      if (p.locale !== BROWSER_LOCALE) {
        await p.context.close();
        continue;
      }
      // The customer's session is in localStorage (shared by the visitor's tabs).
      await p.page
        .evaluate(() => {
          sessionStorage.clear();
          localStorage.clear();
        })
        .catch(() => undefined);
      // The next test's server is another origin, but a reused port would find this session cookie.
      await p.context.clearCookies();
      await p.page.goto('about:blank');
      p.requests.length = 0;
      p.errors.length = 0;
      idle.push(p);
    }
    await world.stopServer();
    expect(offMachine).toEqual([]);
    expect(thrown).toEqual([]);
  });

  world.stopServer = async () => {
    if (!running) return;
    running = false;
    await world.server.close();
  };
  world.restartServer = async (overrides) => {
    await world.stopServer();
    world.server = await startTestServer({ ...env, ...overrides });
    logins = new Map();
    running = true;
  };
  world.open = async (pathname, viewport = DESKTOP, locale = BROWSER_LOCALE) => {
    const reused = locale === BROWSER_LOCALE ? idle.pop() : undefined;
    if (reused) await reused.page.setViewportSize(viewport);
    const p = reused ?? (await newTrackedPage(world.browser, viewport, locale));
    opened.push(p);
    return visit(p, `${world.server.httpUrl}${pathname}`);
  };
  world.accountFor = async (name, avatar, role) => {
    const known = logins.get(name);
    if (known !== undefined) return known;
    const login = `agent${logins.size + 1}`;
    await addAccount(world.server, { name, login, ...(avatar === undefined ? {} : { avatar }), ...(role === undefined ? {} : { role }) });
    logins.set(name, login);
    return login;
  };
  world.signIn = async (page, login, password = TEST_PASSWORD) => {
    await page.fill('#login', login);
    await page.fill('#password', password);
    await page.click('#signInButton');
  };
  world.agentOnline = async (name = '客服小王', viewport, status = '等待用户接入', avatar) => {
    const login = await world.accountFor(name, avatar);
    const { page } = await world.open('/kefu.html', viewport);
    await world.signIn(page, login);
    await expect.poll(() => statusOf(page)).toBe(status);
    return page;
  };
  world.customerIn = async (name = '张三', viewport, avatar) => {
    const { page } = await world.open('/yonghu.html', viewport);
    await page.fill('#name', name);
    if (avatar !== undefined) await page.check(`#avatarChoices input[value="${avatar}"]`);
    await page.click('#contact');
    return page;
  };
  return world;
}

/**
 * Saves a screenshot into artifacts/; one the README shows (`forDocs`) is also copied into
 * docs/screenshots/ when the run has UPDATE_SCREENSHOTS=1, so a normal run leaves git clean.
 */
export async function screenshot(page: Page, name: string, forDocs = false): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  if (forDocs && process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
  }
  return file;
}
