import { describe, expect, it } from 'vitest';
import { connectAgent, connectCustomer, sendAcked } from '../helpers/client.js';
import type { TestServer } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const { start, track } = useServers();
let server: TestServer;

describe('client message ids are one sender\u2019s', () => {
  it('delivers the new agent\u2019s message after a transfer although the old agent used the same cid', async () => {
    server = await start();
    const alice = track(await connectAgent(server, 'alice', '&v=2'));
    const customer = track(await connectCustomer(server, 'bob', alice));
    const dave = track(await connectAgent(server, 'dave', '&v=2'));
    expect(await sendAcked(alice, 'from alice', 'k1')).toMatchObject({ seq: 1 });
    await customer.nextMatching((f) => f.neiRong === 'from alice');
    alice.sendRaw(JSON.stringify({ type: 'transfer', to: 'dave' }));
    await customer.nextMatching((f) => f.event === 'agent_assigned' && f.agent === 'dave');
    await dave.nextMatching((f) => f.event === 'customer_entered');
    // dave's hand-over history holds alice's k1 (replayed): his own ack is the live one.
    dave.send('from dave', { cid: 'k1' });
    const ack = await dave.nextMatching((f) => f.cid === 'k1' && f.replay !== true);
    expect(ack).toMatchObject({ seq: 2, shuiFaDe: 'dave' });
    expect(ack.duplicate).toBeUndefined();
    expect(await customer.nextMatching((f) => f.neiRong === 'from dave')).toMatchObject({ seq: 2 });
  });

  it('stores a second private note with one cid for a different colleague', async () => {
    server = await start();
    const alice = track(await connectAgent(server, 'alice', '&v=2'));
    const bob = track(await connectAgent(server, 'bob', '&v=2'));
    const carol = track(await connectAgent(server, 'carol', '&v=2'));
    alice.sendRaw(JSON.stringify({ type: 'team', to: 'bob', neiRong: 'for bob', cid: 'n1' }));
    expect(await bob.nextMatching((f) => f.type === 'team' && f.neiRong === 'for bob')).toMatchObject({ to: 'bob' });
    alice.sendRaw(JSON.stringify({ type: 'team', to: 'carol', neiRong: 'for carol', cid: 'n1' }));
    const got = await carol.nextMatching((f) => f.type === 'team' && f.replay === undefined);
    expect(got).toMatchObject({ neiRong: 'for carol', to: 'carol' });
    expect(got.duplicate).toBeUndefined();
  });
});
