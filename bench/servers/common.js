'use strict';
// What every server under test does besides relaying: report its port, and answer the
// orchestrator's questions about CPU and memory over IPC.

/** Answers {type:'cpu'} with process.cpuUsage() and {type:'mem'} with memory after a full GC. */
function serveStats(ready) {
  process.on('message', (msg) => {
    if (msg.type === 'cpu') {
      // For run.js --jit: places the compile times of --trace-opt between CPU readings.
      if (process.env.BENCH_MARK_CPU) console.log('=== cpu mark');
      const u = process.cpuUsage();
      process.send({ type: 'cpu', id: msg.id, micros: u.user + u.system, userMicros: u.user });
    } else if (msg.type === 'mem') {
      // Twice: the first pass can leave garbage that the second frees (weak refs, finalizers).
      global.gc();
      global.gc();
      const m = process.memoryUsage();
      process.send({ type: 'mem', id: msg.id, rss: m.rss, heapUsed: m.heapUsed });
    } else if (msg.type === 'stop') {
      process.exit(0);
    }
  });
  process.send({ type: 'ready', ...ready });
}

module.exports = { serveStats };
