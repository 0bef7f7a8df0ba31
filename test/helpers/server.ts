import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type KefuServer, type ServerParts } from '../../src/server.js';

export const TEST_KEY = 'test-agent-key-0123';

export interface TestServer extends KefuServer {
  config: Config;
  httpUrl: string;
  wsUrl: string;
}

/** A fresh folder for a test's SQLite database. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-test-'));
}

/**
 * Starts a real server on free ports with a known key and its own SQLite file in a temp dir;
 * env-style overrides as strings. The key is the legacy KEFU_KEY most tests connect agents with;
 * `KEFU_KEY: ''` starts one without it, as a deployment with accounts only.
 */
export async function startTestServer(env: Record<string, string> = {}, parts: ServerParts = {}): Promise<TestServer> {
  const config = loadConfig({ KEFU_KEY: TEST_KEY, HTTP_PORT: '0', WS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: tempDataDir(), ...env }, []);
  const server = await startServer(config, { logger: pino({ level: 'silent' }), ...parts });
  return {
    ...server,
    config,
    httpUrl: `http://127.0.0.1:${server.httpPort}`,
    wsUrl: `ws://127.0.0.1:${server.wsPort}`,
  };
}
