import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bubbles, launchBrowser, newTrackedPage, notices, say, statusOf, type TrackedPage } from '../helpers/browser.js';
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

/**
 * A console signed in as 客服小王 (avatar cat) and a customer page of 张三 (avatar dog) in one
 * conversation, on a server that is then killed.
 */
async function chattingThenKilled() {
  const env = { httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() };
  await runCommand(['--create-admin', '客服小王', '--login', 'wang'], 'wang password long\n', { ...NO_KEY, DATA_DIR: env.dataDir });
  const first = await start(env);
  const console = await newTrackedPage(browser);
  defer(() => console.context.close());
  const agent = console.page;
  await agent.goto(`${first.server.httpUrl}/kefu.html`, { waitUntil: 'domcontentloaded' });
  await agent.fill('#login', 'wang');
  await agent.fill('#password', 'wang password long');
  await agent.click('#signInButton');
  await expect.poll(() => statusOf(agent), { timeout: 15_000 }).toBe('等待用户接入');
  const set = await agent.evaluate(async () => {
    const res = await fetch('/api/profile', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ avatar: 'cat' }) });
    return res.status;
  });
  expect(set).toBe(200);
  // The console takes its account's avatar when it connects.
  await agent.reload();
  await expect.poll(() => statusOf(agent), { timeout: 15_000 }).toBe('等待用户接入');
  const page = await newTrackedPage(browser);
  defer(() => page.context.close());
  const customer = page.page;
  await customer.goto(`${first.server.httpUrl}/yonghu.html`, { waitUntil: 'domcontentloaded' });
  await customer.fill('#name', '张三');
  await customer.check('#avatarChoices input[value="dog"]');
  await customer.click('#contact');
  await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
  await say(customer, '你好');
  await say(agent, '您好');
  await expect.poll(() => bubbles(customer)).toEqual(['你好', '您好']);
  await expect.poll(() => bubbles(agent)).toEqual(['你好', '您好']);
  expect(await customer.textContent('#peerAvatar')).toBe('🐱');
  expect(await agent.textContent('#customerAvatar')).toBe('🐶');
  first.child.kill('SIGKILL');
  await first.exited;
  await expect.poll(() => statusOf(agent)).toMatch(/^连接中断/);
  return { env, console, page, agent, customer };
}

/** Keeps a page from reconnecting until `back` is called (its network is off meanwhile). */
async function heldOff(tracked: TrackedPage): Promise<{ back: () => Promise<void> }> {
  await tracked.context.setOffline(true);
  return { back: () => tracked.context.setOffline(false) };
}

const entered = async (agent: Page) => (await notices(agent)).filter((n) => n === '用户张三已进入会话');

describe('a restart under a conversation in the browser', () => {
  it("keeps the agent's face on the customer page and tells the console once that the customer came in, when the customer is back first", async () => {
    const { env, console, agent, customer } = await chattingThenKilled();
    const agentOff = await heldOff(console);
    await start(env);
    await expect.poll(() => statusOf(customer), { timeout: 40_000 }).toBe('客服小王 为您服务');
    expect(await customer.textContent('#peerAvatar')).toBe('🐱');
    await agentOff.back();
    await expect.poll(() => statusOf(agent), { timeout: 40_000 }).toBe('正在服务 张三');
    await say(agent, '在的');
    await expect.poll(() => bubbles(customer)).toContain('在的');
    expect(await customer.textContent('#peerAvatar')).toBe('🐱');
    // The customer page never heard the agent go: it is told nothing of their coming back.
    expect(await notices(customer)).toEqual(['客服客服小王将为您服务']);
    expect(await entered(agent)).toHaveLength(1);
    await say(customer, '还在吗');
    await expect.poll(() => bubbles(agent)).toEqual(['你好', '您好', '在的', '还在吗']);
    expect(await entered(agent)).toHaveLength(1);
  }, 120_000);

  it("keeps the customer's face on the console and tells it once that the customer came in, when the agent is back first", async () => {
    const { env, page, agent, customer } = await chattingThenKilled();
    const customerOff = await heldOff(page);
    await start(env);
    // Back in the room, the customer not yet.
    await expect.poll(() => statusOf(agent), { timeout: 40_000 }).toBe('对方暂时离开,正在等待重新连接');
    expect(await agent.textContent('#customerAvatar')).toBe('🐶');
    await customerOff.back();
    await expect.poll(() => notices(agent), { timeout: 40_000 }).toContain('用户张三已回来');
    expect(await statusOf(agent)).toBe('正在服务 张三');
    expect(await entered(agent)).toHaveLength(1);
    expect(await agent.textContent('#customerAvatar')).toBe('🐶');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
  }, 120_000);
});
