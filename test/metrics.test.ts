import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../src/cluster/memoryRoomRegistry.js';
import { Metrics } from '../src/metrics.js';

/** The lines of one metric in a scrape. */
async function linesOf(registry: client.Registry, name: string): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.includes(name));
}

describe('per-message counters', () => {
  it('scrape exactly as prom-client Counters with the same increments would', async () => {
    const metrics = new Metrics(new MemoryRoomRegistry());
    const reference = new client.Registry();
    const acks = new client.Counter({ name: 'kefu_acks_total', help: 'Stored messages acked to their sender (duplicates included)', registers: [reference] });
    const relayed = new client.Counter({ name: 'kefu_messages_relayed_total', help: 'Messages delivered to a peer', registers: [reference] });
    for (let i = 0; i < 3; i++) {
      metrics.acks.inc();
      acks.inc();
    }
    metrics.messages.inc();
    relayed.inc();
    expect(await linesOf(metrics.registry, 'kefu_acks_total')).toContain('kefu_acks_total 3');
    for (const name of ['kefu_acks_total', 'kefu_messages_relayed_total']) {
      expect(await linesOf(metrics.registry, name)).toEqual(await linesOf(reference, name));
    }
    metrics.registry.resetMetrics();
    expect(await linesOf(metrics.registry, 'kefu_acks_total')).toContain('kefu_acks_total 0');
  });
});

describe('relay latency histogram', () => {
  it('scrapes exactly as a prom-client Histogram with the same observations would', async () => {
    const metrics = new Metrics(new MemoryRoomRegistry());
    const reference = new client.Registry();
    const histogram = new client.Histogram({
      name: 'kefu_relay_latency_seconds',
      help: 'From a frame arriving to its ack and relay leaving this node',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [reference],
    });
    for (const v of [0.0001, 0.0005, 0.0007, 0.003, 0.003, 0.2, 1, 7]) {
      metrics.relayLatency.observe(v);
      histogram.observe(v);
    }
    const ours = await linesOf(metrics.registry, 'kefu_relay_latency_seconds');
    expect(ours).toContain('kefu_relay_latency_seconds_bucket{le="0.0005"} 2');
    expect(ours).toContain('kefu_relay_latency_seconds_count 8');
    expect(ours).toEqual(await linesOf(reference, 'kefu_relay_latency_seconds'));
  });

  it('starts again from zero when the registry resets its metrics', async () => {
    const metrics = new Metrics(new MemoryRoomRegistry());
    metrics.relayLatency.observe(0.002);
    metrics.registry.resetMetrics();
    expect(await linesOf(metrics.registry, 'kefu_relay_latency_seconds_count')).toEqual(['kefu_relay_latency_seconds_count 0']);
  });
});
