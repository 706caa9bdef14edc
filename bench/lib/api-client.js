// What the node clients of the dns bench share (dns-seed.js, dns-cold.js): one request to the
// Nubis API with the bench's token, timed, and the latency figures of a set of requests.
//   const { apiRequest, latencies } = require('./api-client.js');
'use strict';
const http = require('node:http');

// METHOD URL [BODY] through AGENT (keep-alive: the caller's), "Authorization: Bearer
// $BENCH_TOKEN", BODY (a string) sent as JSON. Resolves when the whole answer is read:
// {status, text, us}, us = µs from the request's start to the answer's last byte.
function apiRequest(agent, method, url, body) {
  const u = new URL(url);
  const headers = { Authorization: 'Bearer ' + process.env.BENCH_TOKEN };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode,
        text: Buffer.concat(chunks).toString(),
        us: Number(process.hrtime.bigint() - start) / 1000,
      }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

// The figures of a set of latencies (µs), as the BENCHJSON lines of the benches name them;
// percentiles by nearest rank (with 30 samples, p99 is the largest).
function latencies(us) {
  const s = [...us].sort((a, b) => a - b);
  const pct = (p) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : 0);
  return {
    n: s.length,
    mean_us: Math.round(s.reduce((a, b) => a + b, 0) / (s.length || 1)),
    min_us: Math.round(s[0] || 0),
    p50_us: Math.round(pct(50)),
    p90_us: Math.round(pct(90)),
    p99_us: Math.round(pct(99)),
    max_us: Math.round(s[s.length - 1] || 0),
  };
}

module.exports = { apiRequest, latencies };
