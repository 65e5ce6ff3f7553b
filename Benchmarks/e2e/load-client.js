#!/usr/bin/env node
// Independent WebSocket load client for the SocketTape end-to-end benchmark.
//
// Uses Debian's node-ws (not SocketTape code) so the proxy is measured from the outside.
// Runs ONE scenario against ONE target URL and prints ONE JSON object on stdout.
//
//   node load-client.js --scenario throughput --url ws://127.0.0.1:PORT/ \
//        [--connections 50] [--inflight 20] [--size 64] [--warmup 1] [--duration 5]
//   node load-client.js --scenario latency --url ... [--size 64] [--warmup 1] [--duration 5]
//   node load-client.js --scenario churn   --url ... [--concurrency 8] [--size 64] ...
//   node load-client.js --scenario idle    --url ... --pid PID [--connections 2000] [--hold 2]
//   add --socketio to throughput for Socket.io sessions (EVENT packets of --size bytes)
//   add --deflate to offer permessage-deflate (every message compressed when the server accepts)
//
// Honest counting: every message is binary and carries (connection id, sequence number,
// magic) in its first 12 bytes followed by a fixed pattern. An echo counts only when its
// length, header and every payload byte match what was sent, in order. Everything else is
// counted as an error. Every wait has a timeout, and a global deadline ends the process
// with whatever was measured so far (exit code 3).

'use strict';

const fs = require('fs');
const WS_PATH = process.env.WS_REQUIRE_PATH || '/usr/share/nodejs/ws';
const WebSocket = require(WS_PATH);

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = {};
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument: ${a}`);
    const key = a.slice(2);
    const val = i + 1 < argv.length && !argv[i + 1].startsWith('--') ? argv[++i] : 'true';
    o[key] = val;
  }
  return o;
}

const args = parseArgs(process.argv);
const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));
const opt = {
  scenario: args.scenario || 'throughput',
  url: args.url && args.socketio === 'true' ? new URL('/socket.io/?EIO=4&transport=websocket', args.url).href : args.url,
  label: args.label || '',
  connections: num('connections', args.scenario === 'idle' ? 2000 : 50),
  inflight: num('inflight', 20),
  size: Math.max(12, num('size', 64)),
  warmup: num('warmup', 1),
  duration: num('duration', 5),
  concurrency: num('concurrency', 8),
  openConcurrency: num('open-concurrency', 100),
  hold: num('hold', 2),
  pid: args.pid ? Number(args.pid) : null,
  echoPid: args['echo-pid'] ? Number(args['echo-pid']) : null,
  handshakeTimeoutMs: num('handshake-timeout', 5) * 1000,
  messageTimeoutMs: num('message-timeout', 5) * 1000,
  drainTimeoutMs: num('drain-timeout', 5) * 1000,
  closeTimeoutMs: num('close-timeout', 3) * 1000,
  // Socket.io sessions: Engine.IO v4 over WebSocket, each message a Socket.IO EVENT of `size` bytes.
  socketio: args.socketio === 'true',
  // permessage-deflate offered, every message compressed (threshold 0), as echo-server.js --deflate.
  deflate: args.deflate === 'true',
};
if (!opt.url) {
  process.stderr.write('load-client: --url is required\n');
  process.exit(2);
}
opt.deadlineMs = num('deadline', opt.warmup + opt.duration + opt.hold + 60) * 1000;

// ---------------------------------------------------------------- result + deadline

const result = {
  name: args.name || opt.scenario,
  scenario: opt.scenario,
  label: opt.label,
  round: args.round === undefined ? 1 : Number(args.round),
  url: opt.url,
  params: {},
  ok: false,
  errors: {},
};
let printed = false;
function finish(code) {
  if (printed) return;
  printed = true;
  const errTotal = Object.values(result.errors).reduce((a, b) => a + b, 0);
  result.error_total = errTotal;
  result.data_sent_total = DATA_SENT;
  result.data_received_total = DATA_RECEIVED;
  if (result.ok === undefined) result.ok = errTotal === 0 && (result.verified || 0) > 0;
  process.stdout.write(JSON.stringify(result) + '\n');
  // Do not wait for sockets the peer never closes.
  setImmediate(() => process.exit(code));
}
function err(kind, n = 1) {
  result.errors[kind] = (result.errors[kind] || 0) + n;
}
const deadline = setTimeout(() => {
  err('deadline_exceeded');
  result.ok = false;
  finish(3);
}, opt.deadlineMs);
deadline.unref();

process.on('uncaughtException', (e) => {
  err('client_exception');
  result.exception = String(e && e.stack || e);
  result.ok = false;
  finish(4);
});

// ---------------------------------------------------------------- helpers

const MAGIC = 0x5e7a9e01;
// Every data message this process sent / received, whatever the phase (compare with a tape).
let DATA_SENT = 0;
let DATA_RECEIVED = 0;
function sendData(ws, buf) {
  ws.send(buf, { binary: !opt.socketio });
  DATA_SENT++;
}
const now = () => Number(process.hrtime.bigint()) / 1e6; // ms, monotonic
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function makeTemplate(size) {
  const t = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) t[i] = (i * 131 + 7) & 0xff;
  return t;
}

// Socket.IO EVENT packets of exactly `size` bytes: 42["echo","<conn>:<seq>:<padding>"].
class SocketIOCodec {
  constructor(size) {
    this.size = size;
  }
  make(conn, seq) {
    const head = `42["echo","${conn}:${seq}:`;
    const pad = Math.max(0, this.size - head.length - 2);
    return Buffer.from(head + 'x'.repeat(pad) + '"]');
  }
  check(data, isBinary, conn, seq) {
    if (isBinary) return 'not_text';
    return data.equals(this.make(conn, seq)) ? null : 'bad_event';
  }
}

class Codec {
  constructor(size) {
    this.size = size;
    this.template = makeTemplate(size);
  }
  make(conn, seq) {
    const b = Buffer.allocUnsafe(this.size);
    this.template.copy(b, 0);
    b.writeUInt32LE(conn >>> 0, 0);
    b.writeUInt32LE(seq >>> 0, 4);
    b.writeUInt32LE(MAGIC, 8);
    return b;
  }
  // Returns null when the echo is exactly what was sent, else a reason.
  check(data, isBinary, conn, seq) {
    if (!isBinary) return 'not_binary';
    if (!Buffer.isBuffer(data)) return 'not_buffer';
    if (data.length !== this.size) return 'bad_length';
    if (data.readUInt32LE(8) !== MAGIC) return 'bad_magic';
    if (data.readUInt32LE(0) !== (conn >>> 0)) return 'bad_connection_id';
    if (data.readUInt32LE(4) !== (seq >>> 0)) return 'bad_sequence';
    if (this.template.compare(data, 12, this.size, 12, this.size) !== 0) return 'bad_payload';
    return null;
  }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

function summarize(samplesMs) {
  const s = Float64Array.from(samplesMs).sort();
  const us = (v) => (v === null ? null : Math.round(v * 1000 * 10) / 10);
  const mean = s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  return {
    count: s.length,
    p50_us: us(percentile(s, 50)),
    p90_us: us(percentile(s, 90)),
    p99_us: us(percentile(s, 99)),
    p999_us: us(percentile(s, 99.9)),
    max_us: us(s.length ? s[s.length - 1] : null),
    mean_us: us(mean),
  };
}

function readProcStatus(pid) {
  if (!pid) return null;
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => {
      const m = text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { rss_kib: get('VmRSS'), hwm_kib: get('VmHWM') };
  } catch (e) {
    return null;
  }
}

// CPU time (user + system) of a process in ms, from /proc/PID/stat; null if unreadable.
const CLK_TCK = num('clk-tck', 100);
function cpuMs(pid) {
  if (!pid) return null;
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // fields 14 and 15 of stat(5)
  } catch (e) {
    return null;
  }
}
// Busy CPU time of the whole machine in ms (all cores), from /proc/stat.
function machineBusyMs() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return ((f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] || 0)) * 1000) / CLK_TCK;
  } catch (e) {
    return null;
  }
}

// CPU snapshot of the target, the echo server (--echo-pid) and this client.
function cpuSnap() {
  const u = process.cpuUsage();
  return {
    target: cpuMs(opt.pid), echo: cpuMs(opt.echoPid), client: (u.user + u.system) / 1000, machine: machineBusyMs(),
  };
}
function cpuReport(s0, s1, count) {
  if (!s0 || !s1) return;
  const pct = (a, b) => (a === null || b === null ? null
    : Math.round(((b - a) / (result.measured_s * 1000)) * 1000) / 10);
  result.client_cpu_pct = pct(s0.client, s1.client);
  if (opt.echoPid && opt.echoPid !== opt.pid) result.echo_cpu_pct = pct(s0.echo, s1.echo);
  // What everything else on the machine used meanwhile (other jobs sharing the cores), % of one core.
  const machine = pct(s0.machine, s1.machine);
  const ours = (result.client_cpu_pct || 0) + (result.echo_cpu_pct || 0) + (pct(s0.target, s1.target) || 0);
  if (machine !== null) result.other_cpu_pct = Math.max(0, Math.round((machine - ours) * 10) / 10);
  const c0 = s0.target;
  const c1 = s1.target;
  if (c0 === null || c1 === null) return;
  result.target_cpu_ms = Math.round(c1 - c0);
  result.target_cpu_pct = Math.round(((c1 - c0) / (result.measured_s * 1000)) * 1000) / 10;
  if (count > 0) result.target_cpu_us_per_op = Math.round(((c1 - c0) * 1000 / count) * 100) / 100;
}

// Opens one WebSocket; resolves with it once open, rejects with a short error kind.
function openOne(url) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const ws = new WebSocket(url, {
      perMessageDeflate: opt.deflate ? { threshold: 0 } : false,
      handshakeTimeout: opt.handshakeTimeoutMs,
      maxPayload: 64 * 1024 * 1024,
      skipUTF8Validation: true,
    });
    const guard = setTimeout(() => {
      if (settled) return;
      settled = true;
      ws.terminate();
      reject(new Error('handshake_timeout'));
    }, opt.handshakeTimeoutMs + 1000);
    ws.once('open', () => {
      if (settled) return;
      if (!opt.socketio) {
        settled = true;
        clearTimeout(guard);
        resolve(ws);
        return;
      }
      // Engine.IO open packet, then connect the default namespace.
      ws.on('message', function handshake(data) {
        const text = data.toString();
        if (text.startsWith('0{')) { ws.send('40'); return; }
        if (text.startsWith('40')) {
          ws.off('message', handshake);
          settled = true;
          clearTimeout(guard);
          resolve(ws);
        }
      });
    });
    ws.once('unexpected-response', (req, res) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      ws.terminate();
      reject(new Error(`handshake_status_${res.statusCode}`));
    });
    ws.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      const kind = /timed out/i.test(e.message) ? 'handshake_timeout'
        : e.code ? `connect_${e.code}` : 'connect_error';
      reject(new Error(kind));
    });
    ws.once('close', () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      reject(new Error('closed_during_handshake'));
    });
  });
}

// Opens n connections, at most `concurrency` handshakes at a time.
async function openMany(n, concurrency, afterOpen) {
  const conns = new Array(n).fill(null);
  let next = 0;
  async function runner() {
    while (next < n) {
      const i = next++;
      try {
        const ws = await openOne(opt.url);
        conns[i] = ws;
        if (afterOpen) await afterOpen(ws, i);
      } catch (e) {
        err(e.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, runner));
  return conns;
}

// Closes all open connections cleanly; terminates those that do not finish in time.
async function closeAll(conns) {
  await Promise.all(conns.filter(Boolean).map((ws) => new Promise((resolve) => {
    ws._benchClosing = true;
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const t = setTimeout(() => {
      err('close_timeout');
      ws.terminate();
      resolve();
    }, opt.closeTimeoutMs);
    ws.once('close', () => { clearTimeout(t); resolve(); });
    try { ws.close(1000); } catch (e) { clearTimeout(t); ws.terminate(); resolve(); }
  })));
}

function watchConnection(ws, state) {
  ws.on('error', (e) => { err(`socket_error${e.code ? '_' + e.code : ''}`); });
  ws.on('close', (code) => {
    if (!ws._benchClosing) {
      err('unexpected_close');
      if (state) state.closedEarly = (state.closedEarly || 0) + 1;
      result.close_codes = result.close_codes || {};
      result.close_codes[code] = (result.close_codes[code] || 0) + 1;
    }
  });
}

// ---------------------------------------------------------------- scenarios

// N connections, each keeping `inflight` messages outstanding; counts verified echoes/s.
async function throughput() {
  const { connections, inflight, size } = opt;
  result.params = { connections, inflight, size, warmup_s: opt.warmup, duration_s: opt.duration };
  const codec = opt.socketio ? new SocketIOCodec(size) : new Codec(size);
  const conns = await openMany(connections, opt.openConcurrency);
  const live = conns.filter(Boolean);
  result.connections_open = live.length;
  if (live.length === 0) { result.ok = false; return; }

  let phase = 'warmup';
  let verified = 0;
  let verifiedBytes = 0;
  let received = 0;
  const st = live.map((ws, id) => ({ ws, id, sent: 0, recv: 0 }));

  const send = (c) => {
    if (c.ws.readyState !== WebSocket.OPEN) return;
    sendData(c.ws, codec.make(c.id, c.sent));
    c.sent++;
  };
  for (const c of st) {
    watchConnection(c.ws, c);
    c.ws.on('message', (data, isBinary) => {
      DATA_RECEIVED++;
      received++;
      const bad = codec.check(data, isBinary, c.id, c.recv);
      c.recv++;
      if (bad) err(`mismatch_${bad}`);
      else if (phase === 'measure') { verified++; verifiedBytes += data.length; }
      if (phase === 'warmup' || phase === 'measure') send(c);
    });
  }
  for (const c of st) for (let k = 0; k < inflight; k++) send(c);

  // Stall detection: no echo at all for messageTimeout ends the run early.
  let lastReceived = -1;
  let lastProgress = now();
  const stallCheck = setInterval(() => {
    if (received !== lastReceived) { lastReceived = received; lastProgress = now(); return; }
    if (now() - lastProgress > opt.messageTimeoutMs && (phase === 'warmup' || phase === 'measure')) {
      err('stalled');
      phase = 'stalled';
    }
  }, 200);

  await waitPhase(() => phase !== 'warmup', opt.warmup * 1000);
  const t0 = now();
  const c0 = cpuSnap();
  if (phase === 'warmup') phase = 'measure';
  await waitPhase(() => phase !== 'measure', opt.duration * 1000);
  const t1 = now();
  const c1 = cpuSnap();
  if (phase === 'measure') phase = 'drain';
  clearInterval(stallCheck);

  // Everything sent must come back.
  const outstanding = () => st.reduce((a, c) => a + (c.ws.readyState === WebSocket.OPEN ? c.sent - c.recv : 0), 0);
  const drainStart = now();
  while (outstanding() > 0 && now() - drainStart < opt.drainTimeoutMs) await sleep(20);
  const lost = st.reduce((a, c) => a + (c.sent - c.recv), 0);
  if (lost > 0) err('lost', lost);

  const secs = (t1 - t0) / 1000;
  result.measured_s = Math.round(secs * 1000) / 1000;
  result.verified = verified;
  result.msgs_per_s = Math.round(verified / secs);
  result.mib_per_s = Math.round((verifiedBytes / secs / 1048576) * 100) / 100;
  result.sent_total = st.reduce((a, c) => a + c.sent, 0);
  result.received_total = received;
  cpuReport(c0, c1, verified);
  await closeAll(live);
}

// Runs `cond` checks every 20 ms until true or `ms` elapsed.
async function waitPhase(cond, ms) {
  const end = now() + ms;
  while (!cond() && now() < end) await sleep(Math.min(20, Math.max(1, end - now())));
}

// One connection, one message in flight: round-trip time distribution.
async function latency() {
  const { size } = opt;
  result.params = { connections: 1, inflight: 1, size, warmup_s: opt.warmup, duration_s: opt.duration };
  const codec = new Codec(size);
  let ws;
  try { ws = await openOne(opt.url); } catch (e) { err(e.message); result.ok = false; return; }
  const state = {};
  watchConnection(ws, state);

  const samples = [];
  let seq = 0;
  let verified = 0;
  const tStart = now();
  const tMeasure = tStart + opt.warmup * 1000;
  const tEnd = tMeasure + opt.duration * 1000;
  let c0 = null;
  setTimeout(() => { c0 = cpuSnap(); }, Math.max(0, tMeasure - now())).unref();
  await new Promise((resolve) => {
    let sentAt = 0;
    let timer = null;
    const sendNext = () => {
      if (ws.readyState !== WebSocket.OPEN) { resolve(); return; }
      sentAt = now();
      sendData(ws, codec.make(0, seq));
      timer = setTimeout(() => { err('message_timeout'); resolve(); }, opt.messageTimeoutMs);
    };
    ws.on('message', (data, isBinary) => {
      DATA_RECEIVED++;
      const t = now();
      clearTimeout(timer);
      const bad = codec.check(data, isBinary, 0, seq);
      seq++;
      if (bad) err(`mismatch_${bad}`);
      else if (sentAt >= tMeasure) { samples.push(t - sentAt); verified++; }
      if (t >= tEnd) { resolve(); return; }
      sendNext();
    });
    ws.on('close', () => { clearTimeout(timer); resolve(); });
    sendNext();
  });
  const c1 = cpuSnap();
  const secs = (Math.min(now(), tEnd) - tMeasure) / 1000;
  result.measured_s = Math.round(secs * 1000) / 1000;
  cpuReport(c0, c1, verified);
  result.verified = verified;
  result.msgs_per_s = secs > 0 ? Math.round(verified / secs) : 0;
  result.rtt = summarize(samples);
  await closeAll([ws]);
}

// Connection churn: `concurrency` loops of open, one message, close; counts completed cycles/s.
async function churn() {
  const { size, concurrency } = opt;
  result.params = { concurrency, size, warmup_s: opt.warmup, duration_s: opt.duration };
  const codec = new Codec(size);
  let phase = 'warmup';
  let completed = 0;
  const handshakeMs = [];
  const cycleMs = [];

  function cycle(worker, seq) {
    return new Promise((resolve, reject) => {
      const t0 = now();
      let tOpen = 0;
      let echoed = false;
      let done = false;
      const fail = (kind) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        ws.terminate();
        reject(new Error(kind));
      };
      const timer = setTimeout(() => fail('cycle_timeout'), opt.handshakeTimeoutMs + opt.messageTimeoutMs);
      const ws = new WebSocket(opt.url, {
        perMessageDeflate: opt.deflate ? { threshold: 0 } : false,
        handshakeTimeout: opt.handshakeTimeoutMs,
        skipUTF8Validation: true,
      });
      ws.on('open', () => {
        tOpen = now();
        sendData(ws, codec.make(worker, seq));
      });
      ws.on('unexpected-response', (req, res) => fail(`handshake_status_${res.statusCode}`));
      ws.on('message', (data, isBinary) => {
        DATA_RECEIVED++;
        const bad = codec.check(data, isBinary, worker, seq);
        if (bad) { fail(`mismatch_${bad}`); return; }
        echoed = true;
        ws.close(1000);
      });
      ws.on('error', (e) => fail(/timed out/i.test(e.message) ? 'handshake_timeout'
        : e.code ? `connect_${e.code}` : 'socket_error'));
      ws.on('close', (code) => {
        if (done) return;
        if (!echoed) { fail(`closed_before_echo_${code}`); return; }
        done = true;
        clearTimeout(timer);
        resolve({ handshake: tOpen - t0, total: now() - t0 });
      });
    });
  }

  async function worker(id) {
    let seq = 0;
    while (phase === 'warmup' || phase === 'measure') {
      try {
        const r = await cycle(id, seq++);
        if (phase === 'measure') {
          completed++;
          handshakeMs.push(r.handshake);
          cycleMs.push(r.total);
        }
      } catch (e) {
        err(e.message);
        await sleep(50); // do not spin on a refusing target
      }
    }
  }

  const workers = Array.from({ length: concurrency }, (_, i) => worker(i));
  await sleep(opt.warmup * 1000);
  phase = 'measure';
  const t0 = now();
  const c0 = cpuSnap();
  await sleep(opt.duration * 1000);
  phase = 'stop';
  const t1 = now();
  const c1 = cpuSnap();
  await Promise.all(workers); // each cycle is bounded by its own timeout
  const secs = (t1 - t0) / 1000;
  result.measured_s = Math.round(secs * 1000) / 1000;
  result.verified = completed;
  result.cycles_per_s = Math.round(completed / secs);
  result.handshake = summarize(handshakeMs);
  result.cycle = summarize(cycleMs);
  cpuReport(c0, c1, completed);
}

// N idle connections held open: memory of process `--pid` before and after.
async function idle() {
  const { connections, size } = opt;
  result.params = { connections, size: 16, hold_s: opt.hold, pid: opt.pid };
  const codec = new Codec(16);
  const ping = (ws, id, seq) => new Promise((resolve, reject) => {
    const t = setTimeout(() => { ws.removeListener('message', onMsg); reject(new Error('message_timeout')); },
      opt.messageTimeoutMs);
    const onMsg = (data, isBinary) => {
      DATA_RECEIVED++;
      clearTimeout(t);
      ws.removeListener('message', onMsg);
      const bad = codec.check(data, isBinary, id, seq);
      if (bad) reject(new Error(`mismatch_${bad}`)); else resolve();
    };
    ws.on('message', onMsg);
    sendData(ws, codec.make(id, seq));
  });

  await sleep(300);
  const before = readProcStatus(opt.pid);
  let verifiedOpen = 0;
  const conns = await openMany(connections, opt.openConcurrency, async (ws, i) => {
    watchConnection(ws, null);
    try { await ping(ws, i, 0); verifiedOpen++; } catch (e) { err(e.message); }
  });
  await sleep(1000);
  const after = readProcStatus(opt.pid);
  await sleep(opt.hold * 1000);
  // Are they all still relayed end to end?
  let alive = 0;
  await Promise.all(conns.map(async (ws, i) => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    try { await ping(ws, i, 1); alive++; } catch (e) { err(`after_hold_${e.message}`); }
  }));
  const afterHold = readProcStatus(opt.pid);
  await closeAll(conns);
  await sleep(500);
  const afterClose = readProcStatus(opt.pid);

  result.connections_open = conns.filter(Boolean).length;
  result.verified = verifiedOpen;
  result.alive_after_hold = alive;
  if (alive < connections) err('not_alive_after_hold', connections - alive);
  result.rss_before_kib = before && before.rss_kib;
  result.rss_after_kib = after && after.rss_kib;
  result.rss_after_hold_kib = afterHold && afterHold.rss_kib;
  result.rss_after_close_kib = afterClose && afterClose.rss_kib;
  if (before && after && verifiedOpen > 0) {
    result.kib_per_conn = Math.round(((after.rss_kib - before.rss_kib) / verifiedOpen) * 100) / 100;
  }
}

// ---------------------------------------------------------------- main

const scenarios = { throughput, latency, churn, idle };
(async () => {
  const fn = scenarios[opt.scenario];
  if (!fn) {
    process.stderr.write(`load-client: unknown scenario ${opt.scenario}\n`);
    process.exit(2);
  }
  result.ok = undefined;
  await fn();
  finish(0);
})();
