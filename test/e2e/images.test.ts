import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bubbles, say, screenshot, statusOf, useE2E } from '../helpers/browser.js';
import { blackPng, DISGUISED, PNG, SAMPLES, pngOfSize } from '../helpers/images.js';

// A small server limit, so an oversize upload is quick to make; the pages' own check is 5 MiB.
const e2e = useE2E({ MAX_IMAGE_BYTES: '4096' });

const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

/** An agent and a customer in one conversation. */
async function chatting(): Promise<{ agent: Page; customer: Page }> {
  const agent = await e2e.agentOnline();
  const customer = await e2e.customerIn();
  await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
  await expect.poll(() => statusOf(agent)).toBe('正在服务 张三');
  return { agent, customer };
}

/** The natural size of every loaded thumbnail in the conversation (0 while not loaded). */
const thumbs = (page: Page): Promise<number[]> =>
  page.$$eval('#messages .msg:not(.system) img.thumb', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));

const noticeText = (page: Page): Promise<string | null> =>
  page.evaluate(() => {
    const n = document.getElementById('notice');
    return n && !n.hidden ? n.textContent : null;
  });

describe('images in the browser', () => {
  it('sends a customer\u2019s picked image; the agent sees a thumbnail that opens full size', async () => {
    const { agent, customer } = await chatting();
    await customer.setInputFiles('#fileInput', { name: 'receipt.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => thumbs(agent)).toEqual([1]);
    await expect.poll(() => thumbs(customer)).toEqual([1]);
    await expect.poll(() => customer.$$('#messages .msg.pending')).toHaveLength(0);
    expect(await agent.getAttribute('#messages .msg.peer img.thumb', 'alt')).toBe('张三 发送的图片');
    await screenshot(agent, 'kefu-image');
    const [full] = await Promise.all([agent.context().waitForEvent('page'), agent.click('#messages .msg.peer a.thumb-link')]);
    const response = await full.waitForLoadState().then(() => full.goto(full.url()));
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('image/png');
    expect(full.url()).toMatch(/\/api\/images\/[A-Za-z0-9_-]{22}\?exp=\d+&sig=/);
    await full.close();
  });

  it('sends an agent\u2019s image of each type to the customer', async () => {
    const { agent, customer } = await chatting();
    const files = Object.entries(SAMPLES).map(([mime, buffer], i) => ({ name: `p${i}.${mime.slice(6)}`, mimeType: mime, buffer }));
    await agent.setInputFiles('#fileInput', files);
    await expect.poll(() => thumbs(customer)).toEqual([1, 1, 1, 1]);
  });

  it('sends a pasted image and a dropped one', async () => {
    const { agent, customer } = await chatting();
    const bytes = [...PNG];
    await customer.evaluate((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], 'pasted.png', { type: 'image/png' }));
      document.getElementById('input')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await expect.poll(() => thumbs(agent)).toEqual([1]);
    await customer.evaluate((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], 'dropped.png', { type: 'image/png' }));
      const zone = document.getElementById('conversation') as HTMLElement;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, bytes);
    await expect.poll(() => thumbs(agent)).toEqual([1, 1]);
    // The pasted file went out as an image, not as text in the field.
    expect(await customer.inputValue('#input')).toBe('');
  });

  it('keeps following the conversation after an image that loads once its message is shown', async () => {
    const { agent, customer } = await chatting();
    // Enough lines that the list scrolls, then a picture whose thumbnail is taller than the
    // list's "near the bottom" margin once its pixels arrive.
    const tall = Array.from({ length: 20 }, (_, i) => `第 ${i + 1} 行`).join('\n');
    for (let i = 0; i < 2; i++) await say(agent, tall);
    await expect.poll(() => bubbles(customer)).toHaveLength(2);
    await agent.setInputFiles('#fileInput', { name: 'tall.png', mimeType: 'image/png', buffer: blackPng(200, 240) });
    await expect.poll(() => thumbs(customer)).toEqual([200]);
    await say(agent, '图片收到了吗?');
    await expect.poll(() => bubbles(customer)).toHaveLength(4);
    const atBottom = () => customer.$eval('#messages', (m) => m.scrollTop + m.clientHeight >= m.scrollHeight - 2);
    await expect.poll(atBottom).toBe(true);
    expect(await customer.isHidden('#jump')).toBe(true);
  });

  it('shows the image again after the customer page reloads', async () => {
    const { customer } = await chatting();
    await customer.setInputFiles('#fileInput', { name: 'a.gif', mimeType: 'image/gif', buffer: SAMPLES['image/gif'] });
    await expect.poll(() => thumbs(customer)).toEqual([1]);
    await customer.reload();
    await expect.poll(() => thumbs(customer)).toEqual([1]);
  });

  it('refuses a file that is not an image, by its type and by its bytes, with a readable error', async () => {
    const { agent, customer } = await chatting();
    await customer.setInputFiles('#fileInput', { name: 'notes.txt', mimeType: 'text/plain', buffer: DISGUISED.text });
    await expect.poll(() => noticeText(customer)).toBe('“notes.txt”不是图片,只能发送 PNG、JPEG、GIF 或 WebP');
    // Named and labelled as a PNG, but the server reads the bytes.
    await customer.setInputFiles('#fileInput', { name: 'fake.png', mimeType: 'image/png', buffer: DISGUISED.html });
    await expect.poll(() => noticeText(customer)).toBe('“fake.png”不是图片,只能发送 PNG、JPEG、GIF 或 WebP');
    expect(await customer.$$('#messages .msg:not(.system)')).toHaveLength(0);
    expect(await agent.$$('#messages .msg:not(.system)')).toHaveLength(0);
  });

  it('refuses an image over the server\u2019s limit before uploading it, readably', async () => {
    const { agent, customer } = await chatting();
    const uploads: string[] = [];
    customer.on('request', (r) => {
      if (r.method() === 'POST') uploads.push(r.url());
    });
    await customer.setInputFiles('#fileInput', { name: 'big.png', mimeType: 'image/png', buffer: pngOfSize(5000) });
    await expect.poll(() => noticeText(customer)).toBe('图片“big.png”太大,最大 4 KB');
    expect(uploads).toEqual([]);
    expect(await agent.$$('#messages .msg:not(.system)')).toHaveLength(0);
  });

  it('shows the server\u2019s 413 readably when the page did not know the limit', async () => {
    // A page that never heard the limit keeps its 5 MiB default: the server still refuses.
    const { page } = await e2e.open('/yonghu.html');
    await page.route('**/api/images/limits', (route) => route.fulfill({ status: 404, body: '' }));
    // Pages are reused by later tests: they must find the real answer again.
    onTestFinished(() => page.unroute('**/api/images/limits'));
    await page.reload();
    await e2e.agentOnline();
    await page.fill('#name', '张三');
    await page.click('#contact');
    await expect.poll(() => statusOf(page)).toBe('客服小王 为您服务');
    await page.setInputFiles('#fileInput', { name: 'huge.png', mimeType: 'image/png', buffer: pngOfSize(5 * 1024 * 1024 + 1) });
    await expect.poll(() => noticeText(page)).toBe('图片“huge.png”太大,最大 5 MB');
    await page.setInputFiles('#fileInput', { name: 'big.png', mimeType: 'image/png', buffer: pngOfSize(5000) });
    await expect.poll(() => noticeText(page)).toBe('图片“big.png”太大,最大 4 KB');
    expect(await page.$$('#messages .msg:not(.system)')).toHaveLength(0);
  });

  it('tries an upload the server turned away as busy (429) again after its Retry-After', async () => {
    const { agent, customer } = await chatting();
    let turnedAway = 0;
    await customer.route('**/api/images', (route) => {
      if (route.request().method() !== 'POST' || turnedAway > 0) return route.continue();
      turnedAway++;
      return route.fulfill({
        status: 429,
        headers: { 'Retry-After': '1' },
        contentType: 'application/json',
        body: JSON.stringify({ error: 'too_many_uploads' }),
      });
    });
    onTestFinished(() => customer.unroute('**/api/images'));
    await customer.setInputFiles('#fileInput', { name: 'busy.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => thumbs(agent), { timeout: 10_000 }).toEqual([1]);
    expect(turnedAway).toBe(1);
  });

  it('shows a hostile file name as text and runs nothing', async () => {
    const { agent, customer } = await chatting();
    const name = '<img src=x onerror=window.__pwned=1>.txt';
    await customer.setInputFiles('#fileInput', { name, mimeType: 'text/plain', buffer: DISGUISED.text });
    await expect.poll(() => noticeText(customer)).toBe(`“${name}”不是图片,只能发送 PNG、JPEG、GIF 或 WebP`);
    const sneaky = '<img src=x onerror=window.__pwned=1>.png';
    await customer.setInputFiles('#fileInput', { name: sneaky, mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => thumbs(agent)).toEqual([1]);
    for (const page of [agent, customer]) {
      expect(await pwned(page)).toBeUndefined();
      // The only image is the thumbnail, pointing at our own server.
      expect(await page.$$eval('img', (imgs) => imgs.map((i) => new URL((i as HTMLImageElement).src).pathname.split('/').slice(0, 3).join('/')))).toEqual([
        '/api/images',
      ]);
      expect(await page.$$('#notice img, #messages script')).toHaveLength(0);
    }
  });
});
