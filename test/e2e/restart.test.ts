import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newTrackedPage, statusOf } from '../helpers/browser.js';
import { freePort, runCommand, spawnServer, type ServerProcess } from '../helpers/process.js';
import { tempDataDir } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { defer } = useServers();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const NO_KEY = { KEFU_KEY: '' };

async function start(env: { httpPort: number; wsPort: number; dataDir: string }): Promise<ServerProcess> {
  const p = await spawnServer(env, NO_KEY);
  defer(async () => {
    p.child.kill('SIGKILL');
    await p.exited;
  });
  return p;
}

describe('a restart under a signed-in console', () => {
  it('keeps the console signed in across a SIGKILL: it reconnects by itself, without asking', async () => {
    const env = { httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() };
    await runCommand(['--create-admin', '客服小王', '--login', 'wang'], 'wang password long\n', { ...NO_KEY, DATA_DIR: env.dataDir });
    const first = await start(env);
    const { page, context, requests } = await newTrackedPage(browser);
    defer(() => context.close());
    await page.goto(`${first.server.httpUrl}/kefu.html`, { waitUntil: 'domcontentloaded' });
    await page.fill('#login', 'wang');
    await page.fill('#password', 'wang password long');
    await page.click('#signInButton');
    // The command line hashed this password at the full scrypt cost: checking it takes its time.
    await expect.poll(() => statusOf(page), { timeout: 15_000 }).toBe('等待用户接入');

    first.child.kill('SIGKILL');
    await first.exited;
    await expect.poll(() => statusOf(page)).toMatch(/^连接中断/);
    const signIns = requests.filter((u) => u.endsWith('/api/auth/sign-in')).length;
    await start(env);
    await expect.poll(() => statusOf(page), { timeout: 40_000 }).toBe('等待用户接入');
    // Back without a sign-in, and on the same account.
    expect(requests.filter((u) => u.endsWith('/api/auth/sign-in')).length).toBe(signIns);
    expect(await page.textContent('#meName')).toBe('客服小王');
    expect(await page.isVisible('#signIn')).toBe(false);
  }, 90_000);
});
