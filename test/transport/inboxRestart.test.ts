import { describe, expect, it } from 'vitest';
import { connectWithCookie } from '../helpers/accounts.js';
import { connect, resumeTokenOf, resumeUrl, sendAcked } from '../helpers/client.js';
import { openInbox, seatCustomer } from '../helpers/inbox.js';
import { tempDataDir } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;

describe('a restart under an agent with several chats', () => {
  it('restores every open conversation of the agent as a seat of one room, for both sides to resume', async () => {
    const env = { RATE_BURST: '1000', RATE_PER_SEC: '1000', RESERVATIONS_PER_ADDRESS: '100', DATA_DIR: tempDataDir() };
    const first = await servers.start(env);
    const alice = await openInbox(first, 'Alice', 3, track);
    const bob = await seatCustomer(first, 'bob', track);
    const carol = await seatCustomer(first, 'carol', track);
    await sendAcked(bob.client, 'bob before', 'b1');
    await sendAcked(carol.client, 'carol before', 'c1');
    await first.close();

    const second = await servers.start(env);
    const back = track(connectWithCookie(second, alice.cookie));
    const inbox = await back.nextMatching((f) => f.type === 'inbox');
    expect(inbox).toMatchObject({ capacity: 3, status: 'online' });
    expect(inbox.conversations).toEqual([
      expect.objectContaining({ conversationId: bob.conversationId, customer: 'bob', away: true }),
      expect.objectContaining({ conversationId: carol.conversationId, customer: 'carol', away: true }),
    ]);
    const replayed = back.frames.filter((f) => f.type === 'message' && f.replay === true).map((f) => [f.conversationId, f.neiRong]);
    expect(replayed).toEqual([
      [bob.conversationId, 'bob before'],
      [carol.conversationId, 'carol before'],
    ]);

    for (const c of [bob, carol]) {
      const name = c === bob ? 'bob' : 'carol';
      const again = track(connect(resumeUrl(second, name, resumeTokenOf(c.client), 1)));
      expect(await again.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Alice', conversationId: c.conversationId });
      expect(await back.nextMatching((f) => f.event === 'peer_back')).toMatchObject({ peer: name, conversationId: c.conversationId });
      back.send(`hello ${name}`, { cid: `a-${name}`, conversationId: c.conversationId });
      expect(await again.nextMatching((f) => f.type === 'message')).toMatchObject({ neiRong: `hello ${name}`, seq: 2 });
    }
    // The room takes the account's capacity again: a third customer is seated with Alice.
    expect((await seatCustomer(second, 'dave', track)).agent).toBe('Alice');
  });
});
