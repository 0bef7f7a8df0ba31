import pino from 'pino';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type KefuServer, type ServerParts } from '../../src/server.js';

export const TEST_KEY = 'test-agent-key-0123';

export interface TestServer extends KefuServer {
  config: Config;
  httpUrl: string;
  wsUrl: string;
}

/** Starts a real server on free ports with a known key; env-style overrides as strings. */
export async function startTestServer(env: Record<string, string> = {}, parts: ServerParts = {}): Promise<TestServer> {
  const config = loadConfig({ KEFU_KEY: TEST_KEY, HTTP_PORT: '0', WS_PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env }, []);
  const server = await startServer(config, { logger: pino({ level: 'silent' }), ...parts });
  return {
    ...server,
    config,
    httpUrl: `http://127.0.0.1:${server.httpPort}`,
    wsUrl: `ws://127.0.0.1:${server.wsPort}`,
  };
}
