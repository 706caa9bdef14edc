// Process-per-image load for the render bench: runs `vipsthumbnail` (Debian libvips-tools) once
// per image, CONCURRENCY processes at a time, for DURATION seconds, going round the corpus.
//
//   node proc-load.js FORMAT CONCURRENCY DURATION_S OUT_DIR FILE...
//
// FORMAT jpeg|webp|avif; each process: vipsthumbnail FILE --size "1024x>" -o OUT[params] with the
// encoder parameters Nubis uses for w=1024,quality=85,format=FORMAT (render.sh):
//   jpeg [Q=85,optimize-coding,strip]   webp [Q=85,effort=4,strip]   avif [Q=60,effort=2,strip]
// Latency = wall time of one process (start-up included: that is the point of this peer).
// Processes still running at the deadline are waited for and counted (like an HTTP request in
// flight, they were started within the window): images/s = images finished / wall time until the
// last one ended. Also reports the CPU time of the finished children (user+sys, /proc/self/stat
// cutime+cstime). Prints one line: BENCHJSON {...} (same fields as wrk's, plus children_cpu_ms).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [fmt, concS, durS, outDir, ...files] = process.argv.slice(2);
const conc = Number(concS), dur = Number(durS);
const PARAMS = { jpeg: '[Q=85,optimize-coding,strip]', webp: '[Q=85,effort=4,strip]', avif: '[Q=60,effort=2,strip]' };
if (!PARAMS[fmt] || !(conc > 0) || !(dur > 0) || !files.length) {
  console.error('usage: node proc-load.js jpeg|webp|avif CONCURRENCY DURATION_S OUT_DIR FILE...');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const ticks = () => {
  const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return Number(f[13]) + Number(f[14]); // cutime + cstime (fields 16, 17)
};
const lat = [];
let next = 0, failed = 0, bytes = 0, stop = false;
const ticks0 = ticks();
const t0 = process.hrtime.bigint();
setTimeout(() => { stop = true; }, dur * 1000);

function one(slot) {
  return new Promise((resolve) => {
    const file = files[next++ % files.length];
    const out = path.join(outDir, `${slot}.${fmt}`);
    const start = process.hrtime.bigint();
    const p = spawn('vipsthumbnail', [file, '--size', '1024x>', '-o', out + PARAMS[fmt]], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('close', (code) => {
      const us = Number(process.hrtime.bigint() - start) / 1000;
      if (code === 0) {
        lat.push(us);
        try { bytes += fs.statSync(out).size; } catch { /* counted as 0 */ }
      } else {
        failed++;
        if (failed <= 3) console.error(`vipsthumbnail ${file}: exit ${code}: ${err.trim()}`);
      }
      resolve();
    });
  });
}

(async () => {
  await Promise.all(Array.from({ length: conc }, async (_, slot) => {
    while (!stop) await one(slot);
  }));
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const cpuMs = (ticks() - ticks0) * 10;
  lat.sort((a, b) => a - b);
  const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)] : 0);
  const mean = lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : 0;
  console.log('BENCHJSON ' + JSON.stringify({
    requests: lat.length, duration_us: Math.round(wallUs), rps: lat.length / (wallUs / 1e6), bytes,
    mean_us: Math.round(mean), p50_us: Math.round(pct(50)), p90_us: Math.round(pct(90)), p99_us: Math.round(pct(99)),
    max_us: Math.round(lat[lat.length - 1] || 0), err_connect: 0, err_read: 0, err_write: 0, err_timeout: 0,
    err_status: failed, children_cpu_ms: cpuMs,
  }));
})();
