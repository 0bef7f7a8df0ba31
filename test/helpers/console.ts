import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AccountRole } from '../../src/protocol/accountInput.js';
import { statusOf, type E2E, type Viewport } from './browser.js';

/** Sets how many chats an agent's account holds at once (the admin's setting, straight in the store). */
export async function setMaxChats(e2e: E2E, name: string, maxChats: number, role?: AccountRole): Promise<string> {
  const login = await e2e.accountFor(name, undefined, role);
  const store = e2e.server.accounts.stores.accounts;
  const account = await store.accountByLogin(login);
  if (!account) throw new Error(`no account ${login}`);
  const changed = await store.updateAccount(account.id, { maxChats }, Date.now());
  if (!changed.ok) throw new Error(`cannot set maxChats of ${name}: ${changed.reason}`);
  return login;
}

/** A console signed in with room for `maxChats` conversations, online and waiting. */
export async function inboxOnline(e2e: E2E, name: string, maxChats: number, viewport?: Viewport, role?: AccountRole): Promise<Page> {
  const login = await setMaxChats(e2e, name, maxChats, role);
  const { page } = await e2e.open('/kefu.html', viewport);
  await e2e.signIn(page, login);
  await expect.poll(() => statusOf(page)).toBe('等待用户接入');
  return page;
}

/** The rows of the conversation list: name, the line under it, the unread badge ('' for none). */
export const listRows = (page: Page): Promise<Array<[string, string, string]>> =>
  page.$$eval('#conversationList .conv', (rows) =>
    rows.map((r) => [
      r.querySelector('.who-name')?.textContent ?? '',
      r.querySelector('.who-sub')?.textContent ?? '',
      r.querySelector('.unread')?.textContent ?? '',
    ]),
  );

/** Text of the chat bubbles of the conversation in view. */
export const threadBubbles = (page: Page): Promise<Array<string | null>> =>
  page.$$eval('#messages .thread:not([hidden]) .msg:not(.system) .bubble', (els) => els.map((e) => e.textContent));

/** Text of the notices of the conversation in view. */
export const threadNotices = (page: Page): Promise<Array<string | null>> =>
  page.$$eval('#messages .thread:not([hidden]) .msg.system .bubble', (els) => els.map((e) => e.textContent));

/** Opens the conversation with this customer from the list (on the mine tab). */
export async function openChat(page: Page, customer: string): Promise<void> {
  await page.click(`#conversationList button[aria-label="打开与 ${customer} 的会话"]`);
  await expect.poll(() => page.textContent('#peer')).toBe(customer);
}
