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
// BENCH_AGENT_ACCOUNTS=N: agents sign in with accounts that take N chats each (the inbox), made
// straight in the store with a cheap password hash (the hash carries its cost; sign-in checks it
// as any other), so the run measures chatting, not scrypt.
const capacity = Number(process.env.BENCH_AGENT_ACCOUNTS || 0);
// Enough agents for the largest job (1,000 customers) at that capacity.
const AGENTS = capacity > 0 ? Math.ceil(1000 / capacity) : 0;
const PASSWORD = 'bench password 0123';

async function addAgents(s) {
  const { hashPassword } = require(path.join(dist, 'domain/accounts/passwords.js'));
  const { agentNameKey } = require(path.join(dist, 'cluster/roomRegistry.js'));
  const passwordHash = await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  for (let i = 0; i < AGENTS; i++) {
    const name = `agent${i}`;
    const made = await s.accounts.stores.accounts.createAccount(
      { name, login: name, role: 'agent', passwordHash, avatar: null, email: null, maxChats: capacity },
      agentNameKey(name),
      Date.now(),
    );
    if (!made.ok) throw new Error(`cannot add ${name}: ${made.reason}`);
  }
}

startServer(config, { logger: pino({ level: 'silent' }) }).then(async (s) => {
  if (capacity > 0) await addAgents(s);
  serveStats({ wsPort: s.wsPort, httpPort: s.httpPort, key: env.KEFU_KEY, ...(capacity > 0 ? { capacity, password: PASSWORD } : {}) });
});
