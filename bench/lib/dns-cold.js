// Cold lists of the dns bench: the first list after a write. Nubis keeps the order of a listed
// query (the rowids of one index-only walk) while the database is unchanged, and any write
// drops it (src/store/sqlite/dns_positions.h); the wrk runs of the bench, which repeat one GET,
// measure the kept order (warm). Here every timed GET follows a write:
//
//   node dns-cold.js API_BASE ZONE_ID RECORD_ID TTL RECORDS PER_PAGE REPEATS PAGE...
//
// REPEATS rounds; in each, for every PAGE (their order rotated from round to round), one at a time
// over one keep-alive connection:
//   1. PATCH …/zones/ZONE_ID/dns_records/RECORD_ID {"ttl":T}: a record of the listed zone, its TTL
//      switched between TTL (its own) and another value, so that every write changes the row; the
//      answer awaited (Nubis answers after the commit)
//   2. GET …/zones/ZONE_ID/dns_records?per_page=PER_PAGE&page=PAGE (the default order), timed:
//      cold, the order walked again
//   3. the same GET again, timed: warm, the order kept by 2 (a control, in the same conditions)
// Every answer is checked (200, success; a GET: its page, PER_PAGE records or what the last page
// holds, total_count RECORDS); anything else stops the run (exit 1). At the end the record gets
// its TTL back. Authorization: Bearer $BENCH_TOKEN. Latencies: from the request's start to the
// answer's last byte (node's clock), in µs.
// Prints "[dns] cold …" lines (one per page), then one line:
//   BENCHJSON {"repeats":N,"pages":[{"page":P,"cold":{latencies},"warm":{…},"write":{…}},…]}
'use strict';
const http = require('node:http');
const { apiRequest, latencies } = require('./api-client.js');

const [api, zoneId, recordId, ttlS, recordsS, perPageS, repeatsS, ...pageS] = process.argv.slice(2);
const ttl = Number(ttlS), records = Number(recordsS), perPage = Number(perPageS), repeats = Number(repeatsS);
const pages = pageS.map(Number);
if (!api || !zoneId || !recordId || !(ttl > 0) || !(records > 0) || !(perPage > 0) || !(repeats > 0) || !pages.length || !pages.every((x) => x > 0)) {
  console.error('usage: node dns-cold.js API_BASE ZONE_ID RECORD_ID TTL RECORDS PER_PAGE REPEATS PAGE...');
  process.exit(2);
}
const otherTtl = ttl === 300 ? 600 : 300;
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const recordsUrl = `${api}/zones/${zoneId}/dns_records`;

function check(what, res, test) {
  let j = null;
  try { j = JSON.parse(res.text); } catch { /* checked below */ }
  const why = res.status !== 200 ? `HTTP ${res.status}` : !j || j.success !== true ? 'not success' : test(j);
  if (why) throw new Error(`${what}: ${why}: ${res.text.slice(0, 300)}`);
}
let written = ttl;
async function write() {
  const t = written === ttl ? otherTtl : ttl;
  const res = await apiRequest(agent, 'PATCH', `${recordsUrl}/${recordId}`, JSON.stringify({ ttl: t }));
  check(`PATCH ttl ${t}`, res, (j) => (j.result.ttl === t ? '' : `ttl ${j.result.ttl}`));
  written = t;
  return res.us;
}
async function list(page) {
  const res = await apiRequest(agent, 'GET', `${recordsUrl}?per_page=${perPage}&page=${page}`);
  const want = Math.max(0, Math.min(perPage, records - (page - 1) * perPage));
  check(`GET page ${page}`, res, (j) => {
    const got = [j.result.length, j.result_info.total_count, j.result_info.page].join(' ');
    return got === `${want} ${records} ${page}` ? '' : `(results total page) ${got}, want ${want} ${records} ${page}`;
  });
  return res.us;
}

(async () => {
  const lat = pages.map(() => ({ cold: [], warm: [], write: [] }));
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < pages.length; i++) {
      const k = (i + r) % pages.length;
      lat[k].write.push(await write());
      lat[k].cold.push(await list(pages[k]));
      lat[k].warm.push(await list(pages[k]));
    }
  }
  if (written !== ttl) await write();
  agent.destroy();
  const result = pages.map((page, k) => ({ page, cold: latencies(lat[k].cold), warm: latencies(lat[k].warm), write: latencies(lat[k].write) }));
  const f = (us) => (us / 1000).toFixed(2);
  for (const x of result) {
    console.log(`[dns] cold page=${String(x.page).padEnd(5)}: ${x.cold.n} GETs, each after a write: p50 ${f(x.cold.p50_us)} ms  p99 ${f(x.cold.p99_us)} ms` +
      ` (then warm: p50 ${f(x.warm.p50_us)} ms  p99 ${f(x.warm.p99_us)} ms; the writes: p50 ${f(x.write.p50_us)} ms)`);
  }
  console.log('BENCHJSON ' + JSON.stringify({ repeats, per_page: perPage, pages: result }));
})().catch(async (e) => {
  console.error(`dns-cold: ${e.message}`);
  if (written !== ttl) await write().catch(() => console.error(`dns-cold: could not give record ${recordId} its ttl ${ttl} back`));
  agent.destroy();
  process.exit(1);
});
