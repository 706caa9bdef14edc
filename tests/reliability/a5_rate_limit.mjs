// A5 — rate limiting (RELIABILITY.md §7, API-SURFACE §8), with O2 (the rate-limit counters in
// /metrics equal the 429s we received). Servers run WITH rate limiting (the default).
//
// Per user: exactly 1200 requests to /user/tokens/verify with the bootstrap token, paced at
// ~150/s over several keep-alive connections (under the 200/s per-IP ceiling), all pass; each
// carries Ratelimit and Ratelimit-Policy (remaining counts down 1199..0, no Retry-After);
// request 1201 gets 429 / 971 with Retry-After ≤ 300, and the user stays blocked (1202, and the
// same user's Global API Key).
//
// Per IP (fresh server): > 200 requests within one second from 127.0.0.1 with an INVALID token
// (the per-IP limit applies before authentication): exactly 200 get through to authentication,
// the rest 429 / 971; 127.0.0.2 is unaffected meanwhile; X-Forwarded-For does not move a client
// out of the block (no trusted proxies configured); /healthz stays reachable; after the window
// the client is accepted again.

import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { runScript, startServer, sendRaw, buildRequest, request, randomSecret, clip } from './lib.mjs';

function parseRateMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^nubis_rate_limited_total\{kind="([^"]*)"\} (\d+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

// "default";r=12;t=30 → {name, r, t}; "default";q=1200;w=300 → {name, q, w}
function parseSf(v) {
  if (typeof v !== 'string') return null;
  const parts = v.split(';').map((s) => s.trim());
  const out = { name: parts[0] };
  for (const p of parts.slice(1)) {
    const [k, val] = p.split('=');
    out[k] = Number(val);
  }
  return out;
}

function httpGet(agent, port, path, headers, localAddress) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers, agent, localAddress, timeout: 5000 }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(body);
        } catch {}
        resolve({ status: res.statusCode, headers: res.headers, body, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: undefined, headers: {}, body: String(e), error: e.message }));
    req.end();
  });
}

const hasRateHeaders = (h) => typeof h.ratelimit === 'string' && typeof h['ratelimit-policy'] === 'string';

runScript('a5_rate_limit', async (t) => {
  // ================================================================ per user
  {
    const server = await startServer({ env: { NUBIS_RATE_LIMIT: null } });
    const T = server.token;
    const B = server.bootstrap;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
    const N = 1200;
    const RATE = 150; // per second
    const results = new Array(N);
    const inflight = [];
    const MAX_INFLIGHT = 6; // never more than the agent's sockets: no queue that could burst later
    const WINDOW_CAP = 175; // never more than this many sends in any trailing second (< 200/s per IP)
    const sent = [];
    let active = 0;
    let wake = null;
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      while (active >= MAX_INFLIGHT) await new Promise((r) => (wake = r));
      if (i >= WINDOW_CAP) {
        const ref = sent[i - WINDOW_CAP] + 1000 + 5;
        if (ref > Date.now()) await sleep(ref - Date.now());
      }
      sent.push(Date.now());
      active++;
      inflight.push(
        httpGet(agent, server.port, '/client/v4/user/tokens/verify', { Authorization: `Bearer ${T}` }).then((r) => {
          results[i] = r;
          active--;
          if (wake) {
            const w = wake;
            wake = null;
            w();
          }
        }),
      );
    }
    await Promise.all(inflight);
    const elapsed = Date.now() - t0;
    t.measure('user_phase_ms', elapsed);

    const non200 = results.filter((r) => r.status !== 200);
    t.check(`per user: all ${N} paced requests answered 200`, non200.length === 0, () => `${non200.length} were not 200, e.g. ${non200.slice(0, 3).map((r) => `${r.status} ${clip(r.body, 200)}`).join(' | ')}`);
    const missing = results.filter((r) => !hasRateHeaders(r.headers));
    t.check(`per user: Ratelimit and Ratelimit-Policy on all ${N} responses`, missing.length === 0, () => `${missing.length} without, e.g. headers ${JSON.stringify(missing[0]?.headers)}`);
    const withRetry = results.filter((r) => r.headers['retry-after'] !== undefined);
    t.check('per user: no Retry-After on non-429 responses', withRetry.length === 0, () => `${withRetry.length} carry Retry-After, e.g. ${withRetry[0].headers['retry-after']}`);
    const remaining = results.map((r) => parseSf(r.headers.ratelimit)?.r).filter((x) => Number.isInteger(x)).sort((a, b) => a - b);
    const exact = remaining.length === N && remaining.every((v, i) => v === i);
    t.check('per user: Ratelimit remaining takes each value 1199..0 exactly once', exact, () => `got ${remaining.length} values, min ${remaining[0]}, max ${remaining[remaining.length - 1]}`);
    const pol = parseSf(results[0]?.headers['ratelimit-policy']);
    t.check('per user: Ratelimit-Policy says q=1200;w=300', pol?.q === 1200 && pol?.w === 300, `Ratelimit-Policy: ${results[0]?.headers['ratelimit-policy']}`);
    const resets = results.map((r) => parseSf(r.headers.ratelimit)?.t);
    t.check('per user: Ratelimit t (seconds to reset) within 1..300', resets.every((x) => Number.isInteger(x) && x >= 1 && x <= 300), `values ${[...new Set(resets)].slice(0, 10).join(',')}`);

    let user429 = 0;
    const r1201 = await httpGet(agent, server.port, '/client/v4/user/tokens/verify', { Authorization: `Bearer ${T}` });
    if (r1201.status === 429) user429++;
    const ra = r1201.headers['retry-after'];
    t.check('per user: request 1201 → 429 with errors[0].code 971', r1201.status === 429 && r1201.json?.errors?.[0]?.code === 971 && r1201.json?.success === false, `${r1201.status} ${clip(r1201.body)}`);
    t.check('per user: request 1201 carries Retry-After, an integer in 1..300', /^\d+$/.test(ra ?? '') && Number(ra) >= 1 && Number(ra) <= 300, `Retry-After: ${ra}`);
    t.check('per user: request 1201 carries Ratelimit and Ratelimit-Policy', hasRateHeaders(r1201.headers), JSON.stringify(r1201.headers));
    const r1202 = await httpGet(agent, server.port, '/client/v4/user/tokens/verify', { Authorization: `Bearer ${T}` });
    if (r1202.status === 429) user429++;
    t.check('per user: request 1202 still 429 / 971 (blocked for the window)', r1202.status === 429 && r1202.json?.errors?.[0]?.code === 971, `${r1202.status} ${clip(r1202.body)}`);
    // Cumulative across key and token (API-SURFACE §8): the same user's Global API Key is blocked too.
    const rKey = await httpGet(agent, server.port, '/client/v4/user', { 'X-Auth-Email': B.email, 'X-Auth-Key': B.global_api_key });
    if (rKey.status === 429) user429++;
    t.check("per user: the same user's Global API Key is blocked too (429 / 971)", rKey.status === 429 && rKey.json?.errors?.[0]?.code === 971, `${rKey.status} ${clip(rKey.body)}`);
    // Another route with the same token: blocked as well.
    const rOther = await httpGet(agent, server.port, '/client/v4/zones', { Authorization: `Bearer ${T}` });
    if (rOther.status === 429) user429++;
    t.check('per user: other routes blocked too (GET /zones → 429 / 971)', rOther.status === 429 && rOther.json?.errors?.[0]?.code === 971, `${rOther.status} ${clip(rOther.body)}`);
    agent.destroy();

    // O2
    const m = await request(server.port, 'GET', '/metrics').catch((e) => ({ body: String(e) }));
    const rl = parseRateMetrics(m.body || '');
    t.check(`O2 per-user server: nubis_rate_limited_total{kind="user"} == ${user429} (429s received)`, (rl.user ?? 0) === user429, `metrics say ${rl.user}; /metrics: ${clip((m.body || '').split('\n').filter((l) => l.includes('rate_limited')).join(' | '))}`);
    t.check('O2 per-user server: nubis_rate_limited_total{kind="ip"} == 0', (rl.ip ?? 0) === 0, `metrics say ${rl.ip}`);
    t.measure('user_429s', user429);
    t.check('per-user server still alive', server.alive(), JSON.stringify(server.exitInfo));
    const st = await server.stop();
    t.check('per-user server exits 0 on SIGTERM', st.code === 0 && !st.killed, JSON.stringify(st));
  }

  // ================================================================ per IP
  {
    const server = await startServer({ env: { NUBIS_RATE_LIMIT: null } });
    // Let the window opened by the start-up /healthz polls run out, so the count starts at 0.
    await sleep(1200);
    const bad = randomSecret(40);
    const path = '/client/v4/user/tokens/verify';
    const one = buildRequest('GET', path, [['Authorization', `Bearer ${bad}`]]);
    const N = 240;
    const CONNS = 4;
    const per = N / CONNS;
    const tStart = Date.now();
    const bursts = await Promise.all(
      Array.from({ length: CONNS }, () => sendRaw(server.port, Buffer.concat(Array.from({ length: per }, () => one)), { halfClose: false, untilResponses: per, timeoutMs: 3000 })),
    );
    const burstMs = Date.now() - tStart;
    t.measure('ip_burst_ms', burstMs);
    const all = bursts.flatMap((b) => b.responses);
    t.check(`per IP: all ${N} burst requests answered`, all.length === N, `answered ${all.length}`);
    t.check('per IP: the burst completed within the 1 s window (precondition for exact counts)', burstMs < 1000, `took ${burstMs} ms; counts below are not exact`);
    const limited = all.filter((r) => r.status === 429);
    const passed = all.filter((r) => r.status !== 429);
    t.check('per IP: exactly 200 requests reach authentication (401 / 1000 for the bad token)', passed.length === 200 && passed.every((r) => r.status === 401 && r.json?.errors?.[0]?.code === 1000),
      `non-429: ${passed.length}; statuses ${[...new Set(passed.map((r) => r.status))].join(',')}`);
    t.check(`per IP: exactly ${N - 200} requests get 429`, limited.length === N - 200, `429s: ${limited.length}`);
    t.check('per IP: every 429 has errors[0].code 971 in a Cloudflare envelope', limited.every((r) => r.json?.success === false && r.json?.errors?.[0]?.code === 971), clip(limited.find((r) => r.json?.errors?.[0]?.code !== 971)?.body));
    const badRetry = limited.filter((r) => {
      const w = parseSf(r.headers['ratelimit-policy'])?.w;
      const v = r.headers['retry-after'];
      return !/^\d+$/.test(v ?? '') || Number(v) < 1 || !(Number(v) <= (w ?? 1));
    });
    t.check('per IP: every 429 has Retry-After ≥ 1 and ≤ the policy window', badRetry.length === 0, () => `${badRetry.length} bad, e.g. Retry-After ${badRetry[0].headers['retry-after']} policy ${badRetry[0].headers['ratelimit-policy']}`);
    const noRetryOn401 = passed.every((r) => r.headers['retry-after'] === undefined);
    t.check('per IP: no Retry-After on the non-429 responses', noRetryOn401, 'some non-429 carry Retry-After');
    const missing429 = limited.filter((r) => !hasRateHeaders(r.headers));
    t.check('per IP: Ratelimit and Ratelimit-Policy on every 429', missing429.length === 0, () => `${missing429.length} without`);
    // RELIABILITY.md A5: header presence 100% — the allowed (then unauthenticated) responses too.
    const missingAll = all.filter((r) => !hasRateHeaders(r.headers));
    t.check('per IP: Ratelimit and Ratelimit-Policy on every response of the burst (A5: presence 100%)', missingAll.length === 0,
      () => `${missingAll.length} of ${all.length} responses lack them, e.g. ${missingAll[0].status} with headers ${JSON.stringify(missingAll[0].headers)}`);

    let ip429 = limited.length;
    // While 127.0.0.1 is blocked: 127.0.0.2 unaffected; spoofed X-Forwarded-For does not help;
    // /healthz still answers.
    const other = await Promise.all(Array.from({ length: 10 }, () => request(server.port, 'GET', path, { token: bad, localAddress: '127.0.0.2' }).catch((e) => ({ status: undefined, body: String(e) }))));
    const stillBlocked = await request(server.port, 'GET', path, { token: bad }).catch((e) => ({ body: String(e) }));
    const spoof = await request(server.port, 'GET', path, { token: bad, headers: [['X-Forwarded-For', '203.0.113.9']] }).catch((e) => ({ body: String(e) }));
    const health = await request(server.port, 'GET', '/healthz').catch((e) => ({ body: String(e) }));
    const sinceBurst = Date.now() - tStart;
    for (const r of [stillBlocked, spoof, health]) if (r.status === 429) ip429++;
    for (const r of other) if (r.status === 429) ip429++;
    t.check('per IP: checks below ran while 127.0.0.1 was still inside its block', sinceBurst < 1000, `${sinceBurst} ms after the burst started`);
    t.check('per IP: 127.0.0.2 is unaffected (10 × 401 / 1000, no 429)', other.every((r) => r.status === 401 && r.json?.errors?.[0]?.code === 1000), `statuses ${other.map((r) => r.status).join(',')}`);
    t.check('per IP: 127.0.0.1 is still blocked meanwhile (429 / 971)', stillBlocked.status === 429 && stillBlocked.json?.errors?.[0]?.code === 971, `${stillBlocked.status} ${clip(stillBlocked.body)}`);
    t.check('per IP: a spoofed X-Forwarded-For does not escape the block (no trusted proxies)', spoof.status === 429, `${spoof.status} ${clip(spoof.body)}`);
    t.check('per IP: /healthz (public) still answers 200 from the blocked IP', health.status === 200, `${health.status} ${clip(health.body)}`);

    // After the block: accepted again.
    await sleep(1300);
    const after = await request(server.port, 'GET', path, { token: bad }).catch((e) => ({ body: String(e) }));
    if (after.status === 429) ip429++;
    t.check('per IP: after the window 127.0.0.1 is accepted again (401 / 1000, not 429)', after.status === 401 && after.json?.errors?.[0]?.code === 1000, `${after.status} ${clip(after.body)}`);

    // O2 (scraped from 127.0.0.2, which is not blocked).
    const m = await request(server.port, 'GET', '/metrics', { localAddress: '127.0.0.2' }).catch((e) => ({ body: String(e) }));
    const rl = parseRateMetrics(m.body || '');
    t.check(`O2 per-IP server: nubis_rate_limited_total{kind="ip"} == ${ip429} (429s received)`, (rl.ip ?? 0) === ip429, `metrics say ${rl.ip}; ${clip((m.body || '').split('\n').filter((l) => l.includes('rate_limited')).join(' | '))}`);
    t.check('O2 per-IP server: nubis_rate_limited_total{kind="user"} == 0', (rl.user ?? 0) === 0, `metrics say ${rl.user}`);
    t.measure('ip_429s', ip429);
    t.check('per-IP server still alive', server.alive(), JSON.stringify(server.exitInfo));
    const st = await server.stop();
    t.check('per-IP server exits 0 on SIGTERM', st.code === 0 && !st.killed, JSON.stringify(st));
  }
});
