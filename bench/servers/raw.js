'use strict';
// Baseline 1: the practical limit of our design. Raw `ws`, sockets paired by ?pair=&side=,
// each JSON frame parsed, then stringified once and sent to the peer and back to the sender.
const http = require('node:http');
const { WebSocketServer } = require('ws');
const { serveStats } = require('./common');

const pairs = new Map(); // pair id -> { a, b }
const server = http.createServer();
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });
wss.on('connection', (ws, req) => {
  const q = new URL(req.url, 'http://x').searchParams;
  const id = q.get('pair');
  const side = q.get('side') === 'a' ? 'a' : 'b';
  const other = side === 'a' ? 'b' : 'a';
  const pair = pairs.get(id) || {};
  pair[side] = ws;
  pairs.set(id, pair);
  ws.on('error', () => {});
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const out = JSON.stringify({ neiRong: frame.neiRong, shuiFaDe: side });
    ws.send(out);
    const peer = pair[other];
    if (peer && peer.readyState === 1) peer.send(out);
  });
  ws.on('close', () => {
    if (pair[side] === ws) delete pair[side];
  });
});
server.listen(0, '127.0.0.1', () => serveStats({ wsPort: server.address().port }));
