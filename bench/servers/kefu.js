'use strict';
// The product, started from its compiled output exactly as `node index` would, with limits
// opened up for load (rate limits would otherwise answer most frames with rate_limited, and
// the per-address limits would refuse most connections).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const pino = require('pino');
// A second argument points at another build's dist/ (run.js --candidate): A/B in one run.
const dist = process.argv[3] || path.join(__dirname, '../../dist');
const { loadConfig } = require(path.join(dist, 'config.js'));
const { startServer } = require(path.join(dist, 'server.js'));
const { serveStats } = require('./common');

const store = process.argv[2] === 'sqlite' ? 'sqlite' : 'memory';
const env = {
  KEFU_KEY: 'bench-key-0123456789',
  HOST: '127.0.0.1',
  HTTP_PORT: '0',
  WS_PORT: '0',
  STORE: store,
  DATA_DIR: process.env.BENCH_DATA_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-bench-')),
  RATE_BURST: '1000000',
  RATE_PER_SEC: '1000000',
  ABUSE_BURST: '1000000',
  QUEUE_MAX: '100000',
  HEARTBEAT_MS: '30000',
  // Every load client comes from 127.0.0.1: the per-address caps would refuse all but the first few hundred.
  MAX_SOCKETS_PER_ADDRESS: '1000000',
  UPGRADES_PER_MINUTE: '1000000',
  GETROOM_PER_MINUTE: '1000000',
};
const config = loadConfig({ ...env, ...(process.env.KEFU_EXTRA ? JSON.parse(process.env.KEFU_EXTRA) : {}) }, []);
startServer(config, { logger: pino({ level: 'silent' }) }).then((s) => {
  serveStats({ wsPort: s.wsPort, httpPort: s.httpPort, key: env.KEFU_KEY });
});
