'use strict';
// npm run bench [-- --quick] [-- --gc] [-- --jit] [-- --only=sat,fixed,idle,cluster] [-- --kinds=raw,kefu] [-- --rounds=N] [-- --profile] [-- --paired=A,B]
// Measures kefu against a raw `ws` relay and a Socket.IO relay in the same run, interleaved
// (every kind once per round, several rounds), each measurement on fresh server and load
// processes, all on 127.0.0.1. Medians and ratios to the raw baseline go to stdout,
// bench/results/latest.json and docs/bench.svg.
const { fork, spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { renderChart } = require('./chart');

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const only = (args.find((a) => a.startsWith('--only=')) || '').slice('--only='.length).split(',').filter(Boolean);
// --rounds=N: fewer (or more) rounds of the full-size scenarios, for A/B runs of one change.
const roundsArg = Number((args.find((a) => a.startsWith('--rounds=')) || '').slice('--rounds='.length));
const ROUNDS = roundsArg > 0 ? roundsArg : QUICK ? 2 : 5;
/** Rounds of the fixed-load scenario in a full run. */
const FIXED_ROUNDS = 9;
// --profile: each server runs under --cpu-prof and writes bench/profiles/KIND-SCENARIO-*.cpuprofile
// (untracked), for finding where a kind spends CPU per message.
const PROFILE = args.includes('--profile');
const PROFILE_DIR = path.join(__dirname, 'profiles');
// --jit: each server runs with --trace-opt and each measurement also reports jitMsInSpan, the
// TurboFan compile time that fell inside the measured span (0 means the warm-up was long enough).
const JIT = args.includes('--jit');
// --gc: each server runs with --trace-gc-nvp and each measurement also reports what its GC did
// inside the measured span: scavenges, the bytes each one kept alive (new_space_survived) and
// promoted, the pause time a second, and the full GCs.
const GC = args.includes('--gc');
const TRACE = JIT || GC;
// --pin: the server on CPU 0 and the load generator on CPU 1 (taskset), so they never share a
// core's caches. Not the default: on this 2-core box it gave a server one core at saturation
// (100 pairs 0.91x -> 0.65x of raw) without making the fixed-load rounds less scattered.
const PIN = args.includes('--pin') && os.cpus().length >= 2 && spawnSync('taskset', ['--version']).status === 0;
// --kinds=raw,kefu: measure only these kinds (quick A/B runs of one change).
const onlyKinds = (args.find((a) => a.startsWith('--kinds=')) || '').slice('--kinds='.length).split(',').filter(Boolean);
// --candidate=DIR[,DIR2...]: adds a kind `cand-NAME` per directory, kefu built in another
// checkout (DIR/dist), so a change is measured against the current build in the same run,
// e.g. --kinds=raw,kefu,cand-wt-x --candidate=../wt-x.
const candidateDirs = (args.find((a) => a.startsWith('--candidate=')) || '').slice('--candidate='.length).split(',').filter(Boolean);
const candidateKinds = candidateDirs.map((dir) => `cand-${path.basename(path.resolve(dir))}`);
// --candidate-flags=F[,F2...]: node flags for the candidate kinds' servers only (e.g. a V8 flag
// to measure before operations.md recommends it), so one run compares a flag against none.
const candidateFlags = (args.find((a) => a.startsWith('--candidate-flags=')) || '').slice('--candidate-flags='.length).split(',').filter(Boolean);
// Kinds measured only when --kinds names them (the in-memory store: for tests and demos, not what users run).
const extraKinds = ['kefu-memory'].filter((k) => onlyKinds.includes(k));
// --paired=A,B: an A/B of two kinds at fixed load, both measured in the same seconds (each at
// half the load), so a neighbour's burst on this shared VM lands on both; see mainPaired.
const paired = (args.find((a) => a.startsWith('--paired=')) || '').slice('--paired='.length).split(',').filter(Boolean);
// --full: in a paired run, each server gets the whole fixed job (1,000 pairs, 5,000 msg/s), so
// the machine carries twice the usual load. Some effects only show at the full job: V8's
// pretenuring of kefu's per-send stream buffers did at 5,000 msg/s, never at 2,500 (bench/README.md,
// A/B runs; CHANGELOG.md 0.4.4).
const FULL = args.includes('--full');

const KINDS = {
  raw: { script: 'servers/raw.js', args: [], adapter: 'raw', label: 'raw ws relay' },
  socketio: { script: 'servers/socketio.js', args: [], adapter: 'socketio', label: 'Socket.IO 4 relay' },
  // kefu as users run it: the default SQLite store. The in-memory store is on demand (--kinds=...,kefu-memory).
  kefu: { script: 'servers/kefu.js', args: ['sqlite'], adapter: 'kefu', label: 'kefu (SQLite, default)' },
  'kefu-memory': { script: 'servers/kefu.js', args: ['memory'], adapter: 'kefu', label: 'kefu (STORE=memory)' },
  'kefu-cluster': { script: 'servers/kefuCluster.js', args: [], adapter: 'kefu', label: 'kefu, 2 nodes (Redis+PG)' },
  // The inbox as support teams run it: signed-in consoles taking 5 chats each (200 agents for
  // 1,000 customers), the same SQLite store; at fixed load only, beside the 1:1 run.
  'kefu-cap5': {
    script: 'servers/kefu.js',
    args: ['sqlite'],
    adapter: 'kefuInbox',
    env: { BENCH_AGENT_ACCOUNTS: '5' },
    label: 'kefu, 5 chats per agent',
  },
};
candidateDirs.forEach((dir, i) => {
  KINDS[candidateKinds[i]] = {
    script: 'servers/kefu.js',
    args: ['sqlite', path.resolve(dir, 'dist')],
    adapter: 'kefu',
    label: `kefu ${candidateKinds[i]}${candidateFlags.length > 0 ? ` ${candidateFlags.join(' ')}` : ''}`,
    execArgv: candidateFlags,
  };
});

const SCENARIOS = [
  ...(QUICK ? [1, 100] : [1, 100, 1000]).map((pairs) => ({
    id: `sat${pairs}`,
    group: 'sat',
    title: `saturation, ${pairs} pair${pairs > 1 ? 's' : ''}`,
    kinds: ['raw', 'socketio', 'kefu', ...extraKinds, ...candidateKinds],
    job: { mode: 'saturate', pairs, window: pairs === 1 ? 32 : pairs <= 100 ? 4 : 1, warmupMs: 1000, measureMs: QUICK ? 2000 : 3000 },
  })),
  {
    id: 'fixed',
    group: 'fixed',
    title: QUICK ? 'fixed load, 1,000 msg/s over 200 pairs' : 'fixed load, 5,000 msg/s over 1,000 pairs',
    kinds: ['raw', 'socketio', 'kefu', 'kefu-cap5', ...extraKinds, ...candidateKinds],
    // The warm-up runs until the JIT has settled: with 1 s, --jit showed TurboFan still compiling
    // in the span (kefu 63 ms, raw 20 ms of 4 s: node's stream code re-optimised after the
    // handshakes' HTTP traffic), which is start-up cost, not the per-message cost asked about.
    job: { mode: 'fixed', pairs: QUICK ? 200 : 1000, ratePerSec: QUICK ? 1000 : 5000, warmupMs: QUICK ? 2000 : 6000, measureMs: QUICK ? 2000 : 8000 },
    // The noisiest figure on a shared VM (single rounds of one build ranged 0.93x-1.66x of raw):
    // more rounds and a longer span (8 s, was 4 s) so that a GC cycle or a neighbour's burst
    // moves the median less. Other scenarios keep ROUNDS.
    rounds: roundsArg > 0 || QUICK ? ROUNDS : FIXED_ROUNDS,
  },
  {
    id: 'idle',
    group: 'idle',
    title: QUICK ? 'idle, 2,000 sockets' : 'idle, 10,000 sockets',
    kinds: ['raw', 'socketio', 'kefu', ...extraKinds, ...candidateKinds],
    job: { mode: 'idle', pairs: QUICK ? 1000 : 5000 },
  },
  // Two nodes behind Redis and PostgreSQL against one node with its embedded SQLite: not part
  // of the default run (it needs the services); --only=cluster runs it.
  {
    id: 'cluster-sat',
    group: 'cluster',
    title: 'two nodes, saturation, 100 pairs',
    kinds: ['raw', 'kefu', 'kefu-cluster'],
    job: { mode: 'saturate', pairs: 100, window: 4, warmupMs: 1000, measureMs: 3000 },
  },
  {
    id: 'cluster-fixed',
    group: 'cluster',
    title: 'two nodes, fixed load, 2,000 msg/s over 500 pairs',
    kinds: ['raw', 'kefu', 'kefu-cluster'],
    job: { mode: 'fixed', pairs: 500, ratePerSec: 2000, warmupMs: 1000, measureMs: 4000 },
  },
]
  .filter((s) => (only.length === 0 ? s.group !== 'cluster' : only.includes(s.group)))
  .map((s) => (onlyKinds.length === 0 ? s : { ...s, kinds: s.kinds.filter((k) => onlyKinds.includes(k)) }));

function waitFor(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.type === type) {
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(msg);
      } else if (msg.type === 'error') {
        child.off('message', onMessage);
        child.off('exit', onExit);
        reject(new Error(msg.message));
      }
    };
    const onExit = (code) => reject(new Error(`child exited (${code}) while waiting for ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let asked = 0;
async function ask(child, type) {
  const id = ++asked;
  child.send({ type, id });
  return waitFor(child, type);
}

/**
 * Stops a child: SIGTERM first, so one with children of its own (the two-node kind forks its
 * nodes) stops them too, then SIGKILL if it has not exited within two seconds.
 */
function kill(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A node child with an IPC channel, pinned to one CPU with --pin. */
function start(script, scriptArgs, { execArgv, cpu, ...options }) {
  if (!PIN) return fork(script, scriptArgs, { execArgv, ...options });
  return spawn('taskset', ['-c', String(cpu), process.execPath, ...execArgv, script, ...scriptArgs], options);
}

/** One measurement: fresh server, fresh load generator, both killed afterwards. */
async function measure(kindId, scenario, beforeGo = async () => {}) {
  const kind = KINDS[kindId];
  const execArgv = ['--expose-gc', ...(kind.execArgv ?? [])];
  if (JIT) execArgv.push('--trace-opt');
  if (GC) execArgv.push('--trace-gc-nvp');
  if (PROFILE)
    execArgv.push(
      '--cpu-prof',
      '--cpu-prof-interval=100',
      // A folder per server and node's own file names (pid and thread id): a fixed name would
      // have the checkpoint worker's profile overwrite the main thread's.
      `--cpu-prof-dir=${path.join(PROFILE_DIR, `${kindId}-${scenario.id}-${Date.now()}`)}`,
    );
  // The server's data (a SQLite file and its WAL) is made here and removed below: the server
  // is killed with SIGKILL and cannot clean up, and saturation runs write hundreds of MB each.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-'));
  const server = start(path.join(__dirname, kind.script), kind.args, {
    execArgv,
    cpu: 0,
    stdio: ['ignore', TRACE ? 'pipe' : 'ignore', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_DATA_DIR: dataDir, ...(TRACE ? { BENCH_MARK_CPU: '1' } : {}), ...kind.env },
  });
  const trace = TRACE ? traceMeter(server.stdout) : undefined;
  const load = start(path.join(__dirname, 'load.js'), [], { execArgv: [], cpu: 1, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const guard = setTimeout(() => {
    server.kill('SIGKILL');
    load.kill('SIGKILL');
  }, 120_000);
  try {
    const target = await waitFor(server, 'ready');
    const memBefore = await ask(server, 'mem');
    const limitMs = 90_000;
    load.send({ ...scenario.job, kind: kind.adapter, target, limitMs });
    const opened = await waitFor(load, 'opened');
    await beforeGo();
    const cpuStart = await ask(server, 'cpu');
    load.send({ type: 'go' });
    const finished = waitFor(load, 'done');
    finished.catch(() => {});
    // Server CPU is read again when the warm-up ends and the measured span starts.
    let cpuSpanStart = cpuStart;
    if (scenario.job.mode !== 'idle') {
      await waitFor(load, 'measuring');
      cpuSpanStart = await ask(server, 'cpu');
    }
    const done = await finished;
    const cpuEnd = await ask(server, 'cpu');
    const r = { ...done.result, openMs: opened.openMs };
    if (trace && scenario.job.mode !== 'idle') {
      // CPU marks: 1 before the warm-up, 2 when the span starts, 3 when it ends.
      const span = await trace.linesBetweenMarks(2, 3);
      if (JIT) r.jitMsInSpan = jitMs(span);
      if (GC) Object.assign(r, gcInSpan(span, scenario.job.measureMs));
    }
    if (scenario.job.mode === 'idle') {
      const memAfter = await ask(server, 'mem');
      const sockets = scenario.job.pairs * 2;
      r.rssPerConn = (memAfter.rss - memBefore.rss) / sockets;
      r.heapPerConn = (memAfter.heapUsed - memBefore.heapUsed) / sockets;
      r.sockets = sockets;
      load.send({ type: 'release' });
    } else {
      // The CPU of the measured span over what was delivered in it: the steady state a server
      // that runs for days is in. The warm-up (JIT compiling the hot path, a one-off cost that
      // grows with the amount of code, not with traffic) is left out, as its deliveries are.
      r.cpuMicrosPerMsg = (cpuEnd.micros - cpuSpanStart.micros) / Math.max(1, r.delivered);
      // The user-space share (JS, parsing, framing) apart from the kernel's (socket writes).
      r.userMicrosPerMsg = (cpuEnd.userMicros - cpuSpanStart.userMicros) / Math.max(1, r.delivered);
      // The former figure, warm-up CPU included pro rata, for comparison with older results.
      const spanShare = scenario.job.measureMs / (scenario.job.measureMs + scenario.job.warmupMs);
      r.cpuWithWarmupMicrosPerMsg = ((cpuEnd.micros - cpuStart.micros) * spanShare) / Math.max(1, r.delivered);
    }
    return r;
  } finally {
    clearTimeout(guard);
    await kill(load);
    // A profile is written only on a clean exit: ask the server to stop, then kill it if it hangs.
    if (PROFILE && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.send({ type: 'stop' });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    await kill(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const FIELDS = [
  'perSec',
  'cpuMicrosPerMsg',
  'userMicrosPerMsg',
  'cpuWithWarmupMicrosPerMsg',
  'p50',
  'p99',
  'rssPerConn',
  'heapPerConn',
  'openMs',
  'jitMsInSpan',
  'survivedKBPerScavenge',
  'promotedKBPerSec',
  'gcPauseMsPerSec',
  'scavengesPerSec',
  'longestGcPauseMs',
  'majorGCs',
];

/**
 * Reads a server's trace output (--trace-opt, --trace-gc-nvp) and the marks the server prints on
 * each CPU reading (BENCH_MARK_CPU), so what was traced is placed exactly between two readings.
 */
function traceMeter(stdout) {
  const segments = [[]];
  let tail = '';
  let ended = false;
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk) => {
    const lines = (tail + chunk).split('\n');
    tail = lines.pop();
    for (const line of lines) {
      if (line.startsWith('=== cpu mark')) segments.push([]);
      else segments[segments.length - 1].push(line);
    }
  });
  stdout.on('end', () => (ended = true));
  return {
    /** Trace lines after CPU mark `from` and before mark `to` (1-based), once both are printed. */
    async linesBetweenMarks(from, to) {
      for (let i = 0; i < 50 && segments.length <= to && !ended; i++) await new Promise((r) => setTimeout(r, 20));
      return segments.slice(from, to).flat();
    },
  };
}

/** TurboFan compile time (ms) in --trace-opt lines. */
function jitMs(lines) {
  let ms = 0;
  for (const line of lines) {
    const took = /took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
    if (took) ms += Number(took[1]) + Number(took[2]) + Number(took[3]);
  }
  return ms;
}

/** What the GC did in --trace-gc-nvp lines covering `spanMs`. */
function gcInSpan(lines, spanMs) {
  let scavenges = 0;
  let survived = 0;
  let promoted = 0;
  let majors = 0;
  let pauseMs = 0;
  let longest = 0;
  for (const line of lines) {
    const kind = / gc=(\w+)/.exec(line)?.[1];
    if (kind === undefined) continue;
    const pause = Number(/ pause=([\d.]+)/.exec(line)?.[1] ?? 0);
    pauseMs += pause;
    longest = Math.max(longest, pause);
    if (kind === 's') {
      scavenges++;
      survived += Number(/ new_space_survived=(\d+)/.exec(line)?.[1] ?? 0);
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    } else {
      majors++;
    }
  }
  return {
    scavenges,
    survivedKBPerScavenge: scavenges ? survived / scavenges / 1024 : 0,
    promotedKBPerSec: promoted / 1024 / (spanMs / 1000),
    gcPauseMsPerSec: pauseMs / (spanMs / 1000),
    scavengesPerSec: scavenges / (spanMs / 1000),
    // A pause this long shows in p99 whatever the mean pause is.
    longestGcPauseMs: longest,
    majorGCs: majors,
  };
}

async function main() {
  const started = Date.now();
  const samples = {}; // scenario -> kind -> [result]
  const lastRound = Math.max(...SCENARIOS.map((s) => s.rounds ?? ROUNDS));
  for (let round = 1; round <= lastRound; round++) {
    for (const scenario of SCENARIOS) {
      if (round > (scenario.rounds ?? ROUNDS)) continue;
      for (const kindId of scenario.kinds) {
        const r = await measure(kindId, scenario);
        samples[scenario.id] ??= {};
        const byKind = samples[scenario.id];
        byKind[kindId] ??= [];
        byKind[kindId].push(r);
        const brief = FIELDS.filter((f) => r[f] !== undefined && f !== 'openMs')
          .map((f) => `${f}=${fmt(r[f])}`)
          .join(' ');
        console.log(`round ${round}/${scenario.rounds ?? ROUNDS}  ${scenario.id.padEnd(7)} ${kindId.padEnd(11)} ${brief}`);
      }
    }
  }
  const results = {};
  for (const scenario of SCENARIOS) {
    results[scenario.id] = { title: scenario.title, job: scenario.job, kinds: {} };
    for (const kindId of scenario.kinds) {
      const runs = samples[scenario.id][kindId];
      const med = {};
      for (const f of FIELDS) med[f] = median(runs.map((r) => r[f]));
      // Each round's ratio to the raw relay measured just before it: how far one round strays.
      const raw = samples[scenario.id].raw;
      const perRound = {};
      for (const f of ['perSec', 'cpuMicrosPerMsg', 'p99']) {
        const ratios = raw ? runs.map((r, i) => (r[f] != null && raw[i]?.[f] ? r[f] / raw[i][f] : null)).filter((x) => x != null) : [];
        if (ratios.length > 0) perRound[f] = { min: Math.min(...ratios), median: median(ratios), max: Math.max(...ratios) };
      }
      results[scenario.id].kinds[kindId] = { median: med, runs: runs.length, ratioPerRound: perRound };
    }
  }
  const report = {
    date: new Date().toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      // What else used the CPU in the second before the run (checkIdle): near 0 for figures to trust.
      busyBefore: busyBefore === null ? null : Number(busyBefore.toFixed(3)),
    },
    pinned: PIN,
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    rounds: ROUNDS,
    fixedRounds: SCENARIOS.find((s) => s.id === 'fixed')?.rounds ?? null,
    durationSec: Math.round((Date.now() - started) / 1000),
    results,
    targets: evaluateTargets(results),
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  // A partial run (fewer rounds, some kinds) never replaces the full results or the chart.
  // So does one whose servers traced or profiled themselves: that costs them CPU.
  const partial = roundsArg > 0 || onlyKinds.length > 0 || TRACE || PROFILE;
  const name = partial ? 'partial' : QUICK ? 'quick' : only.length ? `latest-${only.join('-')}` : 'latest';
  fs.writeFileSync(path.join(__dirname, 'results', `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  if (!partial && !QUICK && only.length === 0) fs.writeFileSync(path.join(__dirname, '..', 'docs', 'bench.svg'), renderChart(report));
  printReport(report);
}

/** The issue's targets, each as a ratio to the raw ws baseline of the same run. */
function evaluateTargets(results) {
  const ratio = (scenario, kind, field) => {
    const k = results[scenario]?.kinds[kind]?.median[field];
    const base = results[scenario]?.kinds.raw?.median[field];
    return k != null && base ? k / base : null;
  };
  const out = [];
  for (const kind of ['kefu', 'kefu-cap5', ...candidateKinds, 'socketio', ...extraKinds, 'kefu-cluster']) {
    const cpu = ratio('fixed', kind, 'cpuMicrosPerMsg');
    const p99 = ratio('fixed', kind, 'p99');
    const thr = ['sat1', 'sat100', 'sat1000'].map((s) => ratio(s, kind, 'perSec')).filter((x) => x != null);
    const mem = ratio('idle', kind, 'rssPerConn');
    const memAbs = results.idle?.kinds[kind]?.median.rssPerConn;
    out.push(
      { kind, target: 'server CPU per message at fixed load <= 1.6x', value: cpu, pass: cpu != null && cpu <= 1.6 },
      {
        kind,
        target: 'saturation throughput >= 0.60x (worst of 1/100/1000 pairs)',
        value: thr.length ? Math.min(...thr) : null,
        pass: thr.length > 0 && Math.min(...thr) >= 0.6,
      },
      { kind, target: 'p99 latency at fixed load <= 2x', value: p99, pass: p99 != null && p99 <= 2 },
      { kind, target: 'memory per idle connection <= 1.6x and < 10 KB', value: mem, pass: mem != null && mem <= 1.6 && memAbs < 10 * 1024, abs: memAbs },
    );
  }
  return out.filter((t) => t.value != null);
}

function fmt(x) {
  if (x == null) return '-';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(Math.abs(x) >= 10 ? 1 : 2);
}

function printReport(report) {
  console.log(
    `\n${report.command}  ${report.date}  ${report.machine.cores} cores (${report.machine.cpu}), node ${report.machine.node}, ${report.rounds} rounds${report.fixedRounds && report.fixedRounds !== report.rounds ? ` (fixed load: ${report.fixedRounds})` : ''}, ${report.durationSec}s${report.pinned ? ', server and load generator pinned to a core each' : ''}\n`,
  );
  for (const [id, s] of Object.entries(report.results)) {
    console.log(`${s.title}`);
    // Without the raw kind (--kinds without raw) there is nothing to divide by: ratios show as '-'.
    const base = s.kinds.raw?.median ?? {};
    const x = (a, b) => (a != null && b ? a / b : null);
    for (const [kind, k] of Object.entries(s.kinds)) {
      const m = k.median;
      const cols = [];
      if (m.perSec != null) cols.push(`${fmt(m.perSec)} msg/s (${fmt(x(m.perSec, base.perSec))}x)`);
      const spread =
        k.ratioPerRound?.cpuMicrosPerMsg && kind !== 'raw'
          ? `, rounds ${fmt(k.ratioPerRound.cpuMicrosPerMsg.min)}-${fmt(k.ratioPerRound.cpuMicrosPerMsg.max)}x`
          : '';
      if (m.cpuMicrosPerMsg != null)
        cols.push(`${fmt(m.cpuMicrosPerMsg)} µs CPU/msg (${fmt(x(m.cpuMicrosPerMsg, base.cpuMicrosPerMsg))}x${spread}, user ${fmt(m.userMicrosPerMsg)} µs)`);
      if (m.p50 != null) cols.push(`p50 ${fmt(m.p50)} ms, p99 ${fmt(m.p99)} ms (${fmt(x(m.p99, base.p99))}x)`);
      if (m.survivedKBPerScavenge != null)
        cols.push(
          `GC: ${fmt(m.survivedKBPerScavenge)} KB kept per scavenge, ${fmt(m.promotedKBPerSec)} KB/s promoted, ${fmt(m.gcPauseMsPerSec)} ms/s paused, ${fmt(m.scavengesPerSec)} scavenges/s, longest pause ${fmt(m.longestGcPauseMs)} ms, ${fmt(m.majorGCs)} full GCs`,
        );
      if (m.rssPerConn != null)
        cols.push(
          `${fmt(m.rssPerConn)} B RSS/conn (${fmt(x(m.rssPerConn, base.rssPerConn))}x), ${fmt(m.heapPerConn)} B heap/conn, opened in ${fmt(m.openMs)} ms`,
        );
      console.log(`  ${KINDS[kind].label.padEnd(24)} ${cols.join('; ')}`);
    }
    void id;
  }
  console.log('\ntargets (ratio to raw ws, same run):');
  for (const t of report.targets)
    console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.kind.padEnd(11)} ${t.target}: ${fmt(t.value)}x${t.abs != null ? ` (${fmt(t.abs)} B)` : ''}`);
}

/** A meeting point for `n` measurements: each waits until all have opened their sockets. */
function barrier(n, timeoutMs) {
  let arrived = 0;
  let release;
  const all = new Promise((resolve) => (release = resolve));
  return () => {
    if (++arrived === n) release();
    return Promise.race([
      all,
      new Promise((_, reject) => setTimeout(() => reject(new Error('paired measurement: the other side never opened')), timeoutMs).unref()),
    ]);
  };
}

/**
 * --paired=A,B: the fixed-load scenario with A and B side by side in every round (each with
 * half the pairs and half the rate, so the machine carries the usual load), their warm-ups and
 * spans started together. What a round's ratio B/A then compares is the same seconds of the
 * same host, which the interleaved rounds cannot give: for A/B runs of one change, not for the
 * published figures (two servers and two load generators share the 2 cores).
 */
async function mainPaired([a, b]) {
  for (const k of [a, b]) if (!KINDS[k]) throw new Error(`--paired: unknown kind ${k}`);
  const fixed = SCENARIOS.find((s) => s.id === 'fixed');
  const half = FULL ? fixed : { ...fixed, job: { ...fixed.job, pairs: fixed.job.pairs / 2, ratePerSec: fixed.job.ratePerSec / 2 } };
  const rounds = roundsArg > 0 ? roundsArg : FIXED_ROUNDS;
  const runs = { [a]: [], [b]: [] };
  const ratios = { cpuMicrosPerMsg: [], userMicrosPerMsg: [], p99: [] };
  for (let round = 1; round <= rounds; round++) {
    const meet = barrier(2, 60_000);
    // Started in turn A first, then B first: with B always second, raw against raw measured
    // 1.04x (7 rounds, 0.99-1.06x); alternating, 0.99x (8 rounds, 0.98-1.02x).
    const [ra, rb] =
      round % 2 === 1
        ? await Promise.all([measure(a, half, meet), measure(b, half, meet)])
        : (await Promise.all([measure(b, half, meet), measure(a, half, meet)])).reverse();
    runs[a].push(ra);
    runs[b].push(rb);
    for (const f of Object.keys(ratios)) ratios[f].push(rb[f] / ra[f]);
    console.log(
      `round ${round}/${rounds}  ${a} ${fmt(ra.cpuMicrosPerMsg)} µs (user ${fmt(ra.userMicrosPerMsg)})  ${b} ${fmt(rb.cpuMicrosPerMsg)} µs (user ${fmt(rb.userMicrosPerMsg)})  ${b}/${a} ${fmt(rb.cpuMicrosPerMsg / ra.cpuMicrosPerMsg)}x`,
    );
  }
  const summary = (xs) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });
  const report = {
    date: new Date().toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    command: `npm run bench -- ${args.join(' ')}`,
    job: half.job,
    kinds: Object.fromEntries([a, b].map((k) => [k, Object.fromEntries(FIELDS.map((f) => [f, median(runs[k].map((r) => r[f]))]))])),
    ratioPerRound: Object.fromEntries(Object.entries(ratios).map(([f, xs]) => [f, summary(xs)])),
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'paired.json'), `${JSON.stringify(report, null, 2)}\n`);
  const r = report.ratioPerRound;
  console.log(
    `\n${report.command}  ${report.date}  ${report.machine.cores} cores (${report.machine.cpu}), ${rounds} paired rounds of ${half.job.ratePerSec} msg/s over ${half.job.pairs} pairs each`,
  );
  console.log(
    `  ${b}/${a} server CPU per message: median ${fmt(r.cpuMicrosPerMsg.median)}x (rounds ${fmt(r.cpuMicrosPerMsg.min)}-${fmt(r.cpuMicrosPerMsg.max)}x); user ${fmt(r.userMicrosPerMsg.median)}x; p99 ${fmt(r.p99.median)}x`,
  );
}

/** What else used the CPU just before the run (checkIdle), for the results file. */
let busyBefore = null;

/**
 * The share of the machine's CPU time that something else used over one second, from
 * /proc/stat (null where there is none). Every figure here assumes an otherwise idle machine: a
 * process left spinning from earlier work shifts every ratio, since the relays and kefu take
 * the cores it leaves in different proportions.
 */
async function busyElsewhere() {
  const sample = () => {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  };
  if (!fs.existsSync('/proc/stat')) return null;
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = sample();
  const total = after.total - before.total;
  return total > 0 ? 1 - (after.idle - before.idle) / total : null;
}

async function checkIdle() {
  const busy = await busyElsewhere();
  if (busy !== null && busy > 0.1) {
    console.error(`warning: ${Math.round(busy * 100)}% of the CPU was busy before the bench started: stop what runs (top) before trusting these figures`);
  }
  return busy;
}

checkIdle()
  .then((busy) => {
    busyBefore = busy;
    return paired.length === 2 ? mainPaired(paired) : main();
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
