// Load generator of the upload bench: N uploads in flight over keep-alive connections for a
// fixed time, each a multipart/form-data POST of one JPEG made unique by a COM segment.
//
//   node upload-client.js URL FILE CONCURRENCY DURATION_S TAG
//
// The body: the form part "file" (filename upload.jpg, image/jpeg) holding FILE's bytes with a
// 24-byte JPEG comment segment (FF FE 00 1A + 22 bytes) inserted right after the SOI marker; the
// comment holds TAG and a per-upload counter, so no two uploads of a run (nor of two runs with
// different TAGs) are the same bytes: Nubis stores originals by content hash and would otherwise
// skip the write of a duplicate. Each in-flight slot has its own copy of the body, patched in
// place before each send. Headers: Authorization: Bearer $BENCH_TOKEN, Content-Length.
// A 200 whose body contains "success":true counts; anything else is a failure (err_status).
// Uploads still in flight at the deadline are waited for and counted. Prints one line:
// BENCHJSON {...} (wrk's fields).
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const [url, file, concS, durS, tag] = process.argv.slice(2);
const conc = Number(concS), dur = Number(durS);
if (!url || !file || !(conc > 0) || !(dur > 0) || !tag) {
  console.error('usage: node upload-client.js URL FILE CONCURRENCY DURATION_S TAG');
  process.exit(2);
}
const jpeg = fs.readFileSync(file);
if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) { console.error(`${file} is not a JPEG`); process.exit(2); }
const boundary = '----nubisbench' + tag.replace(/[^A-Za-z0-9]/g, '');
const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.jpg"\r\n` +
  'Content-Type: image/jpeg\r\n\r\n');
const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
const COM_LEN = 22;
const com = Buffer.alloc(4 + COM_LEN);
com.writeUInt16BE(0xfffe, 0); com.writeUInt16BE(COM_LEN + 2, 2);
const template = Buffer.concat([head, jpeg.subarray(0, 2), com, jpeg.subarray(2), tail]);
const nonceAt = head.length + 2 + 4;
const u = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
const headers = {
  'Content-Type': `multipart/form-data; boundary=${boundary}`,
  'Content-Length': template.length,
  Authorization: 'Bearer ' + process.env.BENCH_TOKEN,
};

let seq = 0, failed = 0, bytes = 0, stop = false;
const lat = [];
function one(body) {
  body.write(`${tag}-${(seq++).toString(16)}`.padEnd(COM_LEN, '.').slice(0, COM_LEN), nonceAt, 'latin1');
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        bytes += text.length;
        if (res.statusCode === 200 && text.includes('"success":true')) {
          lat.push(Number(process.hrtime.bigint() - start) / 1000);
        } else {
          failed++;
          if (failed <= 3) console.error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
        }
        resolve();
      });
    });
    req.on('error', (e) => { failed++; if (failed <= 3) console.error(String(e)); resolve(); });
    req.end(body);
  });
}

const t0 = process.hrtime.bigint();
setTimeout(() => { stop = true; }, dur * 1000);
(async () => {
  await Promise.all(Array.from({ length: conc }, async () => {
    const body = Buffer.from(template);
    while (!stop) await one(body);
  }));
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  agent.destroy();
  lat.sort((a, b) => a - b);
  const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)] : 0);
  const mean = lat.length ? lat.reduce((a, b) => a + b, 0) / lat.length : 0;
  console.log('BENCHJSON ' + JSON.stringify({
    requests: lat.length, duration_us: Math.round(wallUs), rps: lat.length / (wallUs / 1e6), bytes,
    mean_us: Math.round(mean), p50_us: Math.round(pct(50)), p90_us: Math.round(pct(90)), p99_us: Math.round(pct(99)),
    max_us: Math.round(lat[lat.length - 1] || 0), err_connect: 0, err_read: 0, err_write: 0, err_timeout: 0,
    err_status: failed, body_bytes: template.length, file_bytes: jpeg.length + com.length,
  }));
})();
