import { loadConfig } from './config.js';
import { createAdmin, readPassword, takeCreateAdmin, type CreateAdminRequest } from './createAdmin.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  let createRequest: CreateAdminRequest | undefined;
  try {
    const { request, rest } = takeCreateAdmin(process.argv.slice(2));
    createRequest = request;
    config = loadConfig(process.env, rest);
  } catch (err) {
    process.stderr.write(`kefu: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  if (createRequest) {
    // `node index --create-admin NAME`: the password from stdin, no server started.
    try {
      process.stdout.write(`${await createAdmin(config, createRequest, await readPassword())}\n`);
      process.exit(0);
    } catch (err) {
      process.stderr.write(`kefu: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  }
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { logger: log });
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

  // Printed once the signals are handled: whoever starts us on seeing these lines may stop us at once.
  log.info({ httpPort: server.httpPort, wsPort: server.wsPort }, 'kefu started');
  process.stdout.write(`http 启动成功! ${server.httpPort}\nwebsocket 启动成功! ${server.wsPort}\n`);
  process.stdout.write(`customer page: http://localhost:${server.httpPort}/yonghu.html\n`);
  process.stdout.write(`agent console: http://localhost:${server.httpPort}/kefu.html\n`);

  const setup = await server.accounts.links.setupLink();
  if (setup !== undefined) {
    // The token rides in the URL fragment, which browsers never send to a server or put in logs.
    process.stdout.write(
      `first run: create the owner account (this link works once, for an hour): http://localhost:${server.httpPort}/setup.html#token=${setup}\n`,
    );
    process.stdout.write('(or without a browser: node index --create-admin NAME, the password on stdin)\n');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`kefu: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
