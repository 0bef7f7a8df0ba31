import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect, connectAgent, connectCustomer, customerUrl, getRoom, type TestClient } from '../helpers/client.js';
import { startTestServer, tempDataDir, type TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

/** A FAQ file of the test's own, so it can be edited while the server runs. */
function faqFile(entries: unknown, fallback = '请稍候,客服马上就来'): string {
  const file = path.join(tempDataDir(), 'faq.json');
  fs.writeFileSync(file, JSON.stringify({ fallback, entries }));
  return file;
}

/** /getroom while no agent is free, connect with the queue ticket, read the position. */
async function waiting(name: string): Promise<TestClient> {
  const answer = await getRoom(server, name);
  const c = track(connect(customerUrl(server, name, answer.ticket as string)));
  await c.nextMatching((f) => f.event === 'queue_position');
  return c;
}

/** Sends a question and returns the bot's answer, after checking the question's echo. */
async function ask(c: TestClient, question: string, cid = `q${Math.random()}`): Promise<Record<string, unknown>> {
  c.send(question, { cid });
  expect(await c.next()).toMatchObject({ type: 'message', neiRong: question, role: 'yonghu', cid });
  const answer = await c.next();
  expect(answer).toMatchObject({ type: 'bot', shuiFaDe: '小助手' });
  return answer;
}

describe('FAQ bot', () => {
  it('answers a waiting customer who asks about opening hours from the shipped FAQ', async () => {
    server = await start();
    const bob = await waiting('bob');
    const answer = await ask(bob, '你们的营业时间是?');
    expect(answer).toMatchObject({ matched: true, neiRong: expect.stringContaining('9:00-21:00') });
  });

  it('says no agent is online, and that a message can be left, when nothing matches and nobody is online', async () => {
    server = await start();
    const bob = await waiting('bob');
    expect(await ask(bob, '你好')).toMatchObject({ matched: false, agentsOnline: 0, neiRong: expect.stringContaining('留言') });
  });

  it('falls back to "an agent is coming" with the queue position while every agent is busy', async () => {
    server = await start();
    const agent = track(await connectAgent(server, 'alice'));
    track(await connectCustomer(server, 'first', agent));
    const bob = await waiting('bob');
    expect(await ask(bob, '你好')).toMatchObject({ matched: false, agentsOnline: 1, position: 1, neiRong: '请稍候,客服马上就来(您当前排在第 1 位)' });
  });

  it('shows the agent who takes the customer what they asked the bot, right after customer_entered (protocol 2)', async () => {
    server = await start();
    const bob = await waiting('bob');
    await ask(bob, '营业时间?');
    await ask(bob, '<b>你好</b>');
    const agent = track(await connectAgent(server, 'alice', '&v=2'));
    await agent.nextMatching((f) => f.event === 'customer_entered');
    const history = await agent.next();
    expect(history).toMatchObject({ type: 'bot_history', shuiFaDe: '系统', neiRong: '用户-bob-排队时问了小助手 2 个问题', customer: 'bob' });
    expect(history.botExchanges).toEqual([
      { question: '营业时间?', answer: expect.stringContaining('9:00-21:00'), matched: true, ts: expect.any(Number) },
      { question: '<b>你好</b>', answer: '请稍候,客服马上就来', matched: false, ts: expect.any(Number) },
    ]);
  });

  it('keeps the bot out of the conversation itself, and out of seed consoles', async () => {
    server = await start();
    const bob = await waiting('bob');
    await ask(bob, '营业时间');
    const agent = track(await connectAgent(server, 'alice'));
    await agent.nextMatching((f) => f.event === 'customer_entered');
    bob.send('now a person', { cid: 'p1' });
    // Nothing between the entry notice and the first message, which is seq 1: the bot's lines are not in it.
    expect(await agent.next()).toMatchObject({ neiRong: 'now a person', seq: 1 });
  });

  it('answers from the edited FAQ after the file changes, without a restart', async () => {
    const file = faqFile([{ keywords: ['营业时间'], answer: '旧的回答' }]);
    server = await start({ FAQ_FILE: file });
    const bob = await waiting('bob');
    expect((await ask(bob, '营业时间')).neiRong).toBe('旧的回答');
    const reloaded = once(server.faq, 'reload');
    fs.writeFileSync(file, JSON.stringify({ entries: [{ keywords: ['营业时间'], answer: '新的回答' }] }));
    await reloaded;
    expect((await ask(bob, '营业时间')).neiRong).toBe('新的回答');
  });

  it('keeps answering from the last good FAQ when the file is broken', async () => {
    const file = faqFile([{ keywords: ['营业时间'], answer: '好的回答' }]);
    server = await start({ FAQ_FILE: file });
    const bob = await waiting('bob');
    const refused = once(server.faq, 'error');
    fs.writeFileSync(file, '{"entries": [ {"keywords": ["营业时间"], "answer": ');
    await refused;
    expect((await ask(bob, '营业时间')).neiRong).toBe('好的回答');
  });

  it('does not start with a FAQ file that is missing or broken', async () => {
    const broken = path.join(tempDataDir(), 'faq.json');
    fs.writeFileSync(broken, '{"entries": 3}');
    await expect(startTestServer({ FAQ_FILE: broken })).rejects.toThrow(/FAQ_FILE.*entries/);
    await expect(startTestServer({ FAQ_FILE: path.join(tempDataDir(), 'none.json') })).rejects.toThrow(/ENOENT/);
  });

  it('sends the bot answer to seed clients too: it is a chat line with its own sender', async () => {
    server = await start();
    const bob = await waiting('bob');
    bob.send('营业时间');
    await bob.next();
    const answer = await bob.next();
    expect(typeof answer.neiRong).toBe('string');
    expect(answer.shuiFaDe).toBe('小助手');
  });

  it("reserves the bot's name: nobody can connect or ask for a room as 小助手", async () => {
    server = await start();
    const res = await fetch(`${server.httpUrl}/getroom?userName=${encodeURIComponent('小助手')}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_name' });
    const agent = track(connect(`${server.wsUrl}/?type=kefu&name=${encodeURIComponent(' 小助手 ')}&key=x`));
    expect((await agent.closed).code).toBe(4400);
  });

  it('echoes markup in a question as the same text, never altered or interpreted', async () => {
    server = await start();
    const bob = await waiting('bob');
    const xss = '<img src=x onerror="alert(1)">营业时间';
    expect((await ask(bob, xss)).matched).toBe(true);
  });

  it('counts bot answers, matched and fallback, in /metrics', async () => {
    server = await start();
    const bob = await waiting('bob');
    await ask(bob, '营业时间');
    await ask(bob, '你好');
    await ask(bob, '退款');
    const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(text).toContain('kefu_bot_answers_total{matched="true"} 2');
    expect(text).toContain('kefu_bot_answers_total{matched="false"} 1');
  });

  it('tells /getroom callers how many agents are online when they are not placed', async () => {
    server = await start({ QUEUE_MAX: '1' });
    const a = await getRoom(server, 'a');
    expect(a).toMatchObject({ room: false, position: 1, agentsOnline: 0 });
    const waiting = track(connect(customerUrl(server, 'a', a.ticket as string)));
    await waiting.nextMatching((f) => f.event === 'queue_position');
    expect(await getRoom(server, 'b')).toMatchObject({ room: false, full: true, agentsOnline: 0 });
  });
});
