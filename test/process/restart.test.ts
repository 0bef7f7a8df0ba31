import { describe, expect, it } from 'vitest';
import { agentUrl, connect, connectAgent, connectCustomer, resumeTokenOf, resumeUrl, sendAcked, type TestClient } from '../helpers/client.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process.js';
import { tempDataDir } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { track, defer } = useServers();

async function start(env: { httpPort: number; wsPort: number; dataDir: string }) {
  const p = await spawnServer(env);
  defer(async () => {
    p.child.kill('SIGKILL');
    await p.exited;
  });
  return p;
}

/** A conversation with `n` acked messages each way; returns what each side saw acked. */
async function conversation(p: ServerProcess, n: number) {
  const agent = track(await connectAgent(p.server, 'alice'));
  const customer = track(await connectCustomer(p.server, 'bob', agent));
  const acked: string[] = [];
  for (let i = 0; i < n; i++) {
    acked.push((await sendAcked(customer, `c${i}`, `c${i}`)).neiRong);
    acked.push((await sendAcked(agent, `a${i}`, `a${i}`)).neiRong);
  }
  return { agent, customer, acked, token: resumeTokenOf(customer) };
}

async function replayed(client: TestClient, count: number): Promise<Array<{ seq: number; neiRong: string }>> {
  const out = [];
  for (let i = 0; i < count; i++) {
    const f = await client.nextMatching((x) => x.type === 'message');
    out.push({ seq: f.seq as number, neiRong: f.neiRong });
  }
  return out;
}

describe('restart', () => {
  it('keeps every acked message, in order and resumable, across a SIGKILL', async () => {
    const env = { httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() };
    const first = await start(env);
    const { acked, token } = await conversation(first, 25);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await start(env);
    const customer = track(connect(resumeUrl(second.server, 'bob', token, 0)));
    expect(await customer.nextMatching((f) => f.event === 'resumed')).toMatchObject({ recovered: true, lastSeq: 50 });
    const got = await replayed(customer, 50);
    expect(got.map((m) => m.neiRong)).toEqual(acked);
    expect(got.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    const agent = track(connect(`${agentUrl(second.server, 'alice')}&since=48`));
    expect((await replayed(agent, 2)).map((m) => m.seq)).toEqual([49, 50]);
    expect((await sendAcked(customer, 'after restart', 'x')).seq).toBe(51);
    expect((await agent.nextMatching((f) => f.type === 'message' && f.replay !== true)).neiRong).toBe('after restart');
    // Back after the restart, the customer never heard the agent go: nothing says the agent came back.
    expect(customer.frames.filter((f) => f.event === 'peer_back')).toEqual([]);
  });

  it('on SIGTERM closes clients with 1012, exits 0, and comes back resumable', async () => {
    const env = { httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() };
    const first = await start(env);
    const { customer, agent, acked, token } = await conversation(first, 3);
    first.child.kill('SIGTERM');
    expect((await customer.closed).code).toBe(1012);
    expect((await agent.closed).code).toBe(1012);
    expect(await first.exited).toEqual({ code: 0, signal: null });

    const second = await start(env);
    const back = track(connect(resumeUrl(second.server, 'bob', token, 0)));
    expect((await replayed(back, 6)).map((m) => m.neiRong)).toEqual(acked);
  });
});
