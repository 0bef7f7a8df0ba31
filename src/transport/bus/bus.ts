import type { Delivery } from '../../domain/roomEvent.js';

/**
 * Carries deliveries to the node that holds their sessions (ws/deliveryRouter.ts reads the node
 * off a session id), and tells which nodes died.
 */
export interface Bus {
  /** This node's id: the NODE of the session ids it makes. */
  readonly nodeId: string;
  /** True when no other node can exist (the in-process bus): every session is this node's. */
  readonly alone?: boolean;
  /**
   * Starts receiving the deliveries other nodes address to this node. `resubscribed` is called
   * when the bus came back after an outage: deliveries sent meanwhile may be lost.
   */
  start(receive: (deliveries: Delivery[]) => void, resubscribed?: () => void): Promise<void>;
  /** Publishes deliveries to another node's channel; fails when the bus is down. */
  publish(node: string, deliveries: Delivery[]): Promise<void>;
  /** Nodes whose heartbeat lapsed, each handed to exactly one surviving node to clean up. */
  claimDeadNodes(): Promise<string[]>;
  /** Round trip to the bus's service, for /healthz. */
  ping(): Promise<void>;
  /** Stops receiving and tells the other nodes this one left. */
  close(): Promise<void>;
}
