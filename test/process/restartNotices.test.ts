import { describe, expect, it } from 'vitest';
import { connectWithCookie, signedIn } from '../helpers/accounts.js';
import { connect, resumeTokenOf, resumeUrl, sendAcked, type TestClient } from '../helpers/client.js';
import { seatCustomer } from '../helpers/inbox.js';
import { type TestServer, tempDataDir } from '../helpers/server.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;

/**
 * What each side is told when it comes back after a restart of the server (a real server
 * stopped, and another started on the same data directory).
 */
describe('coming back after a restart', () => {
  const env = () => ({ RATE_BURST: '1000', RATE_PER_SEC: '1000', RESERVATIONS_PER_ADDRESS: '100', DATA_DIR: tempDataDir() });

  /** Alice's console (an account with `avatar`, `maxChats` at once) and customers seated with her, then a restart. */
  async function restartWith(customers: string[], account: { maxChats?: number; avatar?: string } = {}) {
    const settings = env();
    const first = await servers.start(settings);
    const { cookie } = await signedIn(first, { name: 'Alice', maxChats: customers.length, ...account });
    const alice = track(connectWithCookie(first, cookie));
    await alice.nextMatching((f) => f.type === 'inbox');
    const seated: Array<{ name: string; client: TestClient; token: string }> = [];
    for (const name of customers) {
      const c = await seatCustomer(first, name, track);
      await alice.nextMatching((f) => f.event === 'customer_entered' && f.customer === name);
      seated.push({ name, client: c.client, token: resumeTokenOf(c.client) });
    }
    return { first, alice, cookie, seated, settings };
  }

  const resume = (server: TestServer, c: { name: string; token: string }) => track(connect(resumeUrl(server, c.name, c.token)));

  it('gives a console holding several conversations no unread count it cannot know', async () => {
    const { first, alice, cookie, seated, settings } = await restartWith(['bob', 'carol']);
    for (const [i, c] of seated.entries()) {
      await sendAcked(c.client, `${c.name} asks`, `q${i}`);
      await alice.nextMatching((f) => f.neiRong === `${c.name} asks`);
    }
    await first.close();
    const second = await servers.start(settings);
    const back = track(connectWithCookie(second, cookie));
    await back.nextMatching((f) => f.type === 'inbox');
    // The console read every message before the restart; with several conversations it sends
    // no since, so the server cannot tell what it missed.
    const resumed = back.frames.filter((f) => f.event === 'resumed');
    expect(resumed).toHaveLength(2);
    for (const f of resumed) expect(f.unread).toBeUndefined();
  });

  it('tells a console no wait of nothing for a customer who came back before the agent', async () => {
    const { first, cookie, seated, settings } = await restartWith(['bob']);
    await first.close();
    const second = await servers.start(settings);
    await resume(second, seated[0] as { name: string; token: string }).nextMatching((f) => f.event === 'resumed');
    const back = track(connectWithCookie(second, cookie));
    const entered = await back.nextMatching((f) => f.event === 'customer_entered');
    expect(entered).toMatchObject({ customer: 'bob', startedAt: expect.any(Number) });
    // The session that waited is gone with the restart: how long bob waited is not known, and not 0.
    expect(entered.waitedMs).toBeUndefined();
  });

  it("shows a customer who comes back before the agent the agent's own avatar", async () => {
    const { first, seated, settings } = await restartWith(['bob'], { avatar: 'cat' });
    expect(seated[0]?.client.frames.find((f) => f.event === 'agent_assigned')).toMatchObject({ avatar: 'cat' });
    await first.close();
    const second = await servers.start(settings);
    const bob = resume(second, seated[0] as { name: string; token: string });
    expect(await bob.nextMatching((f) => f.event === 'agent_assigned')).toMatchObject({ agent: 'Alice', avatar: 'cat' });
  });
});
