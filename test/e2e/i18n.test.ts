import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, notices, say, statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();

/** Chinese and Japanese characters, CJK punctuation and full-width forms. */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;

/**
 * Every text of the page, visible now or shown later (hidden panels and dialogs too), and
 * every placeholder, label and title a person or a screen reader gets, with CJK in it.
 */
const cjkTexts = (page: Page): Promise<string[]> =>
  page.evaluate((source) => {
    const cjk = new RegExp(source);
    const found: string[] = [];
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (parent && (parent.tagName === 'SCRIPT' || parent.tagName === 'STYLE')) continue;
      if (cjk.test(n.textContent ?? '')) found.push(`${parent?.id || parent?.tagName}: ${n.textContent}`);
    }
    for (const node of document.querySelectorAll('*')) {
      for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
        const value = node.getAttribute(name);
        if (value && cjk.test(value)) found.push(`${node.id || node.tagName}[${name}]: ${value}`);
      }
    }
    if (cjk.test(document.title)) found.push(`title: ${document.title}`);
    return found;
  }, CJK.source);

/** An agent's console in English, signed in and waiting. */
async function englishConsole(name: string): Promise<Page> {
  const login = await e2e.accountFor(name);
  const { page } = await e2e.open('/kefu.html?lang=en');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  expect(await cjkTexts(page)).toEqual([]);
  await e2e.signIn(page, login);
  await expect.poll(() => statusOf(page)).toBe('Waiting for customers');
  return page;
}

/**
 * The whole flow on an English customer page: the start form, the queue, the agent's arrival
 * (named without the protocol's hyphens), a message each way, the agent leaving; no Chinese on
 * the page or the English console at any step.
 */
async function englishFlow(customer: Page): Promise<void> {
  expect(await customer.getAttribute('html', 'lang')).toBe('en');
  expect(await customer.textContent('#contact')).toBe('Contact us');
  expect(await customer.getAttribute('#name', 'placeholder')).toBe('Your name');
  expect(await cjkTexts(customer)).toEqual([]);

  // A busy agent: the customer waits in the queue.
  const agent = await englishConsole('Alice');
  const first = (await e2e.open('/yonghu.html?lang=en')).page;
  await first.fill('#name', 'Carol');
  await first.click('#contact');
  await expect.poll(() => statusOf(agent)).toBe('Serving Carol');

  await customer.fill('#name', 'Bob');
  await customer.click('#contact');
  await expect.poll(() => statusOf(customer)).toBe('In the queue, number 1');
  expect(await customer.textContent('#queueAhead')).toBe('You are next');
  expect(await cjkTexts(customer)).toEqual([]);

  // Carol leaves: Alice takes Bob.
  await first.click('#leave');
  await expect.poll(() => statusOf(customer)).toBe('Alice is helping you');
  await expect.poll(() => notices(customer)).toContain('Alice will help you');
  await say(customer, 'Where is my parcel?');
  await expect.poll(() => bubbles(agent)).toContain('Where is my parcel?');
  await say(agent, 'Let me check.');
  await expect.poll(() => bubbles(customer)).toEqual(['Where is my parcel?', 'Let me check.']);
  await expect.poll(() => notices(agent)).toContain('Bob joined the conversation');
  expect(await cjkTexts(customer)).toEqual([]);
  expect(await cjkTexts(agent)).toEqual([]);

  await agent.click('#disconnect');
  await expect.poll(() => notices(customer)).toContain('Alice left the conversation');
  await expect.poll(() => customer.isVisible('#ended')).toBe(true);
  expect(await cjkTexts(customer)).toEqual([]);
  expect(await cjkTexts(agent)).toEqual([]);
}

describe('the pages in the visitor’s language', () => {
  it('shows the customer page in English for ?lang=en, in a Chinese browser, through a whole conversation', async () => {
    const { page } = await e2e.open('/yonghu.html?lang=en');
    await englishFlow(page);
  });

  it('shows the customer page in English for an English browser', async () => {
    const { page } = await e2e.open('/yonghu.html', DESKTOP, 'en-US');
    await englishFlow(page);
  });

  it('shows Chinese by default in a Chinese browser, with notices named from the frame fields', async () => {
    const { page } = await e2e.open('/yonghu.html');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('#contact')).toBe('联系客服');
    await e2e.agentOnline('小李');
    await page.fill('#name', '张三');
    await page.click('#contact');
    await expect.poll(() => notices(page)).toContain('客服小李将为您服务');
  });

  it('keeps the console’s language on its link to the history page, and the history page takes it', async () => {
    const agent = await englishConsole('Alice');
    const href = await agent.getAttribute('a[href^="history.html"]', 'href');
    expect(href).toBe('history.html?lang=en');
    await agent.click('a[href^="history.html"]');
    await expect.poll(() => agent.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => agent.textContent('h1')).toBe('Conversation history');
    expect(await cjkTexts(agent)).toEqual([]);
  });

  it('shows the profile and admin pages in English, dates included, from an English browser', async () => {
    const login = await e2e.accountFor('Boss', undefined, 'owner');
    const { page } = await e2e.open('/kefu.html', DESKTOP, 'en-US');
    await e2e.signIn(page, login);
    await expect.poll(() => statusOf(page)).toBe('Waiting for customers');
    await page.goto(`${e2e.server.httpUrl}/profile.html`);
    await expect.poll(() => page.textContent('h1')).toBe('Profile');
    // The signed-in device's line, with its date written by Intl in English.
    await expect.poll(() => page.textContent('#sessions')).toMatch(/signed in [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    expect(await cjkTexts(page)).toEqual([]);
    await page.goto(`${e2e.server.httpUrl}/admin.html`);
    await expect.poll(() => page.textContent('#accounts')).toContain('Owner');
    await expect.poll(() => page.textContent('#audit')).toContain('Signed in');
    expect(await cjkTexts(page)).toEqual([]);
  });

  it('answers an English visitor from the English FAQ, and frames its fallback in English', async () => {
    const { page } = await e2e.open('/yonghu.html?lang=en');
    await page.fill('#name', 'Bob');
    await page.click('#contact');
    await expect.poll(() => statusOf(page)).toBe('In the queue, number 1');
    await say(page, 'What are your opening hours?');
    const answers = () => page.$$eval('#messages .msg.bot .bubble', (els) => els.map((e) => e.textContent));
    await expect.poll(answers).toEqual([expect.stringContaining('every day from 9:00 to 21:00')]);
    await say(page, 'hello');
    await expect.poll(async () => (await answers()).length).toBe(2);
    expect((await answers())[1]).toMatch(/^No agent is online right now/);
    expect(await cjkTexts(page)).toEqual([]);
  });
});
