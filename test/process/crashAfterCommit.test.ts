import { describe, expect, it } from 'vitest';
import { connect, connectAgent, connectCustomer, resumeTokenOf, resumeUrl, sendAcked } from '../helpers/client.js';
import { freePort, spawnServer } from '../helpers/process.js';
import { tempDataDir, type TestServer } from '../helpers/server.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';
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

describe('a crash after the commit, before the ack', () => {
  it('acks the resend of the unacked message as a duplicate with its original id and seq', async () => {
    const env = { httpPort: await freePort(), wsPort: await freePort(), dataDir: tempDataDir() };
    const first = await start(env);
    // The customer reaches the server through a proxy that can keep the server's frames from it.
    const proxy = await startTcpProxy(env.wsPort);
    defer(() => proxy.close());
    const viaProxy: TestServer = { ...first.server, wsUrl: `ws://127.0.0.1:${proxy.port}` };
    const agent = track(await connectAgent(first.server, 'alice'));
    const customer = track(await connectCustomer(viaProxy, 'bob', agent));
    const token = resumeTokenOf(customer);
    expect((await sendAcked(customer, 'before', 'c1')).seq).toBe(1);

    proxy.holdDownstream();
    customer.send('the one in doubt', { cid: 'c2' });
    // The relay goes out only once the message is committed: the agent seeing it means stored.
    const relayed = await agent.nextMatching((f) => f.type === 'message' && f.neiRong === 'the one in doubt');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(customer.frames.some((f) => f.cid === 'c2')).toBe(false);

    const second = await start(env);
    const back = track(connect(resumeUrl(second.server, 'bob', token, 1)));
    await back.nextMatching((f) => f.event === 'resumed');
    // The replay after seq 1 already shows it stored; a page that resends its outbox anyway:
    expect(await back.nextMatching((f) => f.type === 'message')).toMatchObject({ id: relayed.id, seq: 2 });
    back.send('the one in doubt', { cid: 'c2' });
    const ack = await back.nextMatching((f) => f.cid === 'c2' && f.duplicate === true);
    expect(ack).toMatchObject({ type: 'message', id: relayed.id, seq: 2 });
    expect((await sendAcked(back, 'after', 'c3')).seq).toBe(3);
  });
});
