#!/usr/bin/env node
// Prints the capture benchmark's results.jsonl (Benchmarks/capture/run.sh) as Markdown tables.
//
// Usage: node report.js results.jsonl

'use strict';

const fs = require('fs');

const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
const env = rows.find((r) => r.name === 'env') || {};
const byName = (n) => rows.find((r) => r.name === n);
const fmt = (v, digits = 0) => (v === null || v === undefined ? '—'
  : Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const out = [];
const problems = [];

out.push(`Capture benchmark · ${env.date} · sockettape ${env.commit} · ${env.nproc} cores, ${env.cpu || 'CPU ?'} · ${env.tshark}` +
  ` · medians of ${env.rounds} · load average at the end ${env.loadavg}`);
out.push('');
out.push('| variant | capture MB | packets | messages (sent + echoed) | import wall s | import CPU s | import MiB RSS | tshark wall s | tshark CPU s | tshark MiB RSS | tshark ÷ import (wall) | other processes\' CPU % import / tshark¹ | tape check |');
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
for (const c of rows.filter((r) => r.name === 'capture')) {
  const imp = byName(`import-${c.variant}`);
  const ts = byName(`tshark-${c.variant}`);
  const messages = c.clients.sent + c.clients.received;
  const ok = c.tape.client === c.clients.sent && c.tape.server === c.clients.received && c.holes === 0 && c.tape.sealed;
  const check = `${ok ? 'ok' : 'MISMATCH'}: ${fmt(c.tape.client)} / ${fmt(c.tape.server)} on tape, ${c.holes} holes`;
  if (!ok) {
    problems.push(`- ${c.variant}: the clients sent ${c.clients.sent} and received ${c.clients.received};` +
      ` the tape holds ${c.tape.client} / ${c.tape.server}, ${c.holes} holes, sealed ${c.tape.sealed}`);
  }
  if (c.clients.errors > 0) problems.push(`- ${c.variant}: the load clients counted ${c.clients.errors} errors`);
  if (c.tcpdump_dropped) problems.push(`- ${c.variant}: tcpdump's kernel buffer dropped ${c.tcpdump_dropped} packets`);
  out.push(`| ${c.variant} | ${fmt(c.bytes / 1e6, 1)} | ${fmt(c.packets)} | ${fmt(messages)} on ${fmt(c.tape.sessions)} connections` +
    ` | ${fmt(imp.wall_s, 2)} | ${fmt(imp.cpu_s, 2)} | ${fmt(imp.rss_mib)} | ${fmt(ts.wall_s, 2)} | ${fmt(ts.cpu_s, 2)}` +
    ` | ${fmt(ts.rss_mib)} | **${fmt(ts.wall_s / imp.wall_s, 1)}×** | ${imp.other_cpu_pct} / ${ts.other_cpu_pct} | ${check} |`);
}
out.push('');
out.push('¹ CPU the rest of the machine used while the command ran (machine busy time less the command\'s own), % of one core.');

const live = byName('live');
if (live) {
  const l = live.captured;
  const ok = live.tape.client === l.data_sent_total && live.tape.server === l.data_received_total && live.tape.sealed;
  out.push('');
  out.push(`| live capture on lo (\`sockettape capture\`${live.args ? ' ' + live.args : ''}), 50 conn × 20 in flight × 64 B | value |`);
  out.push('|---|---:|');
  out.push(`| echoes/s without capture (same run) | ${fmt(live.direct.msgs_per_s)} |`);
  out.push(`| echoes/s while \`sockettape capture\` ran | ${fmt(l.msgs_per_s)} |`);
  out.push(`| packets received by the kernel filter ÷ load seconds | ${fmt(Number((live.kernel.match(/(\d+) received/) || [])[1]) / l.measured_s)} |`);
  out.push(`| capture CPU % of one core | ${fmt((live.capture_cpu_s / l.measured_s) * 100)} |`);
  out.push(`| kernel report | ${live.kernel || '(none printed)'} |`);
  out.push(`| messages sent / echoed (client count) | ${fmt(l.data_sent_total)} / ${fmt(l.data_received_total)} |`);
  out.push(`| messages on tape client / server | ${fmt(live.tape.client)} / ${fmt(live.tape.server)} (${ok ? 'equal' : 'NOT equal'}) |`);
  out.push(`| exit code | ${live.exit_code} |`);
  if (!ok) problems.push('- live: the tape does not hold exactly the messages the client counted');
  if (l.error_total > 0) problems.push(`- live: the load client counted ${l.error_total} errors`);
}
const replay = byName('replay');
if (replay) {
  const messages = replay.imported.client + replay.imported.server;
  const equal = JSON.stringify(replay.live) === JSON.stringify(replay.imported);
  out.push('');
  out.push(`| live capture on lo of a replay (\`tcpreplay --topspeed\`${replay.args ? ', ' + replay.args : ''}) of the 64 B load | value |`);
  out.push('|---|---:|');
  out.push(`| the load while it was captured by tcpdump: echoes/s | ${fmt(replay.load.msgs_per_s)} |`);
  out.push(`| tcpreplay | ${replay.tcpreplay} |`);
  out.push(`| packets/s replayed | ${fmt(replay.packets / replay.seconds)} |`);
  out.push(`| messages/s replayed (both directions; echoes/s is half) | ${fmt(messages / replay.seconds)} |`);
  out.push(`| capture CPU % of one core | ${fmt((replay.capture_cpu_s / replay.seconds) * 100)} |`);
  out.push(`| kernel report | ${replay.kernel || '(none printed)'} |`);
  out.push(`| messages on the live tape / on the import of the same file | ${fmt(replay.live.client + replay.live.server)} / ${fmt(messages)} (${equal ? 'equal' : 'NOT equal'}) |`);
  out.push(`| exit code | ${replay.exit_code} |`);
  if (!equal) problems.push(`- replay: the live tape ${JSON.stringify(replay.live)} differs from the import ${JSON.stringify(replay.imported)}`);
}
if (problems.length) {
  out.push('');
  out.push('Problems:');
  out.push(...problems);
}
console.log(out.join('\n'));
