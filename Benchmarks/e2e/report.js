#!/usr/bin/env node
// Turns results.jsonl from run.sh into a Markdown report.
// Usage: node report.js results.jsonl "direct sockettape sockettape-record sockettape-policy nginx"
'use strict';

const fs = require('fs');
const [file, targetsArg] = process.argv.slice(2);
const targets = (targetsArg || 'direct sockettape sockettape-record sockettape-policy nginx').split(/\s+/).filter(Boolean);
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => {
  try { return JSON.parse(l); } catch (e) { return { name: 'unparsable', raw: l, errors: { unparsable_line: 1 } }; }
});

const env = rows.find((r) => r.name === 'env') || {};
const of = (name, target) => rows.filter((r) => r.name === name && r.label === target);
const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const fmt = (v, digits = 0) => (v === null || v === undefined ? 'n/a'
  : Number(v).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

// metric: [row title, scenario name, extractor, higherIsBetter, digits, withRatio]
const metrics = [
  ['msgs/s — 50 conn × 20 in flight × 64 B', 'small', (r) => r.msgs_per_s, true, 0, true],
  ['msgs/s — 10 conn × 4 in flight × 16 KiB', 'large', (r) => r.msgs_per_s, true, 0, true],
  ['MiB/s echoed — 10 × 4 × 16 KiB', 'large', (r) => r.mib_per_s, true, 1, true],
  ['Socket.io events/s — 50 conn × 20 in flight × 64 B', 'sio-small', (r) => r.msgs_per_s, true, 0, true],
  ['Socket.io events/s — 10 conn × 4 in flight × 16 KiB', 'sio-large', (r) => r.msgs_per_s, true, 0, true],
  ['round trip p50 µs — 1 conn × 1 in flight × 64 B', 'latency', (r) => r.rtt && r.rtt.p50_us, false, 1, true],
  ['round trip p99 µs — 1 × 1 × 64 B', 'latency', (r) => r.rtt && r.rtt.p99_us, false, 1, true],
  [`handshakes/s — churn, ${env.churn_concurrency || '?'} concurrent (open, 1 msg, close)`, 'churn', (r) => r.cycles_per_s, true, 0, true],
  ['handshake p99 µs — churn', 'churn', (r) => r.handshake && r.handshake.p99_us, false, 0, true],
  ['target CPU µs per echoed message — small¹', 'small', (r) => r.target_cpu_us_per_op, false, 1, false],
  ['target CPU µs per echoed message — large¹', 'large', (r) => r.target_cpu_us_per_op, false, 1, false],
  ['target CPU µs per round trip — latency¹', 'latency', (r) => r.target_cpu_us_per_op, false, 1, false],
  ['target CPU µs per churn cycle¹', 'churn', (r) => r.target_cpu_us_per_op, false, 0, false],
  ['other processes\' CPU % (one core = 100) during small / large / latency / churn²', 'other', null, false, 0, false],
  [`RSS KiB per idle connection (${env.idle_conns || '?'} conns)¹`, 'idle', (r) => r.kib_per_conn, false, 1, false],
  ['peak RSS MiB (VmHWM at end of run)¹', 'memory', (r) => (r.hwm_kib ? r.hwm_kib / 1024 : null), false, 1, false],
];

const problems = [];
for (const r of rows) {
  const errs = r.errors || {};
  const total = Object.values(errs).reduce((a, b) => a + b, 0);
  if (total > 0 || r.ok === false) {
    problems.push(`- **${r.label || '?'} / ${r.name}${r.round && r.round > 1 ? ` (round ${r.round})` : ''}**: ` +
      (total ? Object.entries(errs).map(([k, v]) => `${k}=${v}`).join(', ') : 'not ok') +
      (r.close_codes ? `; close codes ${JSON.stringify(r.close_codes)}` : '') +
      (r.lost === undefined && r.sent_total !== undefined ? `; sent ${r.sent_total}, echoed ${r.received_total}` : '') +
      (r.alive_after_hold !== undefined ? `; alive after hold ${r.alive_after_hold}/${r.params && r.params.connections}` : '') +
      (r.after ? `; after ${r.after}` : '') +
      (r.exception ? `; ${String(r.exception).split('\n')[0]}` : ''));
  }
  if (r.name === 'exit' && r.stderr_lines > 0) {
    problems.push(`- **${r.label} / stderr** (${r.stderr_lines} lines, last: ${r.stderr_tail.map((l) => `\`${l}\``).join(' ')})`);
  }
  if (r.name === 'exit' && r.exit_code !== 0 && r.exit_code !== 143) {
    problems.push(`- **${r.label} / exit**: exit code ${r.exit_code} (stopped with SIGTERM at the end of the run; 143 = died of SIGTERM, 137 = needed SIGKILL)`);
  }
}

const out = [];
out.push(`### SocketTape end-to-end benchmark`);
out.push('');
out.push(`${env.date || ''} · ${env.nproc || '?'} cores, ${env.cpu || 'CPU ?'} (shared by client, echo server and proxy) · node ${env.node || '?'} · ${env.nginx || 'nginx ?'}` +
  ` · sockettape ${env.sockettape_commit || '—'} · ${env.duration_s}s measured after ${env.warmup_s}s warm-up` +
  ` · ${env.rounds} round(s)${env.rounds > 1 ? ' (medians)' : ''}`);
out.push('');
out.push(`| scenario | ${targets.join(' | ')} |`);
out.push(`|---|${targets.map(() => '---:').join('|')}|`);
for (const [title, name, get, , digits, withRatio] of metrics) {
  const vals = {};
  const flagged = {};
  if (name === 'other') {
    const cell = (t) => ['small', 'large', 'latency', 'churn'].map((n) => {
      const v = median(of(n, t).map((r) => r.other_cpu_pct));
      return v === null ? '–' : fmt(v, 0);
    }).join(' / ');
    out.push(`| ${title} | ${targets.map(cell).join(' | ')} |`);
    continue;
  }
  for (const t of targets) {
    const rs = of(name, t);
    vals[t] = median(rs.map(get));
    flagged[t] = rs.some((r) => r.ok === false || (r.error_total || 0) > 0);
  }
  const base = vals.direct;
  const cells = targets.map((t) => {
    if (vals[t] === null) return flagged[t] ? 'failed ⚠' : '—';
    let c = fmt(vals[t], digits);
    if (withRatio && t !== 'direct' && base) c += ` (${(vals[t] / base).toFixed(2)}×)`;
    if (flagged[t]) c += ' ⚠';
    return c;
  });
  out.push(`| ${title} | ${cells.join(' | ')} |`);
}
out.push('');
out.push('Ratios are to direct: above 1× is better for msgs/s, MiB/s and handshakes/s, worse for µs.' +
  ' Only echoes verified byte for byte and in order are counted. ⚠ = errors in that cell (below).');
out.push('¹ CPU time (utime+stime, /proc/PID/stat) and memory of the proxy process alone (nginx: its worker);' +
  ' the direct column shows the Node echo server for reference.');
out.push('² CPU used by processes other than the client, echo server and target while a scenario was measured' +
  ' (other jobs on the same cores): high values mean that cell is disturbed.');
const tape = rows.find((r) => r.name === 'memory' && r.tape_bytes);
if (tape) out.push(`Tape written by sockettape-record: ${fmt(tape.tape_bytes / 1048576, 1)} MiB.`);
const tapeSummary = rows.find((r) => r.name === 'tape' && r.summary);
if (tapeSummary) {
  const t = tapeSummary.summary;
  const runs = rows.filter((r) => r.label === 'sockettape-record' && typeof r.data_sent_total === 'number');
  const sent = runs.reduce((a, r) => a + r.data_sent_total, 0);
  const recv = runs.reduce((a, r) => a + r.data_received_total, 0);
  // Data messages are binary, or text in the Socket.io scenarios, whose handshake adds one text
  // message from the client ("40") and two from the server (open packet, CONNECT answer) per connection.
  const sioConnections = runs.filter((r) => String(r.name).startsWith('sio-')).reduce((a, r) => a + (r.connections_open || 0), 0);
  const count = (side, opcode) => (t[side] && t[side].by_opcode && t[side].by_opcode[opcode] ? t[side].by_opcode[opcode].messages : 0);
  const bin = (side) => count(side, 'binary') + count(side, 'text') - (side === 'client' ? 1 : 2) * sioConnections;
  const gaps = t.gaps || { records: 0, bytes: 0 };
  out.push(`Tape check (\`sockettape inspect --json\`): ${t.sealed ? 'sealed' : 'NOT sealed'}, ${fmt(t.sessions)} sessions;` +
    ` client→server data messages on tape ${fmt(bin('client'))} of ${fmt(sent)} the clients sent` +
    ` (${fmt(sent - bin('client'))} missing); server→client ${fmt(bin('server'))} of ${fmt(recv)} the clients received` +
    ` (${fmt(recv - bin('server'))} missing); reported gaps: ${fmt(gaps.records)} records, ${fmt(gaps.bytes / 1048576, 1)} MiB.`);
  if (!t.sealed || gaps.records > 0 || sent !== bin('client') || recv !== bin('server')) {
    problems.push(`- **sockettape-record / tape**: ${gaps.records} records (${fmt(gaps.bytes / 1048576, 1)} MiB) not written (reported as gaps);` +
      ` ${sent - bin('client')} client→server and ${recv - bin('server')} server→client messages missing from the tape`);
  }
}
const idle = targets.map((t) => of('idle', t)[0]).filter(Boolean);
if (idle.length) {
  out.push('');
  out.push('Idle connections, RSS in KiB (before → after open → after hold → after close):');
  for (const r of idle) {
    out.push(`- ${r.label}: ${r.rss_before_kib} → ${r.rss_after_kib} → ${r.rss_after_hold_kib} → ${r.rss_after_close_kib}` +
      ` (${r.verified}/${r.params.connections} verified open, ${r.alive_after_hold} alive after hold)`);
  }
}
out.push('');
out.push(problems.length ? '**Anomalies**' : 'No errors, lost messages or failed handshakes.');
out.push(...problems);
process.stdout.write(out.join('\n') + '\n');
