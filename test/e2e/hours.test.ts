import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bubbles, DESKTOP, statusOf, useE2E } from '../helpers/browser.js';
import { connect, connectAgent, customerUrl, sendAcked } from '../helpers/client.js';
import { shopPage } from '../helpers/hostSite.js';
import { useWidgetSite, widgetFrame } from '../helpers/widgetSite.js';

/** Filled in once the shop has its port, before the first server starts. */
const env: Record<string, string> = {};
const e2e = useE2E(env);
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** Hours on a day two days from today (UTC): the team is closed now, whatever the time of day. */
const CLOSED_TODAY = { BUSINESS_HOURS: `${DAYS[(new Date().getUTCDay() + 2) % 7]} 09:00-18:00`, BUSINESS_TZ: 'UTC' };

const site = useWidgetSite(e2e, env);
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 10_000 });

/**
 * The shop's page with the one tag, its panel opened, and kefu's customer page inside it; with
 * `timezoneId`, in a browser whose clock is in that zone.
 */
async function openWidget(timezoneId?: string): Promise<{ page: Page; chat: Frame }> {
  const { page } = await site.visitor(DESKTOP, undefined, timezoneId);
  await page.goto(site.shop.page(shopPage(e2e.server.httpUrl)), { waitUntil: 'domcontentloaded' });
  await page.getByRole('button', { name: '打开在线客服' }).click();
  return { page, chat: await widgetFrame(page) };
}

describe('business hours in the widget', () => {
  it('shows the hours and the leave-a-message form when closed, and never queues the visitor', async () => {
    await e2e.restartServer({ ...env, ...CLOSED_TODAY, PRECHAT_FIELDS: 'name,email' });
    await e2e.agentOnline();
    const { chat } = await openWidget();
    await poll(() => chat.isVisible('#hoursCard')).toBe(true);
    expect(await chat.textContent('#hoursTitle')).toBe('现在是非工作时间');
    expect(await chat.textContent('#hoursBack')).toMatch(/^我们将于.+回来$/);
    expect(await chat.$$eval('#hoursList li', (els) => els.map((e) => e.textContent))).toHaveLength(1);
    expect(await chat.textContent('#hoursZone')).toContain('UTC');
    // No way into the queue: the contact button is gone, the message form takes its place.
    expect(await chat.isHidden('#contact')).toBe(true);
    await chat.fill('#name', '张三');
    await chat.fill('#prechatEmail', 'zhangsan@example.com');
    await chat.click('#startOffline');
    // The message form takes the pre-chat e-mail as the way to reach the visitor.
    expect(await chat.inputValue('#offlineContact')).toBe('zhangsan@example.com');
    await chat.fill('#offlineText', '周末能发货吗?');
    await chat.click('#offlineSend');
    await poll(() => chat.textContent('#endedText')).toBe('留言已收到,客服会通过 zhangsan@example.com 联系您');
    expect(await chat.isHidden('#queueCard')).toBe(true);
    const presence = await (await fetch(`${e2e.server.httpUrl}/metrics`)).text();
    expect(presence).toMatch(/^kefu_queue_length 0$/m);
  });
});

describe('business hours in the visitor time zone', () => {
  it('lists the openings in the visitor own time zone and names the team zone', async () => {
    await e2e.restartServer({ ...env, ...CLOSED_TODAY, BUSINESS_TZ: 'Asia/Shanghai' });
    const { chat } = await openWidget('America/New_York');
    await poll(() => chat.isVisible('#hoursCard')).toBe(true);
    const { hours } = (await (await fetch(`${e2e.server.httpUrl}/api/widget`)).json()) as { hours: { periods: Array<{ opensAt: number; closesAt: number }> } };
    const inNewYork = new Intl.DateTimeFormat('zh-CN', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' });
    expect(await chat.$$eval('#hoursList li', (els) => els.map((e) => e.textContent))).toEqual(
      hours.periods.map((p) => inNewYork.formatRange(p.opensAt, p.closesAt)),
    );
    expect(await chat.textContent('#hoursZone')).toBe('以上为您所在时区(America/New_York)的时间;客服团队位于 Asia/Shanghai 时区');
  });
});

describe('the pre-chat form in the widget', () => {
  it('checks the e-mail by its field, then brings the e-mail to the console and the question as the first message', async () => {
    await e2e.restartServer({ ...env, PRECHAT_FIELDS: 'name,email:required,question:required' });
    const agent = await e2e.agentOnline();
    const { chat } = await openWidget();
    await poll(() => chat.isVisible('#prechatEmail')).toBe(true);
    expect(await chat.textContent('#prechatEmailLabel')).toBe('邮箱');
    await chat.fill('#name', '张三');
    await chat.fill('#prechatEmail', 'zhangsan-at-example');
    await chat.click('#contact');
    expect(await chat.textContent('#prechatEmailError')).toBe('邮箱格式不正确,例如 name@example.com');
    expect(await chat.getAttribute('#prechatEmail', 'aria-invalid')).toBe('true');
    expect(await chat.getAttribute('#prechatEmail', 'aria-describedby')).toBe('prechatEmailError');
    expect(await chat.textContent('#prechatQuestionError')).toBe('请填写您的问题');
    // The first field that is wrong has the focus, and nothing was asked of the server.
    expect(await chat.evaluate(() => document.activeElement?.id)).toBe('prechatEmail');
    expect(await chat.isVisible('#startView')).toBe(true);
    await chat.fill('#prechatEmail', 'zhangsan@example.com');
    await chat.fill('#prechatQuestion', '订单 123 什么时候发货?');
    await chat.click('#contact');
    await poll(() => chat.textContent('#status')).toBe('客服小王 为您服务');
    await poll(() => bubbles(agent)).toEqual(['订单 123 什么时候发货?']);
    await poll(() => agent.textContent('#customerEmail')).toBe('zhangsan@example.com(未验证)');
    expect(await statusOf(agent)).toBe('正在服务 张三');
  });
});

describe('the expected reply time in the widget', () => {
  it('shows how fast the team usually replies while an agent is online', async () => {
    // One conversation the agent answered at once: the median first response is under a minute.
    const agent = await connectAgent(e2e.server, '客服小李');
    const room = (await (await fetch(`${e2e.server.httpUrl}/getroom?userName=bob`)).json()) as { ticket: string };
    const customer = connect(customerUrl(e2e.server, 'bob', room.ticket));
    await customer.nextMatching((f) => f.event === 'agent_assigned');
    await agent.nextMatching((f) => f.event === 'customer_entered');
    await sendAcked(agent, '您好', 'r1');
    customer.close(1000);
    await agent.nextMatching((f) => f.event === 'customer_left');
    const { chat } = await openWidget();
    await poll(() => chat.textContent('#replyTime')).toBe('通常 1 分钟内回复');
    expect(await chat.isVisible('#replyTime')).toBe(true);
    agent.close(1000);
  });

  it('shows no reply time without recent replies', async () => {
    await e2e.restartServer({ ...env, PRECHAT_FIELDS: 'name,email' });
    await e2e.agentOnline();
    const { chat } = await openWidget();
    // The page has read /api/widget once the pre-chat field shows.
    await poll(() => chat.isVisible('#prechatEmail')).toBe(true);
    expect(await chat.isHidden('#replyTime')).toBe(true);
    expect(await chat.textContent('#replyTime')).toBe('');
  });
});
