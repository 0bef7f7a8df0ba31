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

module.exports = { adapters };
