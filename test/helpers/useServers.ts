import { afterEach } from 'vitest';
import type { ServerParts } from '../../src/server.js';
import type { TestClient } from './client.js';
import { startTestServer, type TestServer } from './server.js';

/** What a test file gets from `useServers()`: everything it starts or opens is closed after each test. */
export interface Servers {
  /** Starts a test server (`startTestServer`) that is closed after the test. */
  start(env?: Record<string, string>, parts?: ServerParts): Promise<TestServer>;
  /** Keeps a client to terminate after the test; returns it, so `track(await connectAgent(...))` reads as one step. */
  track<T extends TestClient>(client: T): T;
  /** Runs `cleanup` after the test: a cluster's drop, a proxy's close, a raw socket's destroy, a child's kill. */
  defer(cleanup: () => unknown): void;
}

/**
 * Registers the `afterEach` of a test file that starts servers and opens clients, and returns
 * the means to start and keep them. After each test the clients are terminated first, then the
 * servers and deferred clean-ups run newest first: a proxy or raw socket opened in front of a
 * server goes before it, and a cluster's drop, registered before its nodes start, runs once
 * they are closed. Every clean-up runs even when one fails; the first failure fails the test.
 */
export function useServers(): Servers {
  const clients: TestClient[] = [];
  const cleanups: Array<() => unknown> = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    const failures: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length > 0) throw failures[0];
  });

  return {
    async start(env = {}, parts = {}) {
      const server = await startTestServer(env, parts);
      cleanups.push(() => server.close());
      return server;
    },
    track(client) {
      clients.push(client);
      return client;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
