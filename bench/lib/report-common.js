// What the report scripts share (report.js, report-images.js, dns-report.js): reading the runs a
// bench recorded, medians over the runs used (noisy runs left out unless all are noisy), number
// formats, the notes under a table, and the Markdown output itself.
//   const { load, report, stats, ... } = require('./report-common.js');
'use strict';
const fs = require('node:fs');

// RUNS.jsonl (one JSON object per run) and META.json, as named on the command line.
function load(runsFile, metaFile) {
  const runs = fs.readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
  return { runs, meta };
}

const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
// Latency in ms from µs: 2 decimals under 10 ms, 1 under 100 ms, none above.
const ms = (us) => (Number.isNaN(us) ? '–' : (us / 1000).toFixed(us < 10000 ? 2 : us < 100000 ? 1 : 0));
const num = (x, d) => (Number.isNaN(x) ? '–' : x.toFixed(d));
const rate = (x) => (Number.isNaN(x) ? '–' : x >= 1000 ? String(Math.round(x)) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mark = (ok) => (ok ? 'met' : 'NOT met');
// Appended to a verdict resting on runs the noise guard could not clear.
const noisyNote = (...ss) => (ss.some((x) => x && x.noisyUsed) ? ' — from noisy runs only (see Notes): not conclusive' : '');
// A ratio for a target line: 2 decimals, 3 when 2 would round onto the threshold.
const ratioText = (r, thr) => (Number.isNaN(r) ? 'n/a' : Math.abs(r - thr) < 0.005 && r.toFixed(2) === thr.toFixed(2) ? r.toFixed(3) : r.toFixed(2));

// A run is "noisy" when other processes still used more CPU than allowed during it after the
// retries (meta.foreign_max_ms).
const isNoisy = (meta) => (r) => r.foreign_cpu_ms > meta.foreign_max_ms;

// Median figures over a set of runs of one target (noisy runs left out unless all are noisy).
function stats(all, noisy) {
  const valid = all.filter((r) => r.valid);
  const quiet = valid.filter((r) => !noisy(r));
  const ok = quiet.length ? quiet : valid;
  const rps = ok.map((r) => r.wrk.rps);
  const withReq = ok.filter((r) => r.wrk.requests > 0);
  return {
    ok, // the runs used
    runs: all.length,
    used: ok.length,
    noisyUsed: quiet.length ? 0 : valid.length,
    noisyLeftOut: quiet.length ? valid.length - quiet.length : 0,
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: median(ok.map((r) => r.wrk.p50_us)),
    p99: median(ok.map((r) => r.wrk.p99_us)),
    p99Max: Math.max(...ok.map((r) => r.wrk.p99_us)),
    requests: ok.reduce((a, r) => a + r.wrk.requests, 0),
    cpuPerReqMs: median(withReq.map((r) => r.server_cpu_ms / r.wrk.requests)),
    bytesPerResp: median(withReq.map((r) => r.wrk.bytes / r.wrk.requests)),
    rssMax: Math.max(0, ...all.map((r) => r.rss_max_kb || 0)),
    hwm: Math.max(0, ...all.map((r) => r.hwm_kb || 0)),
    writeBytesPerRec: median(ok.filter((r) => r.write_records > 0).map((r) => r.write_bytes / r.write_records)),
    foreignMax: Math.max(...all.map((r) => r.foreign_cpu_ms)),
    invalid: all.filter((r) => !r.valid),
    noisyRuns: valid.filter(noisy),
  };
}
const runsCell = (s) => `${s.used}/${s.runs}${s.noisyLeftOut ? ` (${s.noisyLeftOut} noisy left out)` : ''}${s.noisyUsed ? ' (all noisy)' : ''}`;
const rateCell = (s) => (s.used ? `${rate(s.rps)} (${rate(s.rpsMin)}–${rate(s.rpsMax)})` : 'invalid');

// The Markdown being written: p(line), the notes listed under the tables, finish() to print.
function report(meta) {
  const out = [];
  const notes = [];
  const p = (s = '') => out.push(s);
  const noisy = isNoisy(meta);
  // The invalid and the noisy runs of s, as notes.
  const noteRuns = (label, s) => {
    for (const r of s.invalid) {
      notes.push(`${label} round ${r.round} INVALID: ${r.non2xx || r.wrk.err_status || 0} non-2xx/failed` +
        (r.socket_errors ? `, socket errors: ${r.socket_errors}` : '') + (r.wrk.requests ? '' : ', no result'));
    }
    for (const r of s.noisyRuns) {
      notes.push(`${label} round ${r.round}: other processes used ${r.foreign_cpu_ms} ms of CPU during the run, even after ` +
        `the retries: ${s.noisyUsed ? 'used anyway, no quiet run' : 'left out of the medians'}`);
    }
  };
  return {
    p,
    notes,
    noisy,
    noteRuns,
    stats: (all) => stats(all, noisy),
    // The stats of each of TARGETS that has runs among RS ({target: stats}), their invalid and
    // noisy runs noted under label(target).
    byTarget(rs, targets, label) {
      const st = {};
      for (const t of targets) {
        const all = rs.filter((r) => r.target === t);
        if (!all.length) continue;
        st[t] = stats(all, noisy);
        noteRuns(label(t), st[t]);
      }
      return st;
    },
    // The title line, the machine and the tools, then LOAD (a paragraph) and a blank line.
    header(title, load) {
      p(`### ${title}, ${meta.date}`);
      p();
      p(`Machine: ${meta.machine}.  `);
      p(`Tools: ${meta.tools}.  `);
      p(load);
      p();
    },
    // The notes, then everything to stdout.
    finish() {
      if (notes.length) {
        p('Notes:');
        p();
        for (const n of notes) p(`- ${n}`);
        p();
      }
      process.stdout.write(out.join('\n'));
    },
  };
}

module.exports = { load, median, ms, num, rate, mark, noisyNote, ratioText, isNoisy, stats, runsCell, rateCell, report };
