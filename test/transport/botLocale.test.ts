import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, connectAgent, connectCustomer, customerUrl, getRoom, type TestClient } from '../helpers/client.js';
import { tempDataDir, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

/** /getroom while no agent is free, connect with the queue ticket (and `extra` query), read the position. */
async function waiting(name: string, extra = ''): Promise<TestClient> {
  const answer = await getRoom(server, name);
  const c = track(connect(customerUrl(server, name, answer.ticket as string) + extra));
  await c.nextMatching((f) => f.event === 'queue_position');
  return c;
}

/** Sends a question and returns the bot's answer. */
async function ask(c: TestClient, question: string): Promise<Record<string, unknown>> {
  c.send(question, { cid: `q${Math.random()}` });
  await c.nextMatching((f) => f.type === 'message');
  return c.nextMatching((f) => f.type === 'bot');
}

/** A folder with FAQ files of the test's own, named `name` → contents. */
function faqFolder(files: Record<string, unknown>): string {
  const dir = tempDataDir();
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(data));
  return dir;
}

describe('the FAQ bot in the customer’s language', () => {
  it('answers a customer whose page asked for English from the shipped English FAQ, and others from the Chinese one', async () => {
    server = await start();
    const ann = await waiting('ann', '&lang=en');
    expect(await ask(ann, 'What are your opening hours?')).toMatchObject({ matched: true, neiRong: expect.stringContaining('every day from 9:00 to 21:00') });
    const bob = await waiting('bob');
    expect(await ask(bob, '你们的营业时间是?')).toMatchObject({ matched: true, neiRong: expect.stringContaining('每天 9:00-21:00') });
    expect(await ask(bob, 'opening hours')).toMatchObject({ matched: false });
  });

  it("gives an English customer the English file's fallback, alone in `fallback`, with the queue position", async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    track(await connectCustomer(server, 'first', agent));
    const ann = await waiting('ann', '&lang=en');
    const answer = await ask(ann, 'hello?');
    expect(answer).toMatchObject({ matched: false, position: 1, agentsOnline: 1, fallback: 'Please hold on, an agent will be with you shortly' });
    // The wire text keeps the seed's framing around the fallback.
    expect(answer.neiRong).toBe('Please hold on, an agent will be with you shortly(您当前排在第 1 位)');
  });

  it('ignores a language it has no FAQ for, or a repeated one, and answers in the default language', async () => {
    server = await start();
    const fr = await waiting('fr', '&lang=fr');
    expect(await ask(fr, '营业时间')).toMatchObject({ matched: true, neiRong: expect.stringContaining('9:00-21:00') });
    const twice = await waiting('twice', '&lang=en&lang=en');
    expect(await ask(twice, 'opening hours')).toMatchObject({ matched: false, fallback: '请稍候,客服马上就来' });
  });

  it('finds the other locales’ files beside FAQ_FILE by its name, reloads each, and answers every locale from FAQ_FILE when its name has no locale', async () => {
    const dir = faqFolder({
      'help.zh.json': { fallback: '稍等', entries: [{ keywords: ['价格'], answer: '十元' }] },
      'help.en.json': { fallback: 'Wait', entries: [{ keywords: ['price'], answer: 'Ten' }] },
      'plain.json': { fallback: 'Only one', entries: [{ keywords: ['price'], answer: 'Same for all' }] },
    });
    server = await start({ FAQ_FILE: path.join(dir, 'help.zh.json') });
    expect(server.faq.files).toEqual([path.join(dir, 'help.zh.json'), path.join(dir, 'help.en.json')]);
    const ann = await waiting('ann', '&lang=en');
    expect(await ask(ann, 'the price?')).toMatchObject({ neiRong: 'Ten' });
    const reloaded = once(server.faq, 'reload');
    fs.writeFileSync(path.join(dir, 'help.en.json'), JSON.stringify({ entries: [{ keywords: ['price'], answer: 'Eleven' }] }));
    await reloaded;
    expect(await ask(ann, 'the price?')).toMatchObject({ neiRong: 'Eleven' });
    const bob = await waiting('bob', '&lang=zh');
    expect(await ask(bob, '价格')).toMatchObject({ neiRong: '十元' });

    server = await start({ FAQ_FILE: path.join(dir, 'plain.json') });
    const eve = await waiting('eve', '&lang=en');
    expect(await ask(eve, 'price')).toMatchObject({ neiRong: 'Same for all' });
  });
});
