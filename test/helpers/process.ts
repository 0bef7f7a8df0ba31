import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { TEST_KEY, type TestServer } from './server.js';

/** A free TCP port on loopback (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in what the process printed (now or later). */
  printed(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Enough of a TestServer for the client helpers. */
  server: TestServer;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real launcher (`node index`) as a child and resolves once both ports listen. */
export async function spawnServer(env: { httpPort: number; wsPort: number; dataDir: string }, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['index.js'], {
    cwd: root,
    env: {
      ...process.env,
      KEFU_KEY: TEST_KEY,
      HOST: '127.0.0.1',
      HTTP_PORT: String(env.httpPort),
      WS_PORT: String(env.wsPort),
      DATA_DIR: env.dataDir,
      LOG_LEVEL: 'warn',
      // These tests send fast on purpose; the rate limit has tests of its own.
      RATE_BURST: '1000',
      RATE_PER_SEC: '1000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d.toString()));
  let out = '';
  const watchers: Array<() => void> = [];
  child.stdout?.on('data', (d) => {
    out += d.toString();
    for (const w of watchers.splice(0)) w();
  });
  const printed = (pattern: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const m = out.match(pattern);
        if (m) resolve(m);
        else watchers.push(check);
      };
      check();
      exited.then(() => reject(new Error(`server exited without printing ${pattern}: ${out}${stderr}`)));
    });
  await Promise.race([
    printed(/websocket 启动成功!/),
    exited.then(({ code }) => Promise.reject(new Error(`server exited (${code}) before listening: ${stderr}`))),
  ]);
  const server = {
    httpPort: env.httpPort,
    wsPort: env.wsPort,
    httpUrl: `http://127.0.0.1:${env.httpPort}`,
    wsUrl: `ws://127.0.0.1:${env.wsPort}`,
  } as TestServer;
  return { child, server, exited, printed };
}

/** Runs `node index` with these arguments and stdin to the end; resolves with its exit code and output. */
export async function runCommand(args: string[], stdin: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = path.resolve(__dirname, '..', '..');
  const child = spawn(process.execPath, ['index.js', ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d.toString()));
  child.stderr?.on('data', (d) => (stderr += d.toString()));
  child.stdin?.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr };
}

/** A private redis-server on its own port, for tests that stop and restart Redis. */
export async function spawnRedis(port: number): Promise<{ stop(): Promise<void> }> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    exited.then(() => reject(new Error(`redis-server exited: ${out}`)));
  });
  return {
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
