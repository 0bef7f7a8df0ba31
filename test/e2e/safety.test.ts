import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, isLocal, notices, say, setHidden, statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();
const STATIC = path.resolve(__dirname, '..', '..', 'static');

const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

describe('the pages are safe and usable', () => {
  it('renders hostile names and messages as visible text and runs none of them', async () => {
    // Both names fit the 32-character limit, so they arrive whole.
    const imgName = '<img src=x onerror=__pwned=1>';
    const scriptName = '<script>__pwned=1</script>';
    const img = '<img src=x onerror=window.__pwned=1>';
    const script = '<script>window.__pwned=1</script>';
    const agent = await e2e.agentOnline(scriptName);
    const customer = await e2e.customerIn(imgName);
    await expect.poll(() => statusOf(customer)).toBe(`${scriptName} 为您服务`);
    expect(await statusOf(agent)).toBe(`正在服务 ${imgName}`);
    expect(await agent.textContent('#peer')).toBe(imgName);
    expect(await customer.textContent('#peer')).toBe(scriptName);
    expect(await notices(agent)).toContain(`用户${imgName}已进入会话`);
    await say(customer, img);
    await say(agent, script);
    await expect.poll(() => bubbles(agent)).toEqual([img, script]);
    await expect.poll(() => bubbles(customer)).toEqual([img, script]);
    expect(await agent.textContent('#messages .msg.peer .sender')).toBe(imgName);
    expect(await customer.textContent('#messages .msg.peer .sender')).toBe(scriptName);
    for (const page of [agent, customer]) {
      expect(await pwned(page)).toBeUndefined();
      expect(await page.$$('#messages img, #messages script, .peerbar img, .sidebar img')).toHaveLength(0);
    }
  });

  it('makes no request off this machine, WebSockets included', async () => {
    const login = await e2e.accountFor('a');
    const agent = await e2e.open('/kefu.html');
    const customer = await e2e.open('/yonghu.html');
    await e2e.signIn(agent.page, login);
    await expect.poll(() => statusOf(agent.page)).toBe('等待用户接入');
    await customer.page.fill('#name', 'b');
    await customer.page.click('#contact');
    await expect.poll(() => statusOf(customer.page)).toContain('为您服务');
    await say(customer.page, '你好 😀');
    await expect.poll(() => bubbles(agent.page)).toEqual(['你好 😀']);
    const all = [...agent.requests, ...customer.requests];
    // The pages, their assets, /getroom and both sockets were all seen, and all of it is local.
    expect(all.some((u) => u.includes('/getroom?'))).toBe(true);
    expect(all.filter((u) => u.startsWith('ws://'))).toHaveLength(2);
    expect(all.filter((u) => !isLocal(u))).toEqual([]);
  });

  it('counts unread messages in the title and flashes while the tab is hidden', async () => {
    const agent = await e2e.agentOnline();
    await setHidden(agent, true);
    const customer = await e2e.customerIn();
    await expect.poll(() => agent.title()).toBe('(1) 客服工作台');
    expect(await agent.$('body.attention')).not.toBeNull();
    await say(customer, '在吗');
    await say(customer, '有人吗');
    await expect.poll(() => agent.title()).toBe('(3) 客服工作台');
    await setHidden(agent, false);
    expect(await agent.title()).toBe('客服工作台');
    expect(await agent.$('body.attention')).toBeNull();
    // Visible: no badge.
    await say(customer, '你好');
    await expect.poll(() => bubbles(agent)).toHaveLength(3);
    expect(await agent.title()).toBe('客服工作台');
  });

  it('follows new messages at the bottom but never pulls a reader who scrolled up', async () => {
    const agent = await e2e.agentOnline('客服小王', { width: 800, height: 500 });
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    const tall = Array.from({ length: 12 }, (_, i) => `第 ${i + 1} 行`).join('\n');
    for (let i = 0; i < 3; i++) await say(customer, tall);
    await expect.poll(() => bubbles(agent)).toHaveLength(3);
    const atBottom = () => agent.$eval('#messages', (m) => m.scrollHeight - m.scrollTop - m.clientHeight < 5);
    await expect.poll(atBottom).toBe(true);
    await agent.$eval('#messages', (m) => {
      m.scrollTop = 0;
    });
    await say(customer, '新消息');
    await expect.poll(() => bubbles(agent)).toHaveLength(4);
    expect(await agent.$eval('#messages', (m) => m.scrollTop)).toBe(0);
    expect(await agent.isVisible('#jump')).toBe(true);
    await agent.click('#jump');
    await expect.poll(atBottom).toBe(true);
    expect(await agent.isHidden('#jump')).toBe(true);
    await say(customer, '再来一条');
    await expect.poll(() => bubbles(agent)).toHaveLength(5);
    await expect.poll(atBottom).toBe(true);
  });

  it('labels every control, announces new messages and moves focus where the work is', async () => {
    for (const pathname of ['/kefu.html', '/yonghu.html']) {
      const { page } = await e2e.open(pathname);
      // The console's form shows once the page knows nobody is signed in.
      if (pathname === '/kefu.html') await page.waitForSelector('#signIn:not([hidden])');
      const unlabelled = await page.$$eval('input, textarea, button', (els) =>
        els
          .filter((e) => {
            const id = e.id;
            const byLabel = id !== '' && document.querySelector(`label[for="${id}"]`)?.textContent?.trim();
            return !byLabel && !e.getAttribute('aria-label')?.trim() && !e.textContent?.trim();
          })
          .map((e) => e.id || e.outerHTML),
      );
      expect(unlabelled, pathname).toEqual([]);
      expect(await page.getAttribute('#messages', 'role')).toBe('log');
      // The log is read at will; what is new is said once, politely, by a region of its own.
      expect(await page.getAttribute('#messages', 'aria-live')).toBe('off');
      expect(await page.getAttribute('#announcer', 'aria-live')).toBe('polite');
      expect(await page.getAttribute('#status', 'role')).toBe('status');
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    }
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await expect.poll(() => customer.evaluate(() => document.activeElement?.id)).toBe('input');
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe('input');
  });

  it('keeps every Chinese text of the pages in the string tables', () => {
    for (const file of ['kefu.html', 'yonghu.html', 'profile.html', 'admin.html', 'setup.html']) {
      // The <title> is there for the moment before scripts run; strings.js sets it too.
      const html = fs.readFileSync(path.join(STATIC, file), 'utf8').replace(/<title>[^<]*<\/title>/, '');
      expect(html.match(/[\u4e00-\u9fff]+/g), file).toBeNull();
    }
    const modules = (fs.readdirSync(STATIC, { recursive: true }) as string[]).filter(
      (f) => f.endsWith('.js') && !f.startsWith(path.join('lib', 'strings', '')),
    );
    expect(modules.length).toBeGreaterThan(10);
    for (const file of modules) {
      // Names are read from frame fields, never out of a server notice's Chinese text.
      const js = fs.readFileSync(path.join(STATIC, file), 'utf8');
      expect(js.match(/[\u4e00-\u9fff]+/g), file).toBeNull();
    }
  });
});
