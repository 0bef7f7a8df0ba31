'use strict';
// The load generator: a process of its own, so its CPU is not the server's. It takes one job
// over IPC, opens the pairs, runs the job, answers with figures and exits. Every loop is bounded
// by count and by time.
const { adapters } = require('./clients');

const PAD = 'x'.repeat(100);

/** ~100-byte content whose head is the send time, so the receiver can measure latency. */
function content() {
  return `${performance.now().toFixed(3)}|${PAD}`.slice(0, 100);
}

async function openPairs(kind, target, n, deadline) {
  const pairs = [];
  // A few at a time: the kefu handshake is three round trips per pair.
  const batch = 50;
  for (let i = 0; i < n; i += batch) {
    if (Date.now() > deadline) throw new Error(`opening pairs took too long (${pairs.length}/${n})`);
    const chunk = [];
    for (let j = i; j < Math.min(n, i + batch); j++) chunk.push(adapters[kind].pair(target, j));
    pairs.push(...(await Promise.all(chunk)));
  }
  return pairs;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Saturation: each side of each pair keeps `window` messages in flight (sent, not yet seen by
 * the peer) and sends again as soon as one lands. Counts peer deliveries in the measured span.
 */
async function saturate(pairs, { window, warmupMs, measureMs }) {
  let counting = false;
  let delivered = 0;
  let stop = false;
  for (const p of pairs) {
    for (const [from, to, fromName] of [
      [p.a, p.b, p.names[0]],
      [p.b, p.a, p.names[1]],
    ]) {
      // Messages from `from` land at `to`; each landing frees a slot in `from`'s window.
      to.onMessage((_text, sender) => {
        if (sender !== fromName) return;
        if (counting) delivered++;
        if (!stop) from.send(content());
      });
      for (let k = 0; k < window; k++) from.send(content());
    }
  }
  await sleep(warmupMs);
  counting = true;
  process.send({ type: 'measuring' });
  const started = performance.now();
  await sleep(measureMs);
  counting = false;
  stop = true;
  const elapsed = (performance.now() - started) / 1000;
  return { delivered, perSec: delivered / elapsed };
}

/** Fixed offered load: every pair's customer side sends at an even rate; latency at the peer. */
async function fixedLoad(pairs, { ratePerSec, warmupMs, measureMs }) {
  const latencies = [];
  let counting = false;
  let delivered = 0;
  for (const p of pairs) {
    p.b.onMessage((text, sender) => {
      if (sender !== p.names[0]) return;
      if (!counting) return;
      delivered++;
      latencies.push(performance.now() - Number(text.slice(0, text.indexOf('|'))));
    });
  }
  // One timer drives all pairs in turn: ratePerSec messages a second spread evenly.
  const tickMs = 5;
  const perTick = (ratePerSec * tickMs) / 1000;
  let owed = 0;
  let next = 0;
  const timer = setInterval(() => {
    owed += perTick;
    while (owed >= 1) {
      pairs[next % pairs.length].a.send(content());
      next++;
      owed -= 1;
    }
  }, tickMs);
  await sleep(warmupMs);
  counting = true;
  process.send({ type: 'measuring' });
  const started = performance.now();
  await sleep(measureMs);
  counting = false;
  clearInterval(timer);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  return { delivered, perSec: delivered / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

process.once('message', async (job) => {
  const hardStop = setTimeout(() => {
    process.send({ type: 'error', message: 'load job exceeded its time limit' });
    process.exit(1);
  }, job.limitMs);
  try {
    const t0 = performance.now();
    const pairs = await openPairs(job.kind, job.target, job.pairs, Date.now() + job.limitMs / 2);
    const openMs = performance.now() - t0;
    process.send({ type: 'opened', openMs });
    // The orchestrator samples server CPU/memory now, then says go.
    await new Promise((resolve) => process.once('message', resolve));
    let result = { openMs };
    if (job.mode === 'saturate') result = { ...result, ...(await saturate(pairs, job)) };
    if (job.mode === 'fixed') result = { ...result, ...(await fixedLoad(pairs, job)) };
    process.send({ type: 'done', result });
    // Idle mode: hold the sockets until the orchestrator has measured memory.
    if (job.mode === 'idle') await new Promise((resolve) => process.once('message', resolve));
    clearTimeout(hardStop);
    process.exit(0);
  } catch (err) {
    process.send({ type: 'error', message: String(err?.stack ? err.stack : err) });
    process.exit(1);
  }
});
