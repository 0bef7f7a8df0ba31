import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connect, customerUrl } from '../helpers/client.js';
import { notices, statusOf, useE2E } from '../helpers/browser.js';
import { inboxOnline, listRows, openChat } from '../helpers/console.js';

const SECRET = 'widget-secret-for-tests-0123456789abcdef';
const e2e = useE2E({ WIDGET_SECRET: SECRET });

/** The identity parameters a site's backend signs for one of its users. */
function identityQuery(id: string, name: string, email: string): string {
  const expiry = Math.floor(Date.now() / 1000) + 600;
  const signature = createHmac('sha256', SECRET).update(`kefu-identity-v1\n${id}\n${name}\n${email}\n${expiry}`, 'utf8').digest('hex');
  return new URLSearchParams({
    identityId: id,
    identityName: name,
    identityEmail: email,
    identityExpiry: String(expiry),
    identitySignature: signature,
  }).toString();
}

describe('console defects', () => {
  it('takes the "transferring…" toast down once the transfer went through', async () => {
    const wang = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    const li = await e2e.agentOnline('客服小李');
    // Every text the toast shows, however briefly.
    await wang.evaluate(() => {
      const notice = document.getElementById('notice') as HTMLElement;
      const shown: string[] = [];
      (window as unknown as { shown: string[] }).shown = shown;
      new MutationObserver(() => {
        if (!notice.hidden) shown.push(notice.textContent ?? '');
      }).observe(notice, { attributes: true, childList: true, characterData: true, subtree: true });
    });
    await wang.click('#agents button[aria-label="把当前用户转接给 客服小李"]');
    await expect.poll(() => statusOf(li)).toBe('正在服务 张三');
    await expect.poll(() => notices(wang)).toContain('用户张三已转接给客服客服小李');
    expect(await wang.evaluate(() => (window as unknown as { shown: string[] }).shown)).toContain('正在转接给 客服小李…');
    expect(await wang.isHidden('#notice')).toBe(true);
  });

  it('resolves when the resolve dialog, cancelled, is opened again before its close event came', async () => {
    const agent = await e2e.agentOnline('客服小王');
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await agent.click('#resolve');
    await expect.poll(() => agent.isVisible('#resolveDialog')).toBe(true);
    // Escape then Enter at once, as a quick keyboard does: the close event of the first comes after the second opened.
    await agent.evaluate(() => {
      (document.getElementById('resolveDialog') as HTMLDialogElement).close('cancel');
      (document.getElementById('resolve') as HTMLButtonElement).click();
    });
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe('resolveCancel');
    await agent.click('#resolveConfirm');
    await expect.poll(() => statusOf(customer)).toBe('会话已结束');
  });
});

describe('verified identity in the console', () => {
  it('marks the customer whose identity the site signed as verified, with the e-mail, and a typed name not', async () => {
    const agent = await inboxOnline(e2e, '客服小王', 2);
    const server = e2e.server;
    const identity = identityQuery('user-42', '王先生', 'wang@example.com');
    const answer = (await (await fetch(`${server.httpUrl}/getroom?userName=x&${identity}`)).json()) as { ticket: string };
    const wang = connect(`${customerUrl(server, '王先生', answer.ticket)}&${identity}`);
    try {
      await wang.opened;
      await expect.poll(() => agent.textContent('#peer')).toBe('王先生');
      expect(await agent.isVisible('#customerVerified')).toBe(true);
      expect(await agent.textContent('#customerVerified')).toBe('已验证');
      expect(await agent.textContent('#customerEmail')).toBe('wang@example.com');
      await e2e.customerIn('张三');
      await expect.poll(async () => (await listRows(agent)).map((r) => r[0])).toEqual(['张三', '王先生 已验证']);
      const marks = await agent.$$eval('#conversationList .conv', (rows) => rows.map((r) => r.querySelector('.verified')?.getAttribute('title') ?? ''));
      expect(marks).toEqual(['', '网站已签名确认此访客的身份']);
      // The screen reader hears it on the row's button. Found and read in one evaluation: the list
      // is drawn again on every event, and a button found before a redraw and read after it
      // would name parts that are no longer in the page.
      const described = await agent.evaluate(() => {
        const button = document.querySelector('#conversationList .conv:last-child .conv-open');
        return (button?.getAttribute('aria-describedby') ?? '')
          .split(' ')
          .map((id) => document.getElementById(id)?.textContent)
          .join(' | ');
      });
      expect(described).toMatch(/^已验证 \| /);
      await openChat(agent, '张三');
      expect(await agent.isHidden('#customerVerified')).toBe(true);
      expect(await agent.isHidden('#customerEmail')).toBe(true);
    } finally {
      wang.ws.close();
    }
  });
});
