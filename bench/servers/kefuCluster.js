'use strict';
// Two kefu nodes sharing the machine's Redis and PostgreSQL: this process runs node A (agents
// connect here) and forks node B (customers connect here), so every message crosses the Redis
// bus. CPU and memory answers add up both processes.
const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const path = require('node:path');

const id = randomBytes(4).toString('hex');
const shared = {
  REDIS_URL: process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379',
  REDIS_PREFIX: `kefu-bench:${id}:`,
  DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  PG_SCHEMA: `kefu_bench_${id}`,
};
const env = { ...process.env, KEFU_EXTRA: JSON.stringify(shared) };

// BENCH_CLUSTER_DIST: another build's dist/ for both nodes, to compare two builds on two nodes.
const dist = process.env.BENCH_CLUSTER_DIST ? [process.env.BENCH_CLUSTER_DIST] : [];

function start(nodeArgs) {
  const child = fork(path.join(__dirname, 'kefu.js'), ['memory', ...dist], { env, execArgv: nodeArgs, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return new Promise((resolve) => child.once('message', (m) => resolve({ child, ready: m })));
}

function ask(child, msg) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (m.type === msg.type) {
        child.off('message', on);
        resolve(m);
      }
    };
    child.on('message', on);
    child.send(msg);
  });
}

(async () => {
  const a = await start(['--expose-gc']);
  const b = await start(['--expose-gc']);
  process.on('message', async (msg) => {
    if (msg.type === 'stop') {
      a.child.kill('SIGKILL');
      b.child.kill('SIGKILL');
      process.exit(0);
    }
    const [x, y] = await Promise.all([ask(a.child, msg), ask(b.child, msg)]);
    if (msg.type === 'cpu') process.send({ type: 'cpu', id: msg.id, micros: x.micros + y.micros, userMicros: x.userMicros + y.userMicros });
    if (msg.type === 'mem') process.send({ type: 'mem', id: msg.id, rss: x.rss + y.rss, heapUsed: x.heapUsed + y.heapUsed });
  });
  const kill = () => {
    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
  };
  process.on('exit', kill);
  process.on('SIGTERM', () => process.exit(0));
  process.send({ type: 'ready', agentWsPort: a.ready.wsPort, wsPort: b.ready.wsPort, httpPort: b.ready.httpPort, key: a.ready.key });
})();
