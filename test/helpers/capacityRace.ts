import { connect, customerUrl, getRoom, type TestClient } from './client.js';
import type { TestServer } from './server.js';

/** What a burst of customers came to: who was seated with whom, and how many wait. */
export interface RaceOutcome {
  seatedWith: Map<string, number>;
  waiting: number;
}

/**
 * `count` customers ask for an agent all at once (round-robin over `nodes`), then all connect at
 * once with their tickets; resolves when each is seated or has a place in the queue.
 */
export async function customersAtOnce(nodes: TestServer[], count: number, track: (c: TestClient) => TestClient): Promise<RaceOutcome> {
  const names = Array.from({ length: count }, (_, i) => `rush${i}`);
  const answers = await Promise.all(names.map((name, i) => getRoom(nodes[i % nodes.length] as TestServer, name)));
  const outcomes = await Promise.all(
    names.map(async (name, i) => {
      const client = track(connect(customerUrl(nodes[i % nodes.length] as TestServer, name, answers[i]?.ticket as string)));
      const first = await client.nextMatching((f) => f.event === 'agent_assigned' || f.event === 'queue_position');
      return first.event === 'agent_assigned' ? (first.agent as string) : undefined;
    }),
  );
  const seatedWith = new Map<string, number>();
  let waiting = 0;
  for (const agent of outcomes) {
    if (agent === undefined) waiting++;
    else seatedWith.set(agent, (seatedWith.get(agent) ?? 0) + 1);
  }
  return { seatedWith, waiting };
}
