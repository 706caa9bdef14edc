// Turns the runs recorded by bench/lib/dns.sh into its Markdown tables.
//   node dns-report.js RUNS.jsonl META.json  > report.md
// Seeding (records/s through the batch endpoint); lists (per order, page and concurrency: median
// over the valid runs of req/s, p50, p99, server CPU per request) with the ratio page N / page 1
// and the target of issue 5 (the last page within 2 × page 1, p50 and p99); creates (records/s,
// p50, p99) next to the disk's own rate of small durable writes (overwrite + fdatasync, new file + fsync).
'use strict';
const fs = require('node:fs');

const [runsFile, metaFile] = process.argv.slice(2);
if (!runsFile || !metaFile) {
  console.error('usage: node dns-report.js RUNS.jsonl META.json');
  process.exit(2);
}
const runs = fs.readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));

const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (us) => (Number.isNaN(us) ? '–' : (us / 1000).toFixed(us < 10000 ? 2 : us < 100000 ? 1 : 0));
const num = (x, d) => (Number.isNaN(x) ? '–' : x.toFixed(d));
const rate = (x) => (Number.isNaN(x) ? '–' : x >= 1000 ? String(Math.round(x)) : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const noisy = (r) => r.foreign_cpu_ms > meta.foreign_max_ms;

function stats(all) {
  const valid = all.filter((r) => r.valid);
  const quiet = valid.filter((r) => !noisy(r));
  const ok = quiet.length ? quiet : valid;
  const rps = ok.map((r) => r.wrk.rps);
  const withReq = ok.filter((r) => r.wrk.requests > 0);
  return {
    runs: all.length,
    used: ok.length,
    noisyUsed: quiet.length ? 0 : valid.length,
    noisyLeftOut: quiet.length ? valid.length - quiet.length : 0,
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: median(ok.map((r) => r.wrk.p50_us)),
    p99: median(ok.map((r) => r.wrk.p99_us)),
    requests: ok.reduce((a, r) => a + r.wrk.requests, 0),
    cpuPerReqMs: median(withReq.map((r) => r.server_cpu_ms / r.wrk.requests)),
    bytesPerResp: median(withReq.map((r) => r.wrk.bytes / r.wrk.requests)),
    writeBytesPerRec: median(ok.filter((r) => r.write_records > 0).map((r) => r.write_bytes / r.write_records)),
    invalid: all.filter((r) => !r.valid),
    noisyRuns: valid.filter(noisy),
  };
}
const runsCell = (s) => `${s.used}/${s.runs}${s.noisyLeftOut ? ` (${s.noisyLeftOut} noisy left out)` : ''}${s.noisyUsed ? ' (all noisy)' : ''}`;
const rateCell = (s) => (s.used ? `${rate(s.rps)} (${rate(s.rpsMin)}–${rate(s.rpsMax)})` : 'invalid');

const out = [];
const p = (s = '') => out.push(s);
const notes = [];
function noteRuns(label, s) {
  for (const r of s.invalid) {
    notes.push(`${label} round ${r.round} INVALID: ${r.non2xx || r.wrk.err_status || 0} non-2xx/failed` +
      (r.socket_errors ? `, socket errors: ${r.socket_errors}` : '') + (r.wrk.requests ? '' : ', no result'));
  }
  for (const r of s.noisyRuns) {
    notes.push(`${label} round ${r.round}: other processes used ${r.foreign_cpu_ms} ms of CPU during the run, even after ` +
      `the retries: ${s.noisyUsed ? 'used anyway, no quiet run' : 'left out of the medians'}`);
  }
}
const mark = (ok) => (ok ? 'met' : 'NOT met');
const noisyNote = (...ss) => (ss.some((x) => x && x.noisyUsed) ? ' — from noisy runs only (see Notes): not conclusive' : '');
const orderLabel = (o) => (o === 'type' ? 'type (default)' : o);
const sd = meta.seed;

p(`### Nubis bench: DNS records of a ${meta.records.toLocaleString('en-US')}-record zone (dns), ${meta.date}`);
p();
p(`Machine: ${meta.machine}.  `);
p(`Tools: ${meta.tools}.  `);
p(`Disk: ${meta.disk}. One Nubis on a fresh data dir there (SQLite WAL, synchronous=FULL), access log off, rate limit off.`);
p();
p(`**Seeding** ${sd.requests.toLocaleString('en-US')} records (A 70 %, AAAA 20 %, TXT 10 %, names r<i>.${meta.zone}) through ` +
  `\`POST …/dns_records/batch\`, ${sd.batch_size} posts per batch, ${sd.in_flight} batches in flight (bench/lib/dns-seed.js): ` +
  `**${rate(sd.rps)} records/s** (${(sd.duration_us / 1e6).toFixed(1)} s; ${sd.batches} batches, p50 ${ms(sd.p50_us)} ms, p99 ${ms(sd.p99_us)} ms per batch; ` +
  `server CPU ${num((meta.seed_server_cpu_ms * 1000) / sd.requests, 0)} µs per record). Database afterwards: ` +
  `${num(meta.db_bytes / 1e6, 1)} MB (+ WAL ${num(meta.wal_bytes / 1e6, 1)} MB).`);
p();

// ---- lists ---------------------------------------------------------------------------------------
const lists = runs.filter((r) => r.kind === 'list');
if (lists.length) {
  p(`**Lists**: \`GET …/dns_records?per_page=${meta.per_page}&page=N[&order=O]\` (page ${Math.max(...meta.pages)} is the last), ` +
    `wrk -c N (-t1 at c=1, else -t2), ${meta.duration} per run after a ${meta.warmup} warm-up, ${meta.rounds} round(s).`);
  p();
  p('| order | page | conc | req/s (min–max) | p50 ms | p99 ms | server CPU ms/req | KB/resp | runs used |');
  p('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const st = {};
  for (const c of meta.list_concs) {
    for (const o of meta.orders) {
      for (const pg of meta.pages) {
        const all = lists.filter((r) => r.order === o && r.page === pg && r.conc === c);
        if (!all.length) continue;
        const s = stats(all);
        st[`${o}/${pg}/${c}`] = s;
        noteRuns(`list order=${o} page=${pg} c=${c}`, s);
        p(`| ${orderLabel(o)} | ${pg} | ${c} | ${rateCell(s)} | ${ms(s.p50)} | ${ms(s.p99)} | ${num(s.cpuPerReqMs, 2)} | ` +
          `${num(s.bytesPerResp / 1024, 1)} | ${runsCell(s)} |`);
      }
    }
  }
  p();
  p('Server CPU ms/req: user+system CPU of the Nubis process during a run divided by the requests answered. KB/resp: what wrk read per response (headers included).');
  p();
  const first = Math.min(...meta.pages);
  const others = meta.pages.filter((x) => x !== first);
  if (others.length) {
    p(`Ratios page N / page ${first}, same order and concurrency, of the medians (in brackets: within each round); req/s: page ${first} / page N. ` +
      `Target of issue 5: page 1,000 within 2 × page 1, p50 and p99:`);
    p();
    p(`| order | page | conc | p50 ratio | p99 ratio | req/s ratio | CPU/req ratio | within 2 × |`);
    p('|---|---:|---:|---:|---:|---:|---:|---|');
    let met = 0, cells = 0;
    for (const c of meta.list_concs) {
      for (const o of meta.orders) {
        const a = st[`${o}/${first}/${c}`];
        if (!a) continue;
        for (const pg of others) {
          const b = st[`${o}/${pg}/${c}`];
          if (!b) continue;
          const r50 = b.p50 / a.p50, r99 = b.p99 / a.p99;
          const ok = r50 <= 2 && r99 <= 2;
          cells++; if (ok) met++;
          // the same ratios within each round (both runs valid), in brackets when there are several
          const per = (field) => {
            if (meta.rounds < 2) return '';
            const xs = [];
            for (let r = 1; r <= meta.rounds; r++) {
              const ra = lists.find((x) => x.order === o && x.page === first && x.conc === c && x.round === r && x.valid);
              const rb = lists.find((x) => x.order === o && x.page === pg && x.conc === c && x.round === r && x.valid);
              if (ra && rb) xs.push(num(rb.wrk[field] / ra.wrk[field], 2));
            }
            return xs.length ? ` (${xs.join(', ')})` : '';
          };
          p(`| ${orderLabel(o)} | ${pg} | ${c} | ${num(r50, 2)}${per('p50_us')} | ${num(r99, 2)}${per('p99_us')} | ${num(a.rps / b.rps, 2)} | ${num(b.cpuPerReqMs / a.cpuPerReqMs, 2)} | ` +
            `**${mark(ok)}**${noisyNote(a, b)} |`);
        }
      }
    }
    p();
    p(`Overall: ${met} of ${cells} cells within 2 × → **${mark(met === cells && cells > 0)}**.`);
    p();
  }
}

// ---- creates -------------------------------------------------------------------------------------
const creates = runs.filter((r) => r.kind === 'create');
if (creates.length) {
  p(`**Creates**: \`POST …/dns_records\` \`{"type":"A","name":<new every time>,"content":…,"ttl":300}\` into a second zone of the ` +
    `same database (bench/lib/dns-create.lua), N in flight (wrk -c N), ${meta.create_duration} per run after a ${meta.create_warmup} warm-up; ` +
    'each acknowledged after its commit (SQLite appends the transaction to the WAL, then fdatasync). Peers, the disk\'s own rate ' +
    `(bench/lib/disk-fsync.c, N threads, ${meta.fsync_bytes} bytes per durable write): **overwrite** = pwrite into the thread's own 4 MiB file ` +
    '(filled beforehand) + fdatasync, what a WAL commit costs the disk once the WAL has its size; **new** = open(new file) + write + fsync + ' +
    'close, the upload bench\'s loop (a file system journal commit each). Targets rotated; `sync` before each run.');
  p();
  p('| conc | target | what | records/s or fsyncs/s (min–max) | p50 ms | p99 ms | vs overwrite | vs new | server CPU ms/record | KB dirtied/record | runs used |');
  p('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const cells = [];
  const what = {
    overwrite: `disk: ${meta.fsync_bytes} B overwrite + fdatasync`,
    new: `disk: ${meta.fsync_bytes} B new file + fsync`,
    nubis: 'Nubis POST …/dns_records',
  };
  for (const c of meta.create_concs) {
    const st = {};
    for (const t of ['overwrite', 'new', 'nubis']) {
      const all = creates.filter((r) => r.target === t && r.conc === c);
      if (!all.length) continue;
      st[t] = stats(all);
      noteRuns(`create ${t} c=${c}`, st[t]);
    }
    for (const [t, s] of Object.entries(st)) {
      const vs = (peer) => (t === peer ? '1.00' : st[peer] ? num(s.rps / st[peer].rps, 2) : '–');
      p(`| ${c} | ${t} | ${what[t]} | ${rateCell(s)} | ${ms(s.p50)} | ${ms(s.p99)} | ${vs('overwrite')} | ${vs('new')} | ` +
        `${t === 'nubis' ? num(s.cpuPerReqMs, 2) : '–'} | ${t === 'nubis' ? num(s.writeBytesPerRec / 1024, 1) : '–'} | ${runsCell(s)} |`);
    }
    if (st.nubis) cells.push({ c, st });
  }
  p();
  p('KB dirtied/record: the Nubis process\'s /proc/PID/io write_bytes (counted when a page is dirtied: WAL frames and checkpoint writes) over the warm-up and the run, ' +
    `divided by the records they created (the write zone's total_count before and after). The write zone ends with ${meta.write_zone_total} records.`);
  p();
  for (const { c, st } of cells) {
    const n = st.nubis;
    const parts = ['overwrite', 'new'].filter((t) => st[t]).map((t) => `${num(n.rps / st[t].rps, 2)} × the disk's ${rate(st[t].rps)} fsyncs/s (${t})`);
    p(`- c=${c}: Nubis **${rate(n.rps)} records/s** = ${parts.join(', ')}${noisyNote(n, st.overwrite, st.new)}`);
  }
  p();
}

if (notes.length) {
  p('Notes:');
  p();
  for (const n of notes) p(`- ${n}`);
  p();
}
process.stdout.write(out.join('\n'));
