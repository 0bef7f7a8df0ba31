import { describe, expect, it } from 'vitest';
import { customersAtOnce } from '../helpers/capacityRace.js';
import { openInbox } from '../helpers/inbox.js';
import { useServers } from '../helpers/useServers.js';

const servers = useServers();
const { track } = servers;

/** Limits out of the way: every customer of the burst comes from one address. */
const BURST_ENV = {
  RATE_BURST: '1000',
  RATE_PER_SEC: '1000',
  RESERVATIONS_PER_ADDRESS: '1000',
  GETROOM_PER_MINUTE: '10000',
  UPGRADES_PER_MINUTE: '10000',
  MAX_SOCKETS_PER_ADDRESS: '1000',
};

describe('capacity under a burst of customers', () => {
  it('seats exactly as many customers as the agents’ capacities add up to, each agent up to their own', async () => {
    const server = await servers.start(BURST_ENV);
    const capacities: Record<string, number> = { Alice: 3, Dave: 2, Erin: 1, Finn: 5 };
    for (const [name, capacity] of Object.entries(capacities)) await openInbox(server, name, capacity, track);
    const total = 11;
    const outcome = await customersAtOnce([server], total + 9, track);
    expect(Object.fromEntries(outcome.seatedWith)).toEqual(capacities);
    expect(outcome.waiting).toBe(9);
  });
});
