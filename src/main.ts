import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kefu: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { logger: log });
  log.info({ httpPort: server.httpPort, wsPort: server.wsPort }, 'kefu started');
  process.stdout.write(`http 启动成功! ${server.httpPort}\nwebsocket 启动成功! ${server.wsPort}\n`);
  process.stdout.write(`customer page: http://localhost:${server.httpPort}/yonghu.html\n`);
  if (config.kefuKeyGenerated) {
    // The key rides in the URL fragment, which browsers never send to a server or put in logs.
    process.stdout.write(`agent console (KEFU_KEY not set, generated for this run): http://localhost:${server.httpPort}/kefu.html#key=${config.kefuKey}\n`);
  } else {
    process.stdout.write(`agent console: http://localhost:${server.httpPort}/kefu.html (key from KEFU_KEY)\n`);
  }

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The FAQ is also watched; SIGHUP is for file systems where watching does not work.
  process.on('SIGHUP', () => server.faq.reload());
}

main().catch((err: unknown) => {
  process.stderr.write(`kefu: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
