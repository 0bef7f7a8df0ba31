import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MemoryRoomRegistry } from '../src/cluster/memoryRoomRegistry.js';
import { Metrics } from '../src/metrics.js';

/** The lines of one metric in a scrape. */
async function linesOf(registry: client.Registry, name: string): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.includes(name));
}

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
