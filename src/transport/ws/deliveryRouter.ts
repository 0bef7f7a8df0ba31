// Imported rather than read as a global: Node defines globalThis.Buffer as an accessor, and each
// use on the message path went through a global load (perf: LoadGlobalIC).
import { Buffer } from 'node:buffer';
import type { Logger } from 'pino';
import type { Delivery } from '../../domain/roomEvent.js';
import { CloseCode } from '../../protocol/closeCodes.js';
import { closeReasons } from '../../protocol/notices.js';
import type { Bus } from '../bus/bus.js';
import type { Connection } from './connection.js';
import { encodeEvent, type ImageUrlOf } from './encodeEvent.js';

/** The node a session id belongs to. */
function nodeOfSession(session: string): string {
  const dot = session.indexOf('.');
  return dot === -1 ? '' : session.slice(0, dot);
}

/**
 * Where the broker's deliveries go: to this node's connections directly, to other nodes' over
 * the bus. It holds this node's open connections by session id and makes those ids: a session id
 * is `NODE.N`, so the node of any addressee is read off its id alone.
 */
export class DeliveryRouter {
  private readonly connections = new Map<string, Connection>();
  /** Session ids are `NODE.N`: an addressee's node is read off its id. */
  private readonly localPrefix: string;
  /** The only node (the in-process bus): every addressee is local, no id needs reading. */
  private readonly alone: boolean;
  private nextId = 0;

  constructor(
    private readonly bus: Bus,
    /** The URL an image message's frame carries. */
    private readonly imageUrl: ImageUrlOf | undefined,
    private readonly log: Logger,
  ) {
    this.localPrefix = `${bus.nodeId}.`;
    this.alone = bus.alone === true;
  }

  /** A session id for a new connection on this node. */
  nextSessionId(): string {
    return `${this.localPrefix}${this.nextId++}`;
  }

  /** Makes a new connection reachable by its id. */
  add(conn: Connection): void {
    this.connections.set(conn.id, conn);
  }

  /** A closed connection: what is still addressed to it is dropped. */
  remove(conn: Connection): void {
    this.connections.delete(conn.id);
  }

  /** Number of open, admitted or pending, connections on this node. */
  get size(): number {
    return this.connections.size;
  }

  /** This node's open connections. */
  all(): IterableIterator<Connection> {
    return this.connections.values();
  }

  /** Sends deliveries: ours directly, the others' to their node over the bus. */
  deliver(deliveries: Delivery[]): void {
    // One node (the default): every addressee is ours.
    if (this.alone || this.allLocal(deliveries)) {
      this.deliverLocal(deliveries);
      return;
    }
    const isLocal = (id: string) => id.startsWith(this.localPrefix);
    const local: Delivery[] = [];
    const remote = new Map<string, Delivery[]>();
    for (const d of deliveries) {
      const mine = d.to.filter(isLocal);
      if (mine.length > 0) local.push(mine.length === d.to.length ? d : { to: mine, event: d.event });
      for (const id of d.to) {
        if (isLocal(id)) continue;
        const node = nodeOfSession(id);
        const list = remote.get(node) ?? [];
        list.push({ to: [id], event: d.event });
        remote.set(node, list);
      }
    }
    this.deliverLocal(local);
    for (const [node, list] of remote) {
      this.bus.publish(node, list).catch((err: unknown) => this.log.warn({ err, node }, 'bus send failed'));
    }
  }

  private allLocal(deliveries: Delivery[]): boolean {
    for (const d of deliveries) for (const id of d.to) if (!id.startsWith(this.localPrefix)) return false;
    return true;
  }

  /**
   * Sends each delivery's frame, encoded once, to every addressee still connected here (the
   * deliveries other nodes publish to us arrive here too).
   */
  deliverLocal(deliveries: Delivery[]): void {
    const now = Date.now();
    for (const { event, to } of deliveries) {
      if (event.kind === 'replaced') {
        for (const id of to) this.connections.get(id)?.end(CloseCode.REPLACED, closeReasons.replaced);
        continue;
      }
      const text = JSON.stringify(encodeEvent(event, now, this.imageUrl));
      // An echo and its relay: the frame is turned into bytes once, not once per socket.
      const data = to.length > 1 ? Buffer.from(text) : text;
      for (const id of to) {
        const conn = this.connections.get(id);
        if (!conn) continue;
        if (conn.held) conn.held.push({ event, data });
        else conn.sendEvent(event, data);
      }
    }
  }
}
