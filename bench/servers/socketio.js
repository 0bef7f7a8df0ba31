'use strict';
// Baseline 2: what a user would otherwise pick. Socket.IO 4, websocket transport only, the
// same relay: echo to the sender, forward to the peer.
const http = require('node:http');
const { Server } = require('socket.io');
const { serveStats } = require('./common');

const server = http.createServer();
const io = new Server(server, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
const pairs = new Map();
io.on('connection', (socket) => {
  const id = String(socket.handshake.query.pair);
  const side = socket.handshake.query.side === 'a' ? 'a' : 'b';
  const other = side === 'a' ? 'b' : 'a';
  const pair = pairs.get(id) || {};
  pair[side] = socket;
  pairs.set(id, pair);
  socket.on('msg', (frame) => {
    const out = { neiRong: frame.neiRong, shuiFaDe: side };
    socket.emit('msg', out);
    const peer = pair[other];
    if (peer) peer.emit('msg', out);
  });
  socket.on('disconnect', () => {
    if (pair[side] === socket) delete pair[side];
  });
});
server.listen(0, '127.0.0.1', () => serveStats({ wsPort: server.address().port }));
