'use strict';
// node bench/heartbeat.js [--sockets=9000] [--heartbeat-ms=30000] [--span-ms=35000] [--dist=DIR]
// What the heartbeat holds: kefu (dist/, or DIR, the default SQLite store) with many idle agent
// sockets open and one customer who sends a message every 5 ms over more than a heartbeat round.
// The acks' round trips show every wait the pings cause; their p50 / p99 / p99.9 / max go to stdout.
// The load stays under this machine's 20,000 open files per process: the idle sockets' client
// ends are in a process of their own (the holder), their server ends in the server.
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { wsOpen } = require('./clients');

const option = (name, fallback) => {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg === undefined ? fallback : arg.slice(name.length + 3);
};
const SOCKETS = Number(option('sockets', 9000));
const HEARTBEAT_MS = Number(option('heartbeat-ms', 30000));
const SPAN_MS = Number(option('span-ms', HEARTBEAT_MS + 5000));
const DIST = path.resolve(option('dist', path.join(__dirname, '../dist')));
const OPEN_AT_ONCE = 200;
const SEND_EVERY_MS = 5;

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-heartbeat-'));
  const server = fork(path.join(__dirname, 'servers/kefu.js'), ['sqlite', DIST], {
    env: { ...process.env, BENCH_DATA_DIR: dataDir, KEFU_EXTRA: JSON.stringify({ HEARTBEAT_MS: String(HEARTBEAT_MS) }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let holder;
  const guard = setTimeout(() => {
    server.kill('SIGKILL');
    holder?.kill('SIGKILL');
    console.error('heartbeat bench exceeded its time limit');
    process.exit(1);
  }, SPAN_MS + 120_000);
  const ready = await new Promise((resolve) => server.once('message', resolve));
  // The idle sockets' client ends answer the pings in a process of their own, so the probe below
  // keeps sending while they do (sharing its process, it would send less during a burst of pings).
  holder = fork(__filename, [`--hold=${ready.wsPort}`, `--key=${ready.key}`, `--sockets=${SOCKETS}`], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let customer;
  try {
    await new Promise((resolve, reject) => {
      holder.once('message', resolve);
      holder.once('exit', () => reject(new Error('the idle sockets could not be opened')));
    });
    const answer = await (await fetch(`http://127.0.0.1:${ready.httpPort}/getroom?userName=probe`)).json();
    customer = await wsOpen(`ws://127.0.0.1:${ready.wsPort}/?type=yonghu&name=probe&ticket=${answer.ticket}`);
    const sentAt = new Map();
    const waits = [];
    let sending = true;
    let allAcked;
    const acked = new Promise((resolve) => {
      allAcked = resolve;
    });
    customer.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      const at = sentAt.get(frame.cid);
      if (at === undefined) return;
      waits.push(performance.now() - at);
      sentAt.delete(frame.cid);
      if (!sending && sentAt.size === 0) allAcked();
    });
    let sent = 0;
    await new Promise((resolve) => {
      const end = Date.now() + SPAN_MS;
      const timer = setInterval(() => {
        const cid = `c${++sent}`;
        sentAt.set(cid, performance.now());
        customer.send(JSON.stringify({ neiRong: `probe ${sent}`, cid }));
        if (Date.now() >= end) {
          clearInterval(timer);
          sending = false;
          resolve();
        }
      }, SEND_EVERY_MS);
    });
    // Every message is acked: the figures wait for the last ack.
    if (sentAt.size > 0) await acked;
    waits.sort((a, b) => a - b);
    const at = (q) => Number(waits[Math.min(waits.length - 1, Math.floor(q * waits.length))].toFixed(1));
    console.log(
      JSON.stringify({
        dist: DIST,
        sockets: SOCKETS,
        heartbeatMs: HEARTBEAT_MS,
        acks: waits.length,
        p50: at(0.5),
        p99: at(0.99),
        p999: at(0.999),
        maxMs: at(1),
      }),
    );
  } finally {
    clearTimeout(guard);
    customer?.terminate();
    holder.kill('SIGKILL');
    server.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The holder: opens the idle agent sockets, says so, and keeps them (ws answers each ping). */
async function hold(wsPort, key) {
  const sockets = [];
  for (let i = 0; i < SOCKETS; i += OPEN_AT_ONCE) {
    const batch = [];
    for (let j = i; j < Math.min(SOCKETS, i + OPEN_AT_ONCE); j++) batch.push(wsOpen(`ws://127.0.0.1:${wsPort}/?type=kefu&name=ag${j}&key=${key}`));
    sockets.push(...(await Promise.all(batch)));
  }
  process.send({ opened: sockets.length });
}

const holdPort = option('hold', undefined);
(holdPort === undefined ? main() : hold(holdPort, option('key', ''))).catch((err) => {
  console.error(err);
  process.exit(1);
});
