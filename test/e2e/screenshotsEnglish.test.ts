import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, PHONE, say, screenshot, statusOf, useE2E, type Viewport } from '../helpers/browser.js';
import { KEFU_STUB } from '../helpers/hostSite.js';
import { useWidgetSite, widgetFrame } from '../helpers/widgetSite.js';

/** Filled in once the shop has its port, before the first server starts. */
const env: Record<string, string> = {};
const e2e = useE2E(env);
const site = useWidgetSite(e2e, env);

/** An English-speaking shop's page carrying the one tag, its locale given as the tag's option. */
function englishShop(kefuUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Northwind Books</title>
<style>
  body { margin: 0; font: 16px/1.6 Georgia, serif; color: #292524; background: #faf7f2; }
  header { padding: 18px 32px; background: #1c1917; color: #fafaf9; font-size: 20px; }
  main { max-width: 760px; padding: 24px 32px; }
  .book { display: flex; gap: 20px; margin: 18px 0; padding: 18px; background: #fff; border: 1px solid #e7e5e4; border-radius: 8px; }
  .cover { width: 90px; height: 128px; flex-shrink: 0; border-radius: 4px; background: linear-gradient(135deg, #1d4ed8, #1e3a8a); }
</style></head>
<body><header>Northwind Books</header><main>
<div class="book"><div class="cover"></div><div><h2>A Field Guide to Old Maps</h2><p>Clothbound, with 120 colour plates.</p><p>$42</p></div></div>
<div class="book"><div class="cover"></div><div><h2>Gardens Through the Year</h2><p>Four seasons in one garden.</p><p>$28</p></div></div>
</main>
<script>${KEFU_STUB}</script>
<script src="${kefuUrl}/widget.js" async data-locale="en"></script>
</body></html>`;
}

/**
 * The pictures of the pages in English (docs/screenshots/*-en-*.png): the widget on an English
 * site and the console of an agent whose browser is in English, in one conversation.
 */
describe('screenshots in English', () => {
  // Each picture has its own pair: an agent signing in again would be given back their held chat.
  for (const [label, viewport, agentName, customerName] of [
    ['desktop', DESKTOP, 'Sam Lee', 'Alice'],
    ['phone', PHONE, 'Maya Chen', 'Ben'],
  ] as Array<[string, Viewport, string, string]>) {
    it(`shows the widget and the console in English (${label})`, async () => {
      const login = await e2e.accountFor(agentName, 'owl');
      const { page: agent } = await e2e.open('/kefu.html', viewport, 'en-US');
      await e2e.signIn(agent, login);
      await expect.poll(() => statusOf(agent)).toBe('Waiting for customers');

      const visitor = await site.visitor(viewport, 'en-US');
      await visitor.page.goto(site.shop.page(englishShop(e2e.server.httpUrl)), { waitUntil: 'domcontentloaded' });
      await visitor.page.getByRole('button', { name: 'Open live support' }).click();
      const chat = await widgetFrame(visitor.page);
      await chat.fill('#name', customerName);
      await chat.click('#contact');
      await expect.poll(() => chat.textContent('#status')).toBe(`${agentName} is helping you`);
      await chat.fill('#input', 'Hi! Is "A Field Guide to Old Maps" in stock?');
      await chat.press('#input', 'Enter');
      await expect.poll(() => bubbles(agent)).toHaveLength(1);
      await say(agent, `Hello ${customerName}! Yes, it ships tomorrow 😊`);
      await expect.poll(() => chat.$$eval('#messages .msg:not(.system) .bubble', (els) => els.length)).toBe(2);
      await expect.poll(() => chat.$$('#messages .msg.pending')).toHaveLength(0);
      await expect.poll(() => agent.$$('#messages .msg.pending')).toHaveLength(0);
      const files = [await screenshot(visitor.page, `widget-en-${label}`, true), await screenshot(agent, `console-en-${label}`, true)];
      for (const f of files) expect(fs.statSync(f).size).toBeGreaterThan(10_000);
    });
  }
});
