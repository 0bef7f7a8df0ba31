import { describe, expect, it } from 'vitest';
import { bubbles, say, statusOf, useE2E } from '../helpers/browser.js';

const e2e = useE2E();

describe('addresses in messages', () => {
  it('shows an agent\u2019s https address as a safe link and a javascript: text as text', async () => {
    const agent = await e2e.agentOnline();
    const customer = await e2e.customerIn();
    await expect.poll(() => statusOf(customer)).toBe('客服小王 为您服务');
    await say(agent, 'see https://example.com/a?b=1.');
    await say(agent, 'javascript:alert(1)');
    await expect.poll(() => bubbles(customer)).toEqual(['see https://example.com/a?b=1.', 'javascript:alert(1)']);
    const links = await customer.$$eval('#messages .msg .bubble a:not(.thumb-link)', (as) =>
      as.map((a) => ({ href: a.getAttribute('href'), rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent })),
    );
    expect(links).toEqual([{ href: 'https://example.com/a?b=1', rel: 'noopener noreferrer', target: '_blank', text: 'https://example.com/a?b=1' }]);
    // The text around the link stays text, and the second message is nothing but text.
    const pieces = await customer.$$eval('#messages .msg.peer .bubble', (bs) => bs.map((b) => Array.from(b.childNodes, (n) => n.nodeName)));
    expect(pieces).toEqual([['#text', 'A', '#text'], ['#text']]);
    // The agent's own copy links the same way.
    await expect.poll(() => agent.$$eval('#messages .msg.own .bubble a', (as) => as.map((a) => a.getAttribute('href')))).toEqual(['https://example.com/a?b=1']);
  });
});
