import { describe, expect, it } from 'vitest';
import { AVATAR_IDS } from '../../src/protocol/avatars.js';
import { statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();

describe('avatars and customer info in the pages', () => {
  it('offers the same built-in avatar set as the server accepts, as labelled radio buttons', async () => {
    const { page } = await e2e.open('/yonghu.html');
    const values = await page.$$eval('#avatarChoices input[type=radio]', (rs) => rs.map((r) => (r as HTMLInputElement).value));
    expect(values).toEqual(['', ...AVATAR_IDS]);
    const labels = await page.$$eval('#avatarChoices input', (rs) => rs.map((r) => r.getAttribute('aria-label')));
    expect(labels.every((l) => typeof l === 'string' && l.length > 0)).toBe(true);
    expect(await page.textContent('.avatar-picker legend')).toBe('头像');
  });

  it('shows each side the avatar the other picked, and the agent how long the customer waited', async () => {
    const agent = await e2e.agentOnline('客服小王', undefined, undefined, 'owl');
    expect(await agent.textContent('#meAvatar')).toBe('🦉');

    const { page: customer } = await e2e.open('/yonghu.html');
    await customer.fill('#name', '张三');
    await customer.check('#avatarChoices input[value=panda]');
    await customer.click('#contact');
    await expect.poll(() => statusOf(customer)).toContain('为您服务');
    await expect.poll(() => customer.textContent('#peerAvatar')).toBe('🦉');
    await expect.poll(() => agent.textContent('#customerAvatar')).toBe('🐼');
    expect(await agent.textContent('#peerAvatar')).toBe('🐼');
    expect(await agent.textContent('#customerWaited')).toBe('无需等待');

    // Next to the peer's messages, on both pages.
    await customer.fill('#input', '你好');
    await customer.press('#input', 'Enter');
    await expect.poll(() => agent.textContent('#messages .msg.peer .avatar')).toBe('🐼');
    await agent.fill('#input', '您好');
    await agent.press('#input', 'Enter');
    await expect.poll(() => customer.textContent('#messages .msg.peer .avatar')).toBe('🦉');
  });

  it('remembers the picked avatar in this browser and draws one from the name by default', async () => {
    const { page } = await e2e.open('/yonghu.html');
    expect(await page.isChecked('#avatarChoices input[value=""]')).toBe(true);
    await page.fill('#name', '李四');
    expect(await page.textContent('#avatarChoices label:first-child .avatar')).toBe('李');
    await page.check('#avatarChoices input[value=whale]');
    await page.reload({ waitUntil: 'domcontentloaded' });
    expect(await page.isChecked('#avatarChoices input[value=whale]')).toBe(true);
  });
});
