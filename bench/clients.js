'use strict';
// One adapter per server kind: open a pair of connected clients and give each a send() and an
// onMessage(). Everything else in the load generator is shared, so the kinds differ only here.
const WebSocket = require('ws');
const { io } = require('socket.io-client');

function wsOpen(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One end of a ws pair; `withCid` numbers every message the way the pages do (kefu's de-duplication key). */
function wsEnd(ws, withCid = false) {
  let sent = 0;
  return {
    send: withCid ? (text) => ws.send(JSON.stringify({ neiRong: text, cid: `c${++sent}` })) : (text) => ws.send(JSON.stringify({ neiRong: text })),
    onMessage: (cb) =>
      ws.on('message', (data) => {
        const f = JSON.parse(data.toString());
        if (f.type === undefined || f.type === 'message') cb(f.neiRong, f.shuiFaDe);
      }),
    close: () => ws.terminate(),
  };
}

const adapters = {
  raw: {
    async pair(target, i) {
      const base = `ws://127.0.0.1:${target.wsPort}/?pair=${i}`;
      const a = await wsOpen(`${base}&side=a`);
      const b = await wsOpen(`${base}&side=b`);
      return { a: wsEnd(a), b: wsEnd(b), names: ['a', 'b'] };
    },
  },
  socketio: {
    async pair(target, i) {
      const open = (side) =>
        new Promise((resolve, reject) => {
          const s = io(`http://127.0.0.1:${target.wsPort}`, {
            transports: ['websocket'],
            query: { pair: String(i), side },
            reconnection: false,
            forceNew: true,
          });
          s.once('connect', () => resolve(s));
          s.once('connect_error', reject);
        });
      const end = (s) => ({
        send: (text) => s.emit('msg', { neiRong: text }),
        onMessage: (cb) => s.on('msg', (f) => cb(f.neiRong, f.shuiFaDe)),
        close: () => s.disconnect(),
      });
      const a = await open('a');
      const b = await open('b');
      return { a: end(a), b: end(b), names: ['a', 'b'] };
    },
  },
  kefu: {
    /**
     * An agent, then /getroom and the customer with its ticket: the product's real handshake.
     * One at a time: /getroom gives the longest-idle agent, so concurrent handshakes would
     * cross pairs.
     */
    pair(target, i) {
      const run = kefuLock.then(() => kefuPair(target, i));
      kefuLock = run.catch(() => {});
      return run;
    },
  },
};

let kefuLock = Promise.resolve();

/**
 * The inbox: agent k signs in and takes customers k*C .. k*C+C-1 (placement fills the agent with
 * the fewest chats, and the agents before k are full). Each pair is one customer and the agent's
 * side of that one conversation: its messages name the conversation, and it hears only that
 * customer. One handshake at a time, as for kefu.
 */
adapters.kefuInbox = {
  pair(target, i) {
    const run = kefuLock.then(() => kefuInboxPair(target, i));
    kefuLock = run.catch(() => {});
    return run;
  },
};

const inboxAgents = new Map();

async function signedInAgent(target, k) {
  const name = `agent${k}`;
  const origin = `http://127.0.0.1:${target.httpPort}`;
  const res = await fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ login: name, password: target.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${name}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  const ws = new WebSocket(`ws://127.0.0.1:${target.httpPort}/ws?type=kefu&v=2`, { perMessageDeflate: false, headers: { Cookie: cookie } });
  // Every frame for the agent goes to the conversation it names.
  const byConversation = new Map();
  const entered = [];
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString());
    if (f.type === 'system' && f.event === 'customer_entered') entered.shift()?.(f);
    else if (f.type === 'message' && f.conversationId) byConversation.get(f.conversationId)?.(f);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { name, ws, byConversation, nextEntered: () => new Promise((resolve) => entered.push(resolve)) };
}

async function kefuInboxPair(target, i) {
  const k = Math.floor(i / target.capacity);
  let agent = inboxAgents.get(k);
  if (!agent) {
    agent = await signedInAgent(target, k);
    inboxAgents.set(k, agent);
  }
  const customerName = `cust${i}`;
  const entered = agent.nextEntered();
  const answer = await (await fetch(`http://127.0.0.1:${target.httpPort}/getroom?userName=${customerName}`)).json();
  if (!answer.room || answer.kefuName !== agent.name) throw new Error(`pairing ${i} got ${JSON.stringify(answer)}`);
  const customer = new WebSocket(`ws://127.0.0.1:${target.wsPort}/?type=yonghu&name=${customerName}&ticket=${answer.ticket}`, { perMessageDeflate: false });
  const assigned = nextFrame(customer);
  await new Promise((resolve, reject) => {
    customer.once('open', resolve);
    customer.once('error', reject);
  });
  await assigned;
  const { conversationId, customer: seated } = await entered;
  if (seated !== customerName) throw new Error(`agent ${agent.name} got ${seated}, expected ${customerName}`);
  let sent = 0;
  const agentSide = {
    send: (text) => agent.ws.send(JSON.stringify({ neiRong: text, cid: `c${++sent}`, conversationId })),
    onMessage: (cb) => {
      const previous = agent.byConversation.get(conversationId);
      agent.byConversation.set(conversationId, (f) => {
        previous?.(f);
        cb(f.neiRong, f.shuiFaDe);
      });
    },
    close: () => agent.ws.terminate(),
  };
  return { a: wsEnd(customer, true), b: agentSide, names: [customerName, agent.name] };
}

async function kefuPair(target, i) {
  {
    const agentName = `agent${i}`;
    const customerName = `cust${i}`;
    const agentWsPort = target.agentWsPort || target.wsPort;
    // The greeting can arrive in the same TCP read as the handshake, so listen before 'open'.
    const agent = new WebSocket(`ws://127.0.0.1:${agentWsPort}/?type=kefu&name=${agentName}&key=${target.key}`, { perMessageDeflate: false });
    const greeted = nextFrame(agent); // room_opened
    await greeted;
    const entered = nextFrame(agent); // customer_entered, listened for before it can arrive
    const answer = await (await fetch(`http://127.0.0.1:${target.httpPort}/getroom?userName=${customerName}`)).json();
    if (!answer.room || answer.kefuName !== agentName) throw new Error(`pairing ${i} got ${JSON.stringify(answer)}`);
    const customer = new WebSocket(`ws://127.0.0.1:${target.wsPort}/?type=yonghu&name=${customerName}&ticket=${answer.ticket}`, {
      perMessageDeflate: false,
    });
    const assigned = nextFrame(customer);
    await new Promise((resolve, reject) => {
      customer.once('open', resolve);
      customer.once('error', reject);
    });
    await assigned;
    await entered;
    return { a: wsEnd(customer, true), b: wsEnd(agent, true), names: [customerName, agentName] };
  }
}

function nextFrame(ws) {
  return new Promise((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
}

module.exports = { adapters, wsOpen };
