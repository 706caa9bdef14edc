// The sharp peer of the render bench: what a user might write to serve Cloudflare Images-style
// flexible variants with Node.js. One node:http process, sharp (pinned in bench/package.json),
// no cache of any kind:
//
//   GET /<anything>/<IMAGE_ID>/<options>      e.g. /h/g-wood/w=1024,quality=85,format=jpeg
//
// IMAGE_ID is a file name of CORPUS_DIR without its extension. Every request reads the original
// from disk (sharp(file); the page cache holds it after the first read, as it does for Nubis's
// stored original), decodes it, resizes it to the requested width with fit "inside" and no
// enlargement (Cloudflare's default fit, scale-down), first frame only, metadata stripped, then
// encodes it with the very encoder parameters Nubis uses for the same options (see render.sh):
//   jpeg: Q=quality, 4:2:0, Huffman tables optimised, baseline
//   webp: Q=quality, effort 4
//   avif: AV1, Q = Nubis's mapping of quality (85 -> 60), effort 2, 4:2:0
// Options understood: w|width, q|quality, f|format, background (flattened onto when the image
// has alpha and the output is JPEG, as Nubis does; the corpus is opaque, so it never applies).
// Anything else is ignored.
//
// sharp's own defaults are kept otherwise: the libvips operation cache is off here (every request
// really decodes), sharp.concurrency() = 1 libvips thread per operation on glibc Linux, and the
// libuv pool (UV_THREADPOOL_SIZE, default 4) bounds the operations in flight at 4. (Nubis: 1
// libvips thread per render too, and one render per core at a time, the rest queued.)
//
// env: PORT (0 = any), CORPUS_DIR. Prints "listening <port>" once bound.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');

const CORPUS_DIR = path.resolve(process.env.CORPUS_DIR || path.join(__dirname, '..', 'corpus-cache'));
sharp.cache(false);

const originals = new Map();
for (const f of fs.readdirSync(CORPUS_DIR)) {
  const m = /^([A-Za-z0-9_-]+)\.(jpe?g|png|webp|avif|gif)$/i.exec(f);
  if (m) originals.set(m[1], path.join(CORPUS_DIR, f));
}

// Nubis's AVIF quality mapping (src/images/pipeline/encode.cc avifQuality): 1..85 -> 1..60,
// 85..100 -> 60..100.
function avifQuality(q) {
  q = Math.min(100, Math.max(1, q));
  const v = q <= 85 ? (q * 60) / 85 : 60 + ((q - 85) * 40) / 15;
  return Math.min(100, Math.max(1, Math.round(v)));
}

function parseOptions(seg) {
  const o = { width: 0, quality: 85, format: 'jpeg', background: null };
  for (const kv of seg.split(',')) {
    const eq = kv.indexOf('=');
    if (eq < 0) continue;
    const k = kv.slice(0, eq);
    const v = decodeURIComponent(kv.slice(eq + 1));
    if (k === 'w' || k === 'width') o.width = parseInt(v, 10);
    else if (k === 'q' || k === 'quality') o.quality = parseInt(v, 10);
    else if (k === 'f' || k === 'format') o.format = v;
    else if (k === 'background') o.background = v;
  }
  if (!(o.width > 0) || !(o.quality >= 1 && o.quality <= 100) || !['jpeg', 'webp', 'avif'].includes(o.format)) return null;
  return o;
}

const MIME = { jpeg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif' };

async function render(file, o) {
  let p = sharp(file, { animated: false, limitInputPixels: 100_000_000 })
    .rotate() // EXIF orientation, as Nubis applies it
    .resize({ width: o.width, fit: 'inside', withoutEnlargement: true });
  if (o.format === 'jpeg') {
    if (o.background) p = p.flatten({ background: o.background });
    p = p.jpeg({ quality: o.quality, chromaSubsampling: '4:2:0', optimiseCoding: true, progressive: false });
  } else if (o.format === 'webp') {
    p = p.webp({ quality: o.quality, effort: 4 });
  } else {
    p = p.avif({ quality: avifQuality(o.quality), effort: 2, chromaSubsampling: '4:2:0' });
  }
  return p.toBuffer();
}

function send(res, status, type, buf) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length });
  res.end(buf);
}

const server = http.createServer(async (req, res) => {
  const parts = req.url.split('?')[0].split('/');
  // ['', hash, id, options]
  if (req.method !== 'GET' || parts.length !== 4) return send(res, 404, 'text/plain', Buffer.from('not found\n'));
  const file = originals.get(parts[2]);
  const o = parseOptions(parts[3]);
  if (!file || !o) return send(res, 404, 'text/plain', Buffer.from('not found\n'));
  try {
    send(res, 200, MIME[o.format], await render(file, o));
  } catch (e) {
    send(res, 500, 'text/plain', Buffer.from(String(e && e.message) + '\n'));
  }
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
  console.log(`sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, concurrency ${sharp.concurrency()}, ` +
    `UV_THREADPOOL_SIZE ${process.env.UV_THREADPOOL_SIZE || '4 (default)'}, originals ${originals.size}`);
});
