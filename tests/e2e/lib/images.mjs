// Helpers for the Images end-to-end tests: a tiny PNG encoder/decoder, format and dimension sniffers
// for what the delivery side returns (PNG, JPEG, WebP, AVIF, GIF, SVG), a raw HTTP client with full
// control over the request headers, a local HTTP origin for URL uploads, the signed-URL algorithm of
// IMAGES.md §A.7, and a clean-up registry for images, variants and signing keys.
//
// Only node built-ins: no image library is available, so every upload is a PNG made here (the server
// converts), and every check on a delivered image reads its header bytes.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';

// ---------------------------------------------------------------------------------------------------
// PNG encoding

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(...bufs) {
  let c = 0xffffffff;
  for (const b of bufs) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data = Buffer.alloc(0)) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const t = Buffer.from(type, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(t, data));
  return Buffer.concat([len, t, data, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// Assembles a PNG from raw scanlines (each row: filter byte 0 + pixels), 8 bits per channel.
function assemblePng(width, height, alpha, raw, level) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = alpha ? 6 : 2; // RGBA or RGB
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level })),
    chunk('IEND'),
  ]);
}

// A PNG of width x height whose pixel (x, y) is pixel(x, y) = [r, g, b] or [r, g, b, a].
export function encodePng(width, height, pixel, { alpha = false, level = 6 } = {}) {
  assert.ok(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0);
  const ch = alpha ? 4 : 3;
  const stride = width * ch + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      const o = row + 1 + x * ch;
      raw[o] = p[0];
      raw[o + 1] = p[1];
      raw[o + 2] = p[2];
      if (alpha) raw[o + 3] = p.length > 3 ? p[3] : 255;
    }
  }
  return assemblePng(width, height, alpha, raw, level);
}

export const RED = [220, 20, 20];
export const BLUE = [20, 20, 220];
export const GREEN = [20, 200, 20];
export const WHITE = [255, 255, 255];

// One colour everywhere.
export const solidPng = (w, h, rgb = RED, opts = {}) => encodePng(w, h, () => rgb, opts);

// Left half one colour, right half another.
export const halvesPng = (w, h, left = RED, right = BLUE, opts = {}) =>
  encodePng(w, h, (x) => (x < w / 2 ? left : right), opts);

// Top half one colour, bottom half another.
export const topBottomPng = (w, h, top = RED, bottom = BLUE, opts = {}) =>
  encodePng(w, h, (x, y) => (y < h / 2 ? top : bottom), opts);

// A diagonal gradient (compresses well but is not trivial).
export const gradientPng = (w, h, opts = {}) =>
  encodePng(
    w,
    h,
    (x, y) => [Math.round((x * 255) / Math.max(1, w - 1)), Math.round((y * 255) / Math.max(1, h - 1)), 128],
    opts,
  );

// A half-transparent RGBA image (left opaque red, right transparent).
export const alphaPng = (w, h) => encodePng(w, h, (x) => (x < w / 2 ? [...RED, 255] : [0, 0, 0, 0]), { alpha: true });

// Random noise, stored without compression: the file is about w*h*3 bytes (used for size limits).
export function noisePng(w, h) {
  const stride = w * 3 + 1;
  const raw = crypto.randomBytes(stride * h);
  for (let y = 0; y < h; y++) raw[y * stride] = 0;
  return assemblePng(w, h, false, raw, 0);
}

// ---------------------------------------------------------------------------------------------------
// PNG decoding (8-bit, non-interlaced: what the server's PNG encoder writes), for colour checks.

export function decodePng(buf) {
  assert.ok(buf.subarray(0, 8).equals(PNG_SIGNATURE), 'not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let ctype = 0;
  let interlace = 0;
  let palette = null;
  let trns = null;
  const idat = [];
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8];
      ctype = data[9];
      interlace = data[12];
    } else if (type === 'PLTE') {
      palette = data;
    } else if (type === 'tRNS') {
      trns = data;
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    pos += 12 + len;
  }
  if (depth !== 8 && !(depth === 16 && ctype !== 3)) throw new Error(`PNG bit depth ${depth} not supported here`);
  if (interlace !== 0) throw new Error('interlaced PNG not supported here');
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[ctype];
  if (!channels) throw new Error(`PNG colour type ${ctype} not supported`);
  const bpp = (channels * depth) / 8;
  const stride = width * bpp;
  const data = zlib.inflateSync(Buffer.concat(idat));
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const f = data[y * (stride + 1)];
    const line = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (f !== 0) throw new Error(`bad PNG filter ${f}`);
      cur[i] = v & 0xff;
    }
  }
  const sample = (o) => (depth === 16 ? out[o] : out[o]); // high byte of a 16-bit sample
  const step = depth / 8;
  const pixel = (x, y) => {
    const o = y * stride + x * bpp;
    if (ctype === 3) {
      const idx = out[o];
      const alpha = trns && idx < trns.length ? trns[idx] : 255;
      return [palette[idx * 3], palette[idx * 3 + 1], palette[idx * 3 + 2], alpha];
    }
    const s = (k) => sample(o + k * step);
    if (ctype === 0) return [s(0), s(0), s(0), 255];
    if (ctype === 4) return [s(0), s(0), s(0), s(1)];
    if (ctype === 2) return [s(0), s(1), s(2), 255];
    return [s(0), s(1), s(2), s(3)];
  };
  return { width, height, colorType: ctype, depth, pixel };
}

// Whether two colours are within `tol` of each other on every RGB channel.
export const near = (a, b, tol = 40) => [0, 1, 2].every((i) => Math.abs(a[i] - b[i]) <= tol);

// ---------------------------------------------------------------------------------------------------
// Format and dimension sniffing

const ascii = (buf, start, end) => buf.toString('latin1', start, end);

function jpegSize(buf) {
  let i = 2;
  while (i + 9 < buf.length) {
    if (buf[i] !== 0xff) return null;
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2;
      continue;
    }
    const len = buf.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + len;
  }
  return null;
}

function webpSize(buf) {
  const fourcc = ascii(buf, 12, 16);
  if (fourcc === 'VP8 ') {
    if (!(buf[23] === 0x9d && buf[24] === 0x01 && buf[25] === 0x2a)) return null;
    return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff, kind: 'lossy' };
  }
  if (fourcc === 'VP8L') {
    if (buf[20] !== 0x2f) return null;
    const bits = buf.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, kind: 'lossless' };
  }
  if (fourcc === 'VP8X') {
    return { width: 1 + buf.readUIntLE(24, 3), height: 1 + buf.readUIntLE(27, 3), kind: 'extended' };
  }
  return null;
}

function isAvif(buf) {
  if (buf.length < 16 || ascii(buf, 4, 8) !== 'ftyp') return false;
  const size = buf.readUInt32BE(0);
  const brands = [ascii(buf, 8, 12)];
  for (let o = 16; o + 4 <= Math.min(size, buf.length); o += 4) brands.push(ascii(buf, o, o + 4));
  return brands.includes('avif') || brands.includes('avis');
}

// The largest 'ispe' (image spatial extents) property in the file: the primary image, or the grid
// canvas when the image is tiled.
function avifSize(buf) {
  let best = null;
  const needle = Buffer.from('ispe', 'latin1');
  let i = buf.indexOf(needle);
  while (i !== -1 && i + 16 <= buf.length) {
    const width = buf.readUInt32BE(i + 8);
    const height = buf.readUInt32BE(i + 12);
    if (!best || width * height > best.width * best.height) best = { width, height };
    i = buf.indexOf(needle, i + 4);
  }
  return best;
}

function looksLikeSvg(buf) {
  const head = buf.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(head);
}

// {format: 'png'|'jpeg'|'webp'|'avif'|'gif'|'svg'|null, width?, height?}
export function sniffImage(input) {
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
  if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE) && ascii(buf, 12, 16) === 'IHDR') {
    return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    return { format: 'jpeg', ...(jpegSize(buf) ?? {}) };
  }
  if (buf.length >= 30 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') {
    return { format: 'webp', ...(webpSize(buf) ?? {}) };
  }
  if (isAvif(buf)) return { format: 'avif', ...(avifSize(buf) ?? {}) };
  if (buf.length >= 10 && (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a')) {
    return { format: 'gif', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
  }
  if (looksLikeSvg(buf)) return { format: 'svg' };
  return { format: null };
}

export const MIME = Object.freeze({
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  svg: 'image/svg+xml',
});

// Asserts that bytes are an image of the given format (optional) and size (optional).
export function assertImage(bytes, { format, width, height } = {}, what = 'image') {
  const s = sniffImage(bytes);
  const head = Buffer.from(bytes).subarray(0, 24).toString('hex');
  assert.ok(s.format, `${what}: not a recognised image (first bytes ${head})`);
  if (format) assert.equal(s.format, format, `${what}: format`);
  if (width !== undefined) assert.equal(s.width, width, `${what}: width (got ${s.width}x${s.height})`);
  if (height !== undefined) assert.equal(s.height, height, `${what}: height (got ${s.width}x${s.height})`);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Raw HTTP with exactly the headers given (global fetch always adds `Accept: */*`, which matters
// for format negotiation). Returns {status, headers (lower-case names), body (Buffer), text}.

export function rawHttp(url, { method = 'GET', headers = {}, body, timeoutMs = 15_000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = { ...headers };
    if (body !== undefined && !Object.keys(h).some((k) => k.toLowerCase() === 'content-length')) {
      h['Content-Length'] = Buffer.byteLength(body);
    }
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, agent: false },
      (res) => {
        const parts = [];
        res.on('data', (d) => parts.push(d));
        res.on('end', () => {
          const buf = Buffer.concat(parts);
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: buf,
            get text() {
              return buf.toString('utf8');
            },
          });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const describeHttp = (res) =>
  `HTTP ${res.status} ${JSON.stringify(res.headers)} ${res.body.subarray(0, 300).toString('utf8').replace(/[^\x20-\x7e]/g, '.')}`;

// Asserts a delivery error: status, a text body starting `ERROR <code>` and `cf-resized: err=<code>`.
export function assertDeliveryError(res, status, code) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${describeHttp(res)}`);
  if (code !== undefined) {
    assert.ok(res.text.startsWith(`ERROR ${code}`), `body must start with "ERROR ${code}": ${describeHttp(res)}`);
    assert.equal(res.headers['cf-resized'], `err=${code}`, `cf-resized header: ${describeHttp(res)}`);
  }
}

// Asserts a 200 image response and returns {format, width, height} of the body.
export function assertDelivered(res, expect = {}, what = 'delivery') {
  assert.equal(res.status, 200, `${what}: expected 200, got ${describeHttp(res)}`);
  const s = assertImage(res.body, expect, what);
  const ct = (res.headers['content-type'] || '').split(';')[0].trim();
  assert.equal(ct, MIME[s.format], `${what}: Content-Type must match the bytes (${s.format})`);
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Local HTTP origin for `url` uploads. routes: { '/path': {body, type?, status?} | {redirect, status?} }.
// Unknown paths answer 404. Routes can be added later with set().

export async function startOrigin(routes = {}) {
  const table = new Map(Object.entries(routes));
  const hits = [];
  const server = http.createServer((req, res) => {
    const p = req.url.split('?')[0];
    hits.push({ method: req.method, url: req.url, headers: req.headers });
    const r = table.get(p);
    if (!r) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    if (r.redirect !== undefined) {
      res.writeHead(r.status ?? 302, { Location: r.redirect, 'Content-Length': 0 });
      res.end();
      return;
    }
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body ?? '');
    res.writeHead(r.status ?? 200, { 'Content-Type': r.type ?? 'application/octet-stream', 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    base,
    hits,
    url: (p) => base + p,
    set: (p, r) => table.set(p, r),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Signed URLs (IMAGES.md §A.7): sig = hex(HMAC-SHA256(utf8(key), pathname + "?exp=" + exp)).

export const hmacHex = (key, text) => crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(text).digest('hex');

// Signs a delivery URL. With exp undefined the signature covers the path only (the form without expiry
// that Nubis also accepts).
export function signUrl(url, key, exp) {
  const u = new URL(url);
  if (exp === undefined) return `${u.origin}${u.pathname}?sig=${hmacHex(key, u.pathname)}`;
  const sig = hmacHex(key, `${u.pathname}?exp=${exp}`);
  return `${u.origin}${u.pathname}?exp=${exp}&sig=${sig}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------------------------------
// Image object checks

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const UPLOADED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const ACCOUNT_HASH = /^[A-Za-z0-9_-]{22}$/;

// A random string of the account-hash shape.
export const randomHash = () => crypto.randomBytes(16).toString('base64url');

// Clean-up registry for images, variants and signing keys (removed with the admin client).
export class ImagesCleanup {
  constructor(admin, accountId) {
    this.admin = admin;
    this.accountId = accountId;
    this.images = new Set();
    this.variants = new Set();
    this.keys = new Set();
  }
  image(img) {
    if (img && img.id) this.images.add(img.id);
    return img;
  }
  variant(name) {
    this.variants.add(name);
    return name;
  }
  key(name) {
    this.keys.add(name);
    return name;
  }
  async run() {
    const a = { account_id: this.accountId };
    for (const id of this.images) await this.admin.images.v1.delete(id, a).catch(() => {});
    for (const v of this.variants) await this.admin.images.v1.variants.delete(v, a).catch(() => {});
    for (const k of this.keys) await this.admin.images.v1.keys.delete(k, a).catch(() => {});
  }
}
