// Turns the runs recorded by bench/run.sh into the Markdown report.
//   node report.js RUNS.jsonl META.json  > report.md
// Per target: median over its valid runs (req/s, p50, p99), min–max of req/s, ratio of the
// req/s medians to nginx's, peak RSS, and the two targets of the issue for Nubis.
'use strict';
const { load, median, report } = require('./report-common.js');

const [runsFile, metaFile] = process.argv.slice(2);
const { runs, meta } = load(runsFile, metaFile);
const R = report(meta);
const { p, notes } = R;

const TARGET_RATIO = 0.8;
const TARGET_RSS_MIB = 64;

const mib = (kb) => kb / 1024;
const ms = (us) => (us / 1000).toFixed(us < 10000 ? 2 : 1);

const describe = {
  nginx: `nginx ${meta.tools.match(/nginx ([^,\s]+)/)?.[1] ?? ''}, static file, ${meta.nginx_workers} workers`,
  node: `node:http, 1 process (${meta.tools.match(/node ([^,\s]+)/)?.[1] ?? ''})`,
  nubis: 'Nubis, access log off',
  'nubis-log': 'Nubis, access log on (to a file)',
};
const order = ['nginx', 'node', 'nubis', 'nubis-log'].filter((t) => runs.some((r) => r.target === t));

// Noisy runs (other processes used more CPU than allowed after the retries) are left out of the
// medians, unless every valid run of that target is noisy (then they are used, and flagged).
const noisy = R.noisy;
const stats = {};
for (const t of order) {
  const all = runs.filter((r) => r.target === t);
  const s = R.stats(all);
  stats[t] = {
    ...s,
    valid: s.used,
    respBytes: s.bytesPerResp,
    // server CPU (all its threads/processes, user+sys) per request answered, in microseconds
    cpuPerReq: median(s.ok.filter((r) => r.wrk.requests > 0).map((r) => (r.server_cpu_ms * 1000) / r.wrk.requests)),
    rssMax: Math.max(...all.map((r) => r.rss_max_kb)),
    hwm: meta.mem[t]?.hwm_kb ?? 0,
  };
}
const nginxRps = stats.nginx?.rps;
// Per-round ratio to nginx (same round = same conditions), for the spread.
const roundRatios = (t) => runs
  .filter((r) => r.target === t && r.valid && !noisy(r))
  .map((r) => {
    const n = runs.find((x) => x.target === 'nginx' && x.round === r.round && x.valid && !noisy(x));
    return n ? r.wrk.rps / n.wrk.rps : NaN;
  })
  .filter((x) => !Number.isNaN(x));

R.header('Nubis bench', `Load: \`GET /client/v4/user/tokens/verify\` with \`Authorization: Bearer <40-char token>\`, ` +
  `${meta.body_bytes}-byte JSON body (the same bytes from every target), ` +
  `\`wrk -t${meta.threads} -c${meta.connections} -d${meta.duration}\` after a ${meta.warmup} warm-up, ` +
  `${meta.rounds} round(s) interleaved, nothing pinned: wrk and the server share the ${meta.machine.match(/nproc (\d+)/)?.[1] ?? ''} cores. ` +
  `Figures are medians over the runs used; latencies are wrk's.`);
p('| target | what | req/s median (min–max) | p50 ms | p99 ms | req/s vs nginx | RSS under load, MiB | server CPU µs/req | bytes/resp | runs used |');
p('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const t of order) {
  const s = stats[t];
  const ratio = nginxRps ? s.rps / nginxRps : NaN;
  const rr = roundRatios(t);
  const ratioCell = t === 'nginx' ? '1.00' : Number.isNaN(ratio) ? 'n/a'
    : `${ratio.toFixed(2)}` + (rr.length ? ` (${rr.map((x) => x.toFixed(2)).join(', ')})` : '');
  const rpsCell = s.valid ? `${Math.round(s.rps)} (${Math.round(s.rpsMin)}–${Math.round(s.rpsMax)})` : 'invalid';
  p(`| ${t} | ${describe[t] ?? t} | ${rpsCell} | ${s.valid ? ms(s.p50) : '–'} | ${s.valid ? ms(s.p99) : '–'} | ${ratioCell} | ${mib(s.hwm).toFixed(1)} | ${s.valid ? s.cpuPerReq.toFixed(1) : '–'} | ${s.valid ? Math.round(s.respBytes) : '–'} | ${s.valid}/${s.runs}${s.noisyLeftOut ? ` (${s.noisyLeftOut} noisy left out)` : ''}${s.noisyUsed ? ' (all noisy)' : ''} |`);
}
p();
p(meta.hwm_reset
  ? 'RSS column: VmHWM (peak resident set; nginx: master + workers summed) read after all runs, ' +
    'reset after start-up (/proc/PID/clear_refs), so it is the peak under this load only.'
  : 'RSS column: VmHWM (peak resident set; nginx: master + workers summed) read after all runs; ' +
    'it could not be reset after start-up, so it includes the start-up peak.');
p('Runs used: valid runs (no non-2xx, no socket error) during which other processes used at most ' +
  `${meta.foreign_max_ms} ms of CPU; medians are over those. ` +
  'req/s vs nginx: ratio of the medians (in brackets: the ratio to nginx within each round where both runs were used). ' +
  'Server CPU µs/req: user+system CPU of the server process(es) during a run divided by the requests wrk counted. ' +
  'bytes/resp: what wrk read per response, status line and headers included (the body is the same everywhere).');
p();

// The targets of the issue, for Nubis (access log off: the default for a benchmark; on: shown too).
p('Targets (Nubis):');
p();
for (const t of ['nubis', 'nubis-log']) {
  const s = stats[t];
  if (!s) continue;
  const m = meta.mem[t] ?? {};
  const ratio = nginxRps ? s.rps / nginxRps : NaN;
  const okRatio = ratio >= TARGET_RATIO;
  const okRss = mib(m.hwm_kb) <= TARGET_RSS_MIB;
  const label = t === 'nubis' ? 'access log off' : 'access log on';
  p(`- ${label}: req/s ≥ ${TARGET_RATIO} × nginx: **${Number.isNaN(ratio) ? 'n/a' : ratio.toFixed(2)} × → ${okRatio ? 'met' : 'NOT met'}**; ` +
    `RSS under load ≤ ${TARGET_RSS_MIB} MiB: **peak ${mib(m.hwm_kb).toFixed(1)} MiB → ${okRss ? 'met' : 'NOT met'}** ` +
    `(VmRSS idle before the load ${mib(m.idle_kb).toFixed(1)} MiB, highest VmRSS sampled every 0.1 s during the runs ${mib(s.rssMax).toFixed(1)} MiB, ` +
    `VmRSS after the runs ${mib(m.after_kb).toFixed(1)} MiB; peak during start-up, before any load: ${mib(m.startup_hwm_kb).toFixed(1)} MiB)`);
}
p();

for (const t of order) {
  for (const r of stats[t].invalid) {
    notes.push(`${t} round ${r.round} INVALID: ${r.non2xx} non-2xx/3xx responses` +
      (r.socket_errors ? `, socket errors: ${r.socket_errors}` : '') + (r.wrk.requests ? '' : ', no wrk result'));
  }
  for (const r of runs.filter((x) => x.target === t && x.valid && noisy(x))) {
    notes.push(`${t} round ${r.round}: other processes used ${r.foreign_cpu_ms} ms of CPU during the run, even after ` +
      `the retries (${Math.round(r.wrk.rps)} req/s): ${stats[t].noisyUsed ? 'used anyway, no quiet run of this target' : 'left out of the medians'}`);
  }
  const s = stats[t];
  if (s.valid && s.p99Max > 20 * s.p50) {
    notes.push(`${t}: a run had p99 ${ms(s.p99Max)} ms, over 20 × its median p50 (latency spikes)`);
  }
}
R.finish();
