#!/usr/bin/env node
// WebSocket echo server for the end-to-end benchmark.
//
// Echoes every message back on the same connection with the same opcode
// (text stays text, binary stays binary). permessage-deflate is off so the
// numbers measure relaying, not compression; --deflate accepts it for clients that offer it
// (every message compressed), as the capture benchmark's deflate variant needs.
//
// Usage: node echo-server.js [--port N] [--host 127.0.0.1] [--deflate]
// Prints "listening on HOST:PORT" on stdout once it accepts connections.

'use strict';

const WS_PATH = process.env.WS_REQUIRE_PATH || '/usr/share/nodejs/ws';
const { WebSocketServer } = require(WS_PATH);

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '0'));

const wss = new WebSocketServer({
  host,
  port,
  backlog: 4096,
  perMessageDeflate: process.argv.includes('--deflate') ? { threshold: 0 } : false,
  clientTracking: false,
  maxPayload: 64 * 1024 * 1024,
  skipUTF8Validation: true,
});

// Under /socket.io/ the server speaks just enough Engine.IO v4 / Socket.IO v5 for the Socket.io
// scenarios: the open packet, the namespace CONNECT answer, then every event echoed as it came.
let sioSessions = 0;
wss.on('connection', (ws, req) => {
  const socketIO = req.url.startsWith('/socket.io/');
  if (socketIO) {
    const sid = `bench${++sioSessions}`;
    ws.send(`0{"sid":"${sid}","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":100000000}`);
    ws.on('message', (data, isBinary) => {
      if (!isBinary && data.length === 2 && data.toString() === '40') ws.send(`40{"sid":"${sid}-nsp"}`);
      else ws.send(data, { binary: isBinary });
    });
  } else {
    ws.on('message', (data, isBinary) => {
      ws.send(data, { binary: isBinary });
    });
  }
  ws.on('error', () => { /* peer reset etc.; nothing to do */ });
});

wss.on('error', (err) => {
  console.error(`echo-server: ${err.message}`);
  process.exit(1);
});

wss.on('listening', () => {
  const a = wss.address();
  process.stdout.write(`listening on ${a.address}:${a.port}\n`);
});

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => process.exit(0));
}
