// Seeder of the dns bench: fills one zone with COUNT DNS records through the API's batch endpoint
// (POST /client/v4/zones/{zone_id}/dns_records/batch, {"posts":[…]}, at most 200 per batch, each
// batch one all-or-nothing transaction), BATCHES_IN_FLIGHT batches at a time over keep-alive.
//
//   node dns-seed.js API_BASE ZONE_ID ZONE_NAME COUNT BATCH_SIZE BATCHES_IN_FLIGHT
//
// The records are deterministic (same COUNT, same records): record i is named r<i>.<zone>, and is
// an A record (7 in 10), AAAA (2 in 10) or TXT (1 in 10); contents and TTLs come from a seeded
// PRNG, so that ordering by content or ttl walks the zone in an order unrelated to insertion.
// A batch counts when the answer is 200, "success":true and holds as many posts as were sent;
// anything else stops the seeding (exit 1). Authorization: Bearer $BENCH_TOKEN.
// Prints one line: BENCHJSON {...} (records/s as "rps"; latencies are per batch, in µs).
'use strict';
const http = require('node:http');
const { apiRequest, latencies } = require('./api-client.js');

const [api, zoneId, zoneName, countS, batchS, concS] = process.argv.slice(2);
const count = Number(countS), batchSize = Number(batchS), conc = Number(concS);
if (!api || !zoneId || !zoneName || !(count > 0) || !(batchSize > 0 && batchSize <= 200) || !(conc > 0)) {
  console.error('usage: node dns-seed.js API_BASE ZONE_ID ZONE_NAME COUNT BATCH_SIZE(<=200) BATCHES_IN_FLIGHT');
  process.exit(2);
}
const url = `${api}/zones/${zoneId}/dns_records/batch`;
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });

// mulberry32, seeded: the same zone on every run
let seed = 0x9e3779b9;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const TTLS = [1, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 86400];
function record(i) {
  const ttl = TTLS[Math.floor(rnd() * TTLS.length)];
  const r = Math.floor(rnd() * 0xffffffff) >>> 0;
  const kind = i % 10;
  const name = `r${i}.${zoneName}`;
  if (kind < 7) return { type: 'A', name, content: `10.${(r >>> 16) & 255}.${(r >>> 8) & 255}.${r & 255}`, ttl };
  if (kind < 9) return { type: 'AAAA', name, content: `2001:db8:${(r >>> 16).toString(16)}::${(r & 0xffff).toString(16)}`, ttl };
  return { type: 'TXT', name, content: `bench-${r.toString(36)}-${i}`, ttl };
}
const batches = [];
for (let i = 0; i < count; i += batchSize) {
  const posts = [];
  for (let j = i; j < Math.min(count, i + batchSize); j++) posts.push(record(j));
  batches.push(JSON.stringify({ posts }));
}

const lat = [];
let next = 0, done = 0, bytes = 0;
async function post(i) {
  const { status, text, us } = await apiRequest(agent, 'POST', url, batches[i]);
  bytes += text.length;
  let n = -1;
  try { n = JSON.parse(text).result.posts.length; } catch { /* checked below */ }
  const want = Math.min(batchSize, count - i * batchSize);
  if (status !== 200 || !text.includes('"success":true') || n !== want) {
    throw new Error(`batch ${i}: HTTP ${status}, ${n} posts of ${want}: ${text.slice(0, 400)}`);
  }
  lat.push(us);
  done += n;
}

const t0 = process.hrtime.bigint();
(async () => {
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < batches.length) await post(next++);
  }));
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  agent.destroy();
  const { mean_us, p50_us, p90_us, p99_us, max_us } = latencies(lat);
  console.log('BENCHJSON ' + JSON.stringify({
    requests: done, batches: lat.length, batch_size: batchSize, in_flight: conc, duration_us: Math.round(wallUs),
    rps: done / (wallUs / 1e6), bytes, mean_us, p50_us, p90_us, p99_us, max_us,
    err_connect: 0, err_read: 0, err_write: 0, err_timeout: 0, err_status: 0,
  }));
})().catch((e) => {
  agent.destroy();
  console.error(`dns-seed: ${e.message}`);
  process.exit(1);
});
