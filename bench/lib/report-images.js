// Turns the runs recorded by bench/lib/{render,warm,upload}.sh into their Markdown tables.
//   node report-images.js render|warm|upload RUNS.jsonl META.json  > report.md
// Per target (and format / concurrency): median over its valid runs of req/s, p50 and p99; the
// ratio to the reference peer; the targets of the issue, met or not.
'use strict';
const { load, ms, num, rate, mark, noisyNote, ratioText, runsCell, report } = require('./report-common.js');

const [mode, runsFile, metaFile] = process.argv.slice(2);
const { runs, meta } = load(runsFile, metaFile);
const R = report(meta);
const { p, header, noisy, byTarget } = R;

const mb = (kb) => (kb * 1024) / 1e6;
const mib = (kb) => kb / 1024;

if (mode === 'render') {
  header('Nubis bench: cold variant rendering (render)',
    `Load: every image of the corpus (${meta.corpus}) to \`w=1024,quality=85,format=F\`, each request a variant ` +
    `no earlier request named (cache miss in Nubis, see bench/README.md); \`wrk -t1 -cN\` (vipsthumbnail: N processes at a time), ` +
    `${meta.duration} per run (AVIF ${meta.avif_duration}) after a ${meta.warmup} warm-up, ${meta.rounds} round(s), targets interleaved; ` +
    'nothing pinned: load generator and server share the cores. Figures are medians over the runs used; latencies are per request (vipsthumbnail: per process).');
  p('| format | conc | target | images/s (min–max) | p50 ms | p99 ms | images/s vs sharp | server CPU ms/image | KB/image | images | runs used |');
  p('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cells = [];
  for (const f of meta.formats) {
    for (const c of meta.concs) {
      const st = byTarget(runs.filter((r) => r.phase === 'run' && r.format === f && r.conc === c), ['nubis', 'sharp', 'vipsthumbnail'],
        (t) => `${t} ${f} c=${c}`);
      for (const [t, s] of Object.entries(st)) {
        const ratio = st.sharp && s.used && st.sharp.used ? s.rps / st.sharp.rps : NaN;
        const what = t === 'nubis' ? 'Nubis' : t === 'sharp' ? 'sharp (node:http)' : 'vipsthumbnail (process/image)';
        p(`| ${f} | ${c} | ${what} | ${s.used ? `${rate(s.rps)} (${rate(s.rpsMin)}–${rate(s.rpsMax)})` : 'invalid'} | ${ms(s.p50)} | ${ms(s.p99)} | ` +
          `${t === 'sharp' ? '1.00' : num(ratio, 2)} | ${num(s.cpuPerReqMs, 0)} | ${num(s.bytesPerResp / 1024, 0)} | ${s.requests} | ${runsCell(s)} |`);
      }
      if (st.nubis && st.sharp) cells.push({ f, c, n: st.nubis, s: st.sharp });
    }
  }
  p();
  p('Server CPU ms/image: user+system CPU of the server process (all threads; vipsthumbnail: the processes) during a run ' +
    'divided by the images answered. KB/image: bytes read per response (headers included; vipsthumbnail: the output file).');
  p();
  p('Targets (Nubis vs sharp: throughput ≥ 1.2 × sharp, with a lower p99):');
  p();
  let met = 0;
  for (const { f, c, n, s } of cells) {
    const ratio = n.rps / s.rps;
    const ok = ratio >= 1.2 && n.p99 < s.p99;
    if (ok) met++;
    const missed = [ratio >= 1.2 ? '' : 'throughput', n.p99 < s.p99 ? '' : 'p99'].filter(Boolean).join(' and ');
    p(`- ${f}, c=${c}: **${ratioText(ratio, 1.2)} ×**, p99 ${ms(n.p99)} vs ${ms(s.p99)} ms → **${mark(ok)}**` +
      (missed ? ` (${missed} missed)` : '') + noisyNote(n, s));
  }
  p(`- overall: ${met} of ${cells.length} → **${mark(met === cells.length && cells.length > 0)}**`);
  p();
  const memRuns = runs.filter((r) => r.phase === 'mem');
  if (memRuns.length) {
    p(`Memory with 4 large decodes in flight (\`wrk -t1 -c4\` over ${meta.large.join(', ')}, JPEG, VmHWM reset just before; target for Nubis: peak RSS ≤ 300 MB):`);
    p();
    p('| target | peak RSS (VmHWM), MB | MiB | images/s | p99 ms | VmHWM over the whole render bench, MB | VmRSS idle before, MB |');
    p('|---|---:|---:|---:|---:|---:|---:|');
    for (const t of ['nubis', 'sharp']) {
      const r = memRuns.find((x) => x.target === t);
      if (!r) continue;
      p(`| ${t} | ${num(mb(r.hwm_kb), 0)} | ${num(mib(r.hwm_kb), 0)} | ${rate(r.wrk.rps)} | ${ms(r.wrk.p99_us)} | ` +
        `${num(mb(meta.run_hwm_kb[t] || 0), 0)} | ${num(mb(meta.idle_kb[t] || 0), 0)} |`);
    }
    const rn = memRuns.find((x) => x.target === 'nubis');
    const cores = meta.machine.match(/nproc (\d+)/)?.[1] ?? '?';
    p();
    p(`In flight: sharp renders 4 at once (libuv's pool of 4); Nubis renders at most one image per core at once ` +
      `(its render pool: ${cores} here) and queues the rest, so on this machine it never has more than ${Math.min(4, Number(cores) || 4)} large decodes in flight.`);
    p();
    if (rn) p(`- Nubis peak RSS with 4 large decodes in flight ≤ 300 MB: **${num(mb(rn.hwm_kb), 0)} MB → ${mark(mb(rn.hwm_kb) <= 300 && rn.valid)}**` +
      (meta.hwm_reset ? '' : ' (VmHWM could not be reset: the figure includes start-up)'));
    p();
  }
} else if (mode === 'warm') {
  header('Nubis bench: warm delivery of a cached variant (warm)',
    `Load: \`GET /<hash>/<id>/w=1024,quality=85,format=jpeg\` over the ${meta.paths} cached variants (${meta.mean_kb} KB on average), ` +
    `the same bytes from nginx as static files; \`wrk -t${meta.threads} -c${meta.connections} -d${meta.duration}\` after a ${meta.warmup} warm-up, ` +
    `${meta.rounds} round(s) interleaved, nothing pinned. Figures are medians over the runs used; latencies are wrk's.`);
  p('| target | what | req/s median (min–max) | MB/s | p50 ms | p99 ms | req/s vs nginx | server CPU µs/req | bytes/resp | runs used |');
  p('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const st = byTarget(runs, ['nginx', 'nubis'], (t) => t);
  const roundRatio = (t) => runs.filter((r) => r.target === t && r.valid && !noisy(r)).map((r) => {
    const n = runs.find((x) => x.target === 'nginx' && x.round === r.round && x.valid && !noisy(x));
    return n ? r.wrk.rps / n.wrk.rps : NaN;
  }).filter((x) => !Number.isNaN(x));
  for (const [t, s] of Object.entries(st)) {
    const ratio = st.nginx ? s.rps / st.nginx.rps : NaN;
    const rr = roundRatio(t);
    const what = t === 'nginx' ? `nginx ${meta.nginx_version}, static files, ${meta.nginx_workers} workers` : 'Nubis, delivery listener, rendered-variant cache';
    p(`| ${t} | ${what} | ${s.used ? `${Math.round(s.rps)} (${Math.round(s.rpsMin)}–${Math.round(s.rpsMax)})` : 'invalid'} | ` +
      `${num((s.rps * s.bytesPerResp) / 1e6, 0)} | ${ms(s.p50)} | ${ms(s.p99)} | ` +
      `${t === 'nginx' ? '1.00' : num(ratio, 2) + (rr.length ? ` (${rr.map((x) => x.toFixed(2)).join(', ')})` : '')} | ` +
      `${num(s.cpuPerReqMs * 1000, 0)} | ${num(s.bytesPerResp, 0)} | ${runsCell(s)} |`);
  }
  p();
  p('Server CPU µs/req: user+system CPU of the server process(es) (nginx: master + workers) during a run divided by the requests wrk counted. ' +
    'req/s vs nginx: ratio of the medians (in brackets: within each round).');
  p();
  if (st.nubis && st.nginx) {
    const ratio = st.nubis.rps / st.nginx.rps;
    p(`Target (Nubis): req/s ≥ 0.8 × nginx: **${ratioText(ratio, 0.8)} × → ${mark(ratio >= 0.8)}**${noisyNote(st.nubis, st.nginx)}`);
    p();
  }
} else if (mode === 'upload') {
  header('Nubis bench: 5 MB uploads made durable (upload)',
    `Load: a ${(meta.upload_bytes / 1e6).toFixed(2)} MB JPEG per upload (${meta.upload_bytes} bytes: the ${meta.upload_desc} plus a 26-byte comment segment, unique per upload so that ` +
    `no two uploads are the same bytes), multipart/form-data, ${meta.body_bytes} bytes per request body; bench/lib/upload-client.js: ` +
    `keep-alive, N uploads in flight, ${meta.duration} per run, ${meta.rounds} round(s) interleaved; files of the run before removed and \`sync\` before each run (untimed). ` +
    `Disk: ${meta.disk}.`);
  p('| conc | target | what | uploads/s (min–max) | MB/s | p50 ms | p99 ms | vs Node | server CPU ms/upload | runs used |');
  p('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|');
  const cells = [];
  for (const c of meta.concs) {
    const st = byTarget(runs.filter((r) => r.conc === c), ['disk', 'node', 'nubis'], (t) => `${t} c=${c}`);
    const what = {
      disk: 'the disk: write(5 MB) + fsync per new file (bench/lib/disk-fsync.c)',
      node: 'node:http receiver: body streamed to a new file + fsync, then 200',
      nubis: 'Nubis POST …/images/v1 (acknowledged after fsync + commit)',
    };
    for (const [t, s] of Object.entries(st)) {
      const ratio = st.node ? s.rps / st.node.rps : NaN;
      p(`| ${c} | ${t} | ${what[t]} | ${s.used ? `${rate(s.rps)} (${rate(s.rpsMin)}–${rate(s.rpsMax)})` : 'invalid'} | ` +
        `${num((s.rps * meta.upload_bytes) / 1e6, 0)} | ${ms(s.p50)} | ${ms(s.p99)} | ${t === 'node' ? '1.00' : num(ratio, 2)} | ` +
        `${t === 'disk' ? '–' : num(s.cpuPerReqMs, 1)} | ${runsCell(s)} |`);
    }
    if (st.nubis && st.node) cells.push({ c, n: st.nubis, o: st.node });
  }
  p();
  p('MB/s: uploads/s × the file size (payload, not the multipart framing). Server CPU ms/upload: user+system CPU of the server process during a run divided by the uploads acknowledged.');
  p();
  p('Target (Nubis): uploads/s ≥ 1.0 × the Node receiver:');
  p();
  let met = 0;
  for (const { c, n, o } of cells) {
    const ratio = n.rps / o.rps;
    if (ratio >= 1.0) met++;
    p(`- c=${c}: **${ratioText(ratio, 1.0)} × → ${mark(ratio >= 1.0)}**` +
      ` (p99 ${ms(n.p99)} vs ${ms(o.p99)} ms; server CPU ${num(n.cpuPerReqMs, 1)} vs ${num(o.cpuPerReqMs, 1)} ms per upload)${noisyNote(n, o)}`);
  }
  p(`- overall: ${met} of ${cells.length} → **${mark(met === cells.length && cells.length > 0)}**`);
  p();
} else {
  console.error('usage: node report-images.js render|warm|upload RUNS.jsonl META.json');
  process.exit(2);
}

R.finish();
