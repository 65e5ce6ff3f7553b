#!/usr/bin/env node
// WebSocket echo server on Node `ws` (Debian's node-ws) for the integration tests.
// Same command line and --log format as py_echo_server.py.
'use strict';
const fs = require('fs');
let ws;
try { ws = require('ws'); } catch (e) { ws = require('/usr/share/nodejs/ws'); }

const args = { host: '127.0.0.1', port: 0, log: null, compression: 'deflate', subprotocol: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const v = argv[++i];
  if (a === '--host') args.host = v;
  else if (a === '--port') args.port = Number(v);
  else if (a === '--log') args.log = v;
  else if (a === '--compression') args.compression = v;
  else if (a === '--subprotocol') args.subprotocol.push(v);
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (!args.log) { console.error('--log is required'); process.exit(2); }
const logFd = fs.openSync(args.log, 'a');
const write = (entry) => fs.writeSync(logFd, JSON.stringify(entry) + '\n');

const wss = new ws.WebSocketServer({
  host: args.host,
  port: args.port,
  maxPayload: 256 * 1024 * 1024,
  // threshold 0: compress every message, like Python websockets does
  perMessageDeflate: args.compression === 'deflate' ? { threshold: 0 } : false,
  handleProtocols: (offered) => {
    for (const p of args.subprotocol) if (offered.has(p)) return p;
    return false;
  },
});

wss.on('listening', () => {
  process.stdout.write(`listening on ${args.host}:${wss.address().port}\n`);
});

wss.on('connection', (sock, req) => {
  const headers = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
  write({ type: 'open', path: req.url, subprotocol: sock.protocol || null, headers });
  sock.on('message', (data, isBinary) => {
    if (isBinary) write({ type: 'binary', base64: Buffer.from(data).toString('base64') });
    else write({ type: 'text', text: data.toString('utf8') });
    sock.send(data, { binary: isBinary });
  });
  sock.on('error', (err) => write({ type: 'error', error: String(err) }));
  sock.on('close', (code, reason) => {
    write({ type: 'close', code, reason: reason.toString('utf8') });
  });
});

const stop = () => { wss.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
