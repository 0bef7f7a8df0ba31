import { describe, expect, it } from 'vitest';
import { statusOf, useE2E } from '../helpers/browser.js';
import { connect, customerUrl, getRoom } from '../helpers/client.js';

const e2e = useE2E({ GRACE_MS: '60000' });

/** Cuts every customer socket from the server side, as a network drop would. */
function dropCustomers(): void {
  const gateway = e2e.server.gateway as unknown as { router: { all(): Iterable<{ role: string; ws: { terminate(): void } }> } };
  for (const c of [...gateway.router.all()]) if (c.role === 'yonghu') c.ws.terminate();
}

/** A customer waiting behind the page's, connected by a plain socket. */
async function waitingBehind(name: string) {
  const answer = await getRoom(e2e.server, name);
  const other = connect(customerUrl(e2e.server, name, answer.ticket as string));
  await other.nextMatching((f) => f.event === 'queue_position');
  return other;
}

describe('a customer page waiting in the queue', () => {
  it('keeps its place across a reload and is then placed', async () => {
    const customer = await e2e.customerIn('张三');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    const other = await waitingBehind('李四');
    await customer.reload();
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    expect(await customer.isVisible('#again')).toBe(false);
    await e2e.agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    other.ws.terminate();
  });

  it('comes back to its place by itself after its socket drops', async () => {
    const { page: customer, requests } = await e2e.open('/yonghu.html');
    await customer.fill('#name', '张三');
    await customer.click('#contact');
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    dropCustomers();
    await expect.poll(() => requests.filter((u) => u.startsWith('ws:') && u.includes('resume=')).length).toBe(1);
    await expect.poll(() => statusOf(customer)).toBe('排队中,第 1 位');
    await e2e.agentOnline('客服小王', undefined, '正在服务 张三');
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    expect(await customer.isVisible('#again')).toBe(false);
  });
});
