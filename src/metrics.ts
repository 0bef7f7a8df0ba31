import client from 'prom-client';
import type { RoomRegistry } from './cluster/roomRegistry.js';

/**
 * The Prometheus metrics of one node, in a registry of its own (several servers in one test
 * process must not share counters). Room and queue gauges are read from the registry at scrape
 * time, so they are the cluster's view, not this node's.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly connections: client.Gauge<'role'>;
  readonly messages: client.Counter;
  readonly acks: client.Counter;
  readonly rejections: client.Counter<'code'>;
  readonly relayLatency: LatencyHistogram;
  readonly botAnswers: client.Counter<'matched'>;

  constructor(rooms: RoomRegistry) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'kefu_' });
    this.connections = new client.Gauge({ name: 'kefu_connections', help: 'Open WebSocket connections by role', labelNames: ['role'], registers });
    this.messages = new client.Counter({ name: 'kefu_messages_relayed_total', help: 'Messages delivered to a peer', registers });
    this.acks = new client.Counter({ name: 'kefu_acks_total', help: 'Stored messages acked to their sender (duplicates included)', registers });
    this.rejections = new client.Counter({
      name: 'kefu_rejections_total',
      help: 'Refused frames (by error code) and closed connections (by close code)',
      labelNames: ['code'],
      registers,
    });
    this.relayLatency = new LatencyHistogram(
      'kefu_relay_latency_seconds',
      'From a frame arriving to its ack and relay leaving this node',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    );
    this.registry.registerMetric(this.relayLatency as unknown as client.Metric);
    this.botAnswers = new client.Counter({
      name: 'kefu_bot_answers_total',
      help: 'FAQ bot answers to waiting customers; matched="false" is the fallback (a question the FAQ may be missing)',
      labelNames: ['matched'],
      registers,
    });
    const gauge = (name: string, help: string, pick: (s: Awaited<ReturnType<RoomRegistry['stats']>>) => number) =>
      new client.Gauge({
        name,
        help,
        registers,
        async collect() {
          try {
            this.set(pick(await rooms.stats()));
          } catch {
            // Registry down: leave the last value; /healthz says why.
          }
        },
      });
    gauge('kefu_rooms', 'Agent rooms (online or within grace)', (s) => s.rooms);
    gauge('kefu_rooms_busy', 'Rooms with a customer seated or reserved', (s) => s.busy);
    gauge('kefu_rooms_free', 'Rooms with no customer', (s) => s.rooms - s.busy);
    gauge('kefu_rooms_agent_away', 'Rooms whose agent dropped and is within grace', (s) => s.away);
    gauge('kefu_queue_length', 'Customers waiting for an agent', (s) => s.queue);
  }
}

/**
 * A label-less histogram observed once per message: a bucket search and three additions, no
 * allocation (prom-client's Histogram.observe builds a closure, a label object and a label hash
 * per call). The registry reads it at scrape time in prom-client's own format.
 */
export class LatencyHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  /** Records one value (seconds). */
  observe(value: number): void {
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= (bounds[i] as number)) {
        (this.counts[i] as number)++;
        break;
      }
    }
    this.sum += value;
    this.count++;
  }

  /** What prom-client's registry asks every metric for: cumulative buckets, +Inf, sum, count. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> }> {
    const values = [];
    let cumulative = 0;
    for (let i = 0; i < this.bounds.length; i++) {
      cumulative += this.counts[i] as number;
      values.push({ labels: { le: this.bounds[i] as number }, value: cumulative, metricName: `${this.name}_bucket` });
    }
    values.push(
      { labels: { le: '+Inf' }, value: this.count, metricName: `${this.name}_bucket` },
      { labels: {}, value: this.sum, metricName: `${this.name}_sum` },
      { labels: {}, value: this.count, metricName: `${this.name}_count` },
    );
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}
