import type { Bus } from './bus.js';

/** The single-process default: every session is local, no node ever dies but this one. */
export class LocalBus implements Bus {
  readonly nodeId = 'local';
  readonly alone = true;

  async start(): Promise<void> {}

  async publish(node: string): Promise<void> {
    throw new Error(`no node ${node} in a single-process deployment`);
  }

  async claimDeadNodes(): Promise<string[]> {
    return [];
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
