import client from 'prom-client';
import type { RoomRegistry } from './cluster/roomRegistry.js';
import { LatencyHistogram, Tally } from './hotPathMetrics.js';

/**
 * How often the event-loop lag is sampled. prom-client's default is a timer that wakes the
 * process a hundred times a second, which on an idle node costs more CPU than everything else
 * it does; ten samples a second still give each scrape plenty of them.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * The Prometheus metrics of one node, in a registry of its own (several servers in one test
 * process must not share counters). Room and queue gauges are read from the registry at scrape
 * time, so they are the cluster's view, not this node's.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly connections: client.Gauge<'role'>;
  readonly messages: Tally;
  readonly acks: Tally;
  readonly rejections: client.Counter<'code'>;
  readonly relayLatency: LatencyHistogram;
  readonly botAnswers: client.Counter<'matched'>;
  /** Sockets and requests refused before reaching the chat: per-address caps and rates, deadlines. */
  readonly edgeRefusals: client.Counter<'reason'>;

  constructor(rooms: RoomRegistry) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'kefu_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.connections = new client.Gauge({ name: 'kefu_connections', help: 'Open WebSocket connections by role', labelNames: ['role'], registers });
    this.messages = new Tally('kefu_messages_relayed_total', 'Messages delivered to a peer');
    this.acks = new Tally('kefu_acks_total', 'Stored messages acked to their sender (duplicates included)');
    this.rejections = new client.Counter({
      name: 'kefu_rejections_total',
      // Only codes the server chose: a client's own close code never becomes a label.
      help: 'Refused frames (by error code) and connections the server closed (by the close code it sent; 1000 aside)',
      labelNames: ['code'],
      registers,
    });
    this.relayLatency = new LatencyHistogram(
      'kefu_relay_latency_seconds',
      'From a frame arriving to its ack and relay leaving this node',
      [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    );
    for (const metric of [this.messages, this.acks, this.relayLatency]) this.registry.registerMetric(metric as unknown as client.Metric);
    this.botAnswers = new client.Counter({
      name: 'kefu_bot_answers_total',
      help: 'FAQ bot answers to waiting customers; matched="false" is the fallback (a question the FAQ may be missing)',
      labelNames: ['matched'],
      registers,
    });
    this.edgeRefusals = new client.Counter({
      name: 'kefu_edge_refusals_total',
      help: 'Sockets closed and requests refused at the edge, by reason: sockets_per_address, header_timeout, body_timeout, or the rate limit (getroom, upgrade, upload, public_post)',
      labelNames: ['reason'],
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
    gauge('kefu_rooms_busy', 'Rooms with a customer seated', (s) => s.busy);
    gauge('kefu_rooms_free', 'Rooms with no customer', (s) => s.rooms - s.busy);
    gauge('kefu_chats', 'Customers seated with an agent, in all rooms (a room takes up to its capacity)', (s) => s.seats);
    gauge('kefu_rooms_agent_away', 'Rooms whose agent dropped and is within grace', (s) => s.away);
    gauge('kefu_queue_length', 'Customers waiting for an agent', (s) => s.queue);
  }
}
