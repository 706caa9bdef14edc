// The Node peer of the upload bench: a minimal node:http receiver that makes each upload durable
// before answering, as Nubis does. Any POST body is streamed to a new file DATA_DIR/<pid>-<n>.bin
// (chunk by chunk, as it arrives), then fsync'ed and closed, then a Cloudflare-style JSON answer
// is sent. The multipart envelope is stored as received, not parsed (a real receiver would also
// find the boundary: one scan over the body). The bearer token is checked (string comparison).
// What it does not do, and Nubis does: parse the form, check that the file is an image (Nubis
// decodes it once), hash it, fsync the directory, commit a database row.
//
// env: PORT (0 = any), DATA_DIR, BENCH_TOKEN. Prints "listening <port>" once bound.
'use strict';
const http = require('node:http');
const fsp = require('node:fs/promises');
const path = require('node:path');
const crypto = require('node:crypto');

const DATA_DIR = path.resolve(process.env.DATA_DIR || '.');
const expected = 'Bearer ' + process.env.BENCH_TOKEN;
let n = 0;

async function store(req) {
  const file = path.join(DATA_DIR, `${process.pid}-${++n}.bin`);
  const fh = await fsp.open(file, 'wx');
  let bytes = 0;
  try {
    for await (const chunk of req) { await fh.write(chunk); bytes += chunk.length; }
    await fh.sync();
  } finally { await fh.close(); }
  return bytes;
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST') { res.writeHead(405, { 'Content-Length': 0 }); res.end(); return; }
  if (req.headers.authorization !== expected) {
    req.resume();
    res.writeHead(401, { 'Content-Type': 'application/json', 'Content-Length': 2 }); res.end('{}'); return;
  }
  try {
    const bytes = await store(req);
    const id = crypto.randomUUID();
    const body = Buffer.from(JSON.stringify({
      result: { id, filename: 'upload.jpg', uploaded: new Date().toISOString(), requireSignedURLs: false,
        variants: [`http://127.0.0.1/hash/${id}/public`], meta: { bytes } },
      success: true, errors: [], messages: [], result_info: null,
    }));
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.end(body);
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'text/plain' }); res.end(String(e && e.message));
  }
});
server.keepAliveTimeout = 65000;
server.requestTimeout = 0;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
