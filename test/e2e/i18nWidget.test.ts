import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, say, statusOf, useE2E } from '../helpers/browser.js';
import { shopPage } from '../helpers/hostSite.js';
import { useWidgetSite } from '../helpers/widgetSite.js';

/** Filled in once the host site has its port, before the first server starts. */
const env: Record<string, string> = {};
const e2e = useE2E(env);
const site = useWidgetSite(e2e, env);

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/** The widget's iframe once it shows the customer page, with its bridge ready. */
async function widgetFrame(page: Page): Promise<Frame> {
  await page.waitForSelector('kefu-widget iframe', { state: 'attached' });
  let frame: Frame | undefined;
  await poll(() => {
    frame = page.frames().find((f) => f.url().includes('/yonghu.html'));
    return frame !== undefined;
  }).toBe(true);
  const found = frame as Frame;
  await poll(() => found.evaluate(() => document.documentElement.classList.contains('embedded')).catch(() => false)).toBe(true);
  return found;
}

describe('the widget in the locale the site asks for', () => {
  it('shows the launcher and the panel in English for data-locale="en-US" in a Chinese browser', async () => {
    const page = await site.visit(site.shop.page(shopPage(e2e.server.httpUrl, { attrs: { locale: 'en-US' } })));
    const launcher = page.getByRole('button', { name: 'Open live support' });
    await poll(() => launcher.isVisible()).toBe(true);
    await launcher.click();
    const chat = await widgetFrame(page);
    expect(await chat.getAttribute('html', 'lang')).toBe('en');
    expect(await chat.textContent('#contact')).toBe('Contact us');
  });

  it('turns an open conversation to English on kefu("setLocale", "en"), keeping the conversation', async () => {
    const agent = await e2e.agentOnline('Alice');
    const page = await site.visit(site.shop.page(shopPage(e2e.server.httpUrl)));
    await page.getByRole('button', { name: '打开在线客服' }).click();
    const chat = await widgetFrame(page);
    await chat.fill('#name', 'Bob');
    await chat.click('#contact');
    await poll(() => chat.textContent('#status')).toBe('Alice 为您服务');
    await chat.fill('#input', 'Hello');
    await chat.press('#input', 'Enter');
    await poll(() => bubbles(agent)).toEqual(['Hello']);

    await page.evaluate(() => (window as unknown as { kefu: (c: string, a: string) => void }).kefu('setLocale', 'en'));
    await poll(() => page.frames().some((f) => f.url().includes('lang=en'))).toBe(true);
    const english = await widgetFrame(page);
    await poll(() => english.getAttribute('html', 'lang')).toBe('en');
    await poll(() => english.textContent('#status')).toBe('Alice is helping you');
    await poll(() => english.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent))).toEqual(['Hello']);
    await poll(() => page.getByRole('button', { name: 'Minimise live support' }).isVisible()).toBe(true);
    // Still the same conversation: the agent's reply arrives in the English panel.
    await say(agent, 'Hi Bob');
    await poll(() => english.$$eval('#messages .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent))).toEqual(['Hello', 'Hi Bob']);
    expect(await statusOf(agent)).toBe('正在服务 Bob');
  });
});
