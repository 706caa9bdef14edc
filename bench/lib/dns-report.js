// Turns the runs recorded by bench/lib/dns.sh into its Markdown tables.
//   node dns-report.js RUNS.jsonl META.json  > report.md
// Seeding (records/s through the batch endpoint); lists (per order, page and concurrency: median
// over the valid runs of req/s, p50, p99, server CPU per request) with the ratio page N / page 1
// and the target of issue 5 (the last page within 2 × page 1, p50 and p99); cold lists (the first
// list after a write, bench/lib/dns-cold.js: p50, p99, the same ratio); creates (records/s,
// p50, p99) next to the disk's own rate of small durable writes (overwrite + fdatasync, new file + fsync).
'use strict';
const { load, ms, num, rate, mark, noisyNote, runsCell, rateCell, report } = require('./report-common.js');

const [runsFile, metaFile] = process.argv.slice(2);
if (!runsFile || !metaFile) {
  console.error('usage: node dns-report.js RUNS.jsonl META.json');
  process.exit(2);
}
const { runs, meta } = load(runsFile, metaFile);
const R = report(meta);
const { p, header, noteRuns, stats, byTarget } = R;

const orderLabel = (o) => (o === 'type' ? 'type (default)' : o);
const sd = meta.seed;

header(`Nubis bench: DNS records of a ${meta.records.toLocaleString('en-US')}-record zone (dns)`,
  `Disk: ${meta.disk}. One Nubis on a fresh data dir there (SQLite WAL, synchronous=FULL), access log off, rate limit off.`);
p(`**Seeding** ${sd.requests.toLocaleString('en-US')} records (A 70 %, AAAA 20 %, TXT 10 %, names r<i>.${meta.zone}) through ` +
  `\`POST …/dns_records/batch\`, ${sd.batch_size} posts per batch, ${sd.in_flight} batches in flight (bench/lib/dns-seed.js): ` +
  `**${rate(sd.rps)} records/s** (${(sd.duration_us / 1e6).toFixed(1)} s; ${sd.batches} batches, p50 ${ms(sd.p50_us)} ms, p99 ${ms(sd.p99_us)} ms per batch; ` +
  `server CPU ${num((meta.seed_server_cpu_ms * 1000) / sd.requests, 0)} µs per record). Database afterwards: ` +
  `${num(meta.db_bytes / 1e6, 1)} MB (+ WAL ${num(meta.wal_bytes / 1e6, 1)} MB).`);
p();

// ---- lists ---------------------------------------------------------------------------------------
const lists = runs.filter((r) => r.kind === 'list');
if (lists.length) {
  p(`**Lists**${runs.some((r) => r.kind === 'cold') ? ' (warm: the order Nubis keeps; see the cold lists below)' : ''}: \`GET …/dns_records?per_page=${meta.per_page}&page=N[&order=O]\` (page ${Math.max(...meta.pages)} is the last), ` +
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

// ---- cold lists ----------------------------------------------------------------------------------
const cold = runs.find((r) => r.kind === 'cold');
if (cold) {
  const n = cold.valid ? Math.min(...cold.cold.pages.map((x) => x.cold.n)) : 0;
  p(`**Cold lists** (the first list after a write). Warm, the wrk runs above: they repeat one GET, and Nubis keeps the order of a ` +
    `listed query (the rowids of one walk) while the database is unchanged, so a page costs its ${meta.per_page} rows looked up by rowid, ` +
    'whatever its number. Cold: any write, anywhere in the database, drops the kept order, and the first list after it walks ' +
    `the zone's order again (one index-only walk of all ${meta.records.toLocaleString('en-US')} records) before it answers. ` +
    `Measured by bench/lib/dns-cold.js, ${meta.cold_repeats} times per page, default order, one request at a time: ` +
    '`PATCH …/dns_records/<id>` `{"ttl":…}` (one record of the listed zone, its ttl switched back and forth; answered after its ' +
    'commit), then one `GET …/dns_records?per_page=' + meta.per_page + '&page=N`, timed (cold), then the same GET again, timed (warm, ' +
    'the control). Latencies: node\'s clock, from the request\'s start to its last byte' +
    (n && n < 100 ? `; with ${n} GETs per page, p99 is the slowest of them.` : '.'));
  p();
  if (!cold.valid) {
    p('No result: the cold run failed (see the raw output).');
  } else {
    p('| order | page | cold GETs | cold p50 ms | cold p99 ms | then warm p50 ms | warm p99 ms | cold / warm p50 | write p50 ms | write p99 ms |');
    p('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of cold.cold.pages) {
      p(`| ${orderLabel('type')} | ${x.page} | ${x.cold.n} | ${ms(x.cold.p50_us)} | ${ms(x.cold.p99_us)} | ${ms(x.warm.p50_us)} | ${ms(x.warm.p99_us)} | ` +
        `${num(x.cold.p50_us / x.warm.p50_us, 1)} | ${ms(x.write.p50_us)} | ${ms(x.write.p99_us)} |`);
    }
    p();
    const pgs = [...cold.cold.pages].sort((a, b) => a.page - b.page);
    const a = pgs[0];
    if (pgs.length > 1) {
      p(`Ratios page N / page ${a.page}, cold (the figures above). Target of issue 5: page 1,000 within 2 × page 1, p50 and p99:`);
      p();
      p('| order | page | cold p50 ratio | cold p99 ratio | within 2 × |');
      p('|---|---:|---:|---:|---|');
      let met = 0;
      for (const b of pgs.slice(1)) {
        const r50 = b.cold.p50_us / a.cold.p50_us, r99 = b.cold.p99_us / a.cold.p99_us;
        const ok = r50 <= 2 && r99 <= 2;
        if (ok) met++;
        p(`| ${orderLabel('type')} | ${b.page} | ${num(r50, 2)} | ${num(r99, 2)} | **${mark(ok)}**${cold.foreign_cpu_ms > meta.foreign_max_ms ? ' — from a noisy run (see Notes): not conclusive' : ''} |`);
      }
      p();
      p(`Overall, cold: ${met} of ${pgs.length - 1} within 2 × → **${mark(met === pgs.length - 1)}**.`);
      p();
    }
  }
  if (cold.foreign_cpu_ms > meta.foreign_max_ms) {
    R.notes.push(`cold lists: other processes used ${cold.foreign_cpu_ms} ms of CPU during the run, even after the retries: used anyway, no quiet run`);
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
    const st = byTarget(creates.filter((r) => r.conc === c), ['overwrite', 'new', 'nubis'], (t) => `create ${t} c=${c}`);
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

R.finish();
