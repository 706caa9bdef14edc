// R4 — hostile images (RELIABILITY.md §7 R4, limits of §2 and §4). Every file is generated here
// (nothing checked in) and uploaded through POST /accounts/{a}/images/v1 to a server started with
// VIPS_BLOCK_UNTRUSTED=1:
//
//   decompression bombs   PNG/JPEG/WebP/GIF headers claiming 100k×100k (JPEG: 65535², its
//                         maximum), a 1 MB PNG whose IDAT inflates to 1 GB (100,000 × 10,000
//                         8-bit), a zTXt bomb, GIFs of 10,000 frames / > 50 MP summed
//   parser abuse          truncated files of every format, bad CRCs, 2 GB chunk lengths, a
//                         progressive JPEG of 5,000 empty scans, empty files
//   SVG                   billion laughs, external entities (file: and http: to a decoy),
//                         <script>, on*= handlers, foreignObject, remote/file:/javascript: hrefs,
//                         xml-stylesheet, CSS url()/@import, deep nesting
//   polyglots             GIF+JS, PNG+ZIP, JPEG+HTML, PNG with HTML in tEXt
//   refused formats       BMP, TIFF, PSD, ICO, PDF, PNM, FITS, JPEG XL, HEIC/AVIF shells, text,
//                         HTML, XML
//   limits                metadata > 1024 bytes (and 10,000-deep JSON), files > 10 MB
//
// Pass (per file): no 5xx; an answer within 2 s (10 s for the one valid 100 MP file); a refusal
// is a 4xx in the Cloudflare envelope. Files marked "reject" must be refused. An SVG may be
// accepted (Cloudflare stores SVG and sanitises on delivery), and then every delivery of it
// (delivery listener and the API port's /cdn-cgi/imagedelivery) must be 4xx or a sanitised
// document — no <script>, no on*= handler, no foreignObject, no javascript:/file:/remote
// reference, no DOCTYPE/ENTITY — served with Content-Security-Policy and X-Content-Type-Options:
// nosniff. A polyglot may be accepted if what delivery serves is an image/* re-encode without the
// payload, with nosniff. A few valid-but-odd files ("bounded") may be accepted. Whatever is
// accepted is delivered (both listeners) under the same time limit, and a served image may not
// declare more than 12,000 px a side. Across the run: peak RSS (VmHWM, reset before each file to
// name the file that raised it) ≤ baseline + 512 MB, the server never restarts, nothing refused
// is counted in stats, and a decoy HTTP listener that hostile files point at sees no connection.

import net from 'node:net';
import fs from 'node:fs';
import {
  runScript,
  startServer,
  request,
  apiOk,
  envelopeProblem,
  describe,
  clip,
  makePng,
  smallPng,
  pngChunk,
  pngIhdr,
  PNG_SIGNATURE,
  zerosZlib,
  crc32,
  multipart,
  deliveryOf,
  memoryOf,
  resetPeakMemory,
  healthy,
} from './lib.mjs';

// ------------------------------------------------------------------------------ fixtures

// 16×16 baseline and progressive JPEGs (libvips jpegsave, Q50, stripped).
const JPEG = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAQABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD0CiiigD//2Q==',
  'base64',
);
const JPEG_PROGRESSIVE = Buffer.from(
  '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wgARCAAQABADASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUAQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIQAxAAAAGgB//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEAAQUCH//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQMBAT8Bf//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQIBAT8Bf//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEABj8CH//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEAAT8hH//aAAwDAQACAAMAAAAQA//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQMBAT8Qf//EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQIBAT8Qf//EABQQAQAAAAAAAAAAAAAAAAAAACD/2gAIAQEAAT8QH//Z',
  'base64',
);
// 16×16 WebP (VP8X + VP8 + EXIF, libvips webpsave).
const WEBP = Buffer.from(
  'UklGRvgAAABXRUJQVlA4WAoAAAAIAAAADwAADwAAVlA4IBgAAAAwAQCdASoQABAAAgA0JaQAA3AA/vuUAABFWElGugAAAEV4aWYAAElJKgAIAAAABgASAQMAAQAAAAEAAAAaAQUAAQAAAFYAAAAbAQUAAQAAAF4AAAAoAQMAAQAAAAIAAAATAgMAAQAAAAEAAABphwQAAQAAAGYAAAAAAAAAOGMAAOgDAAA4YwAA6AMAAAYAAJAHAAQAAAAwMjEwAZEHAAQAAAABAgMAAKAHAAQAAAAwMTAwAaADAAEAAAD//wAAAqAEAAEAAAAQAAAAA6AEAAEAAAAQAAAAAAAAAA==',
  'base64',
);

const u16le = (n) => Buffer.from([n & 255, (n >> 8) & 255]);
const u16be = (n) => Buffer.from([(n >> 8) & 255, n & 255]);
const u32le = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

// JPEG with the SOF dimensions replaced (the scan data still describes 16×16).
function jpegClaiming(w, h, src = JPEG) {
  const b = Buffer.from(src);
  for (let i = 2; i + 9 < b.length; i++) {
    if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
      u16be(h).copy(b, i + 5);
      u16be(w).copy(b, i + 7);
      return b;
    }
  }
  throw new Error('no SOF marker in the JPEG fixture');
}

// A progressive JPEG (one component) claiming w×h with `scans` empty DC scans: decoders that
// process every scan over the whole coefficient buffer spend scans × w × h.
function jpegScanBomb(w, h, scans) {
  const seg = (marker, data) => Buffer.concat([Buffer.from([0xff, marker]), u16be(data.length + 2), data]);
  const dqt = seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  const sof2 = seg(0xc2, Buffer.concat([Buffer.from([8]), u16be(h), u16be(w), Buffer.from([1, 1, 0x11, 0])]));
  // DC table 0: one code of length 1 for symbol 0.
  const dht = seg(0xc4, Buffer.concat([Buffer.from([0x00, 1]), Buffer.alloc(15), Buffer.from([0])]));
  const sos = seg(0xda, Buffer.from([1, 1, 0x00, 0, 0, 0x00]));
  const parts = [Buffer.from([0xff, 0xd8]), dqt, sof2, dht];
  for (let i = 0; i < scans; i++) parts.push(sos, Buffer.from([0x00]));
  parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

// GIF89a: `w`×`h` logical screen, `frames` frames of 1×1 pixel each (LZW "02 02 44 01 00").
function gif({ w = 16, h = 16, frames = 1, frameW = 1, frameH = 1, trailer = true, lsdOverride } = {}) {
  const parts = [Buffer.from('GIF89a', 'latin1')];
  parts.push(lsdOverride ?? Buffer.concat([u16le(w), u16le(h), Buffer.from([0x80, 0, 0])]));
  parts.push(Buffer.from([0, 0, 0, 255, 255, 255])); // 2-colour global table
  if (frames > 1) parts.push(Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0', 'latin1'), 3, 1, 0, 0, 0]));
  const frame = Buffer.concat([
    Buffer.from([0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00]),
    Buffer.from([0x2c, 0, 0, 0, 0]),
    u16le(frameW),
    u16le(frameH),
    Buffer.from([0x00, 0x02, 0x02, 0x44, 0x01, 0x00]),
  ]);
  for (let i = 0; i < frames; i++) parts.push(frame);
  if (trailer) parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

// A stored (uncompressed) ZIP holding one file.
function zip(name, content) {
  const n = Buffer.from(name, 'latin1');
  const c = Buffer.from(content, 'latin1');
  const crc = crc32(c);
  const local = Buffer.concat([
    u32le(0x04034b50), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0),
    u32le(crc), u32le(c.length), u32le(c.length), u16le(n.length), u16le(0), n, c,
  ]);
  const central = Buffer.concat([
    u32le(0x02014b50), u16le(20), u16le(20), u16le(0), u16le(0), u16le(0), u16le(0),
    u32le(crc), u32le(c.length), u32le(c.length), u16le(n.length), u16le(0), u16le(0), u16le(0), u16le(0),
    u32le(0), u32le(0), n,
  ]);
  const end = Buffer.concat([u32le(0x06054b50), u16le(0), u16le(0), u16le(1), u16le(1), u32le(central.length), u32le(local.length), u16le(0)]);
  return Buffer.concat([local, central, end]);
}

// A valid PNG whose IDAT is all zeros (every row filter None, every pixel 0), any size, in ms.
function pngOfZeros(w, h, { colorType = 0, bitDepth = 8, interlace = 0 } = {}) {
  const bits = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType] * bitDepth;
  const passes = interlace
    ? [[0, 8, 0, 8], [4, 8, 0, 8], [0, 4, 4, 8], [2, 4, 0, 4], [0, 2, 2, 4], [1, 2, 0, 2], [0, 1, 1, 2]]
    : [[0, 1, 0, 1]];
  let size = 0;
  for (const [x0, dx, y0, dy] of passes) {
    const pw = Math.ceil((w - x0) / dx);
    const ph = Math.ceil((h - y0) / dy);
    if (pw > 0 && ph > 0) size += ph * (1 + Math.ceil((pw * bits) / 8));
  }
  return Buffer.concat([PNG_SIGNATURE, pngIhdr(w, h, { colorType, bitDepth, interlace }), pngChunk('IDAT', zerosZlib(size)), pngChunk('IEND')]);
}

const cut = (b, frac) => b.subarray(0, Math.max(1, Math.floor(b.length * frac)));
const svgDoc = (inner, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="100"${attrs}>${inner}</svg>`;
const MARK = 'nubisR4payload';

// ------------------------------------------------------------------------------ the corpus

function corpus(decoy) {
  const D = `http://127.0.0.1:${decoy}`;
  const files = [];
  // expect: 'reject' | 'svg' | 'polyglot' | 'bounded'; payload: a marker that must not be served.
  const add = (name, bytes, expect, extra = {}) => files.push({ name, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'utf8'), expect, ...extra });

  // --- PNG
  const tinyIdat = pngChunk('IDAT', zerosZlib(64));
  add('PNG header claiming 100000×100000 (valid CRCs)', Buffer.concat([PNG_SIGNATURE, pngIhdr(100000, 100000), tinyIdat, pngChunk('IEND')]), 'reject');
  add('PNG bomb: 100000×10000 8-bit grey, IDAT of zeros inflating to 1 GB', Buffer.concat([PNG_SIGNATURE, pngIhdr(100000, 10000, { colorType: 0 }), pngChunk('IDAT', zerosZlib(10000 * 100001)), pngChunk('IEND')]), 'reject');
  add('PNG bomb: 12000×9000 RGBA (108 MP, over the 100 MP area), IDAT inflating to 432 MB', Buffer.concat([PNG_SIGNATURE, pngIhdr(12000, 9000, { colorType: 6 }), pngChunk('IDAT', zerosZlib(9000 * (1 + 12000 * 4))), pngChunk('IEND')]), 'reject');
  add('PNG claiming 12001×1 (one pixel over the longest side)', Buffer.concat([PNG_SIGNATURE, pngIhdr(12001, 1, { colorType: 0 }), pngChunk('IDAT', zerosZlib(12002)), pngChunk('IEND')]), 'reject');
  add('PNG claiming 0×0', Buffer.concat([PNG_SIGNATURE, pngIhdr(0, 0), tinyIdat, pngChunk('IEND')]), 'reject');
  add('PNG claiming 2^31-1 × 2^31-1', Buffer.concat([PNG_SIGNATURE, pngIhdr(0x7fffffff, 0x7fffffff), tinyIdat, pngChunk('IEND')]), 'reject');
  // Within every limit (100 MP) but interlaced: Adam7 cannot be decoded row by row, so a decoder
  // holds the whole 10000×10000×8-byte raster — 800 MB from a 780 kB file. Valid, so it may be
  // accepted; the RSS budget is what it tests. Run last.
  add('PNG 10000×10000 16-bit RGBA interlaced (100 MP, within limits), 780 kB of zeros', pngOfZeros(10000, 10000, { colorType: 6, bitDepth: 16, interlace: 1 }), 'bounded', { clientTimeoutMs: 30000, timeLimitMs: 10000, last: 2 });
  // 3.9 MB on the wire: the upload limit holds, the work it causes must be bounded too. Run
  // last (heavy: a server that inflates it all keeps a worker busy for seconds).
  add('PNG 1×1 whose IDAT inflates to 4 GB (3.9 MB file, data past the image)', Buffer.concat([PNG_SIGNATURE, pngIhdr(1, 1, { colorType: 0 }), pngChunk('IDAT', zerosZlib(4e9)), pngChunk('IEND')]), 'bounded', { clientTimeoutMs: 30000, last: 3 });
  {
    const good = smallPng(16, 12);
    add('PNG truncated inside IDAT', cut(good, 0.6), 'reject');
    add('PNG truncated inside IHDR', good.subarray(0, 20), 'reject');
    add('PNG signature only', PNG_SIGNATURE, 'reject');
    const badCrc = Buffer.from(good);
    badCrc[29] ^= 0xff; // the IHDR CRC
    add('PNG with a wrong IHDR CRC', badCrc, 'reject');
    const hugeChunk = Buffer.concat([PNG_SIGNATURE, pngIhdr(16, 12), Buffer.from([0x7f, 0xff, 0xff, 0xff]), Buffer.from('IDAT'), Buffer.alloc(64)]);
    add('PNG with an IDAT length of 2^31-1 (2 GB) and 64 bytes of data', hugeChunk, 'reject');
    const ztxt = pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), zerosZlib(9e9)]));
    add('PNG 16×12 with a zTXt chunk inflating to 9 GB', makePng(16, 12, { extraChunks: [ztxt] }), 'bounded', { clientTimeoutMs: 20000 });
    const iccp = pngChunk('iCCP', Buffer.concat([Buffer.from('icc\0\0', 'latin1'), zerosZlib(512 << 20)]));
    add('PNG 16×12 with an iCCP profile inflating to 512 MB', makePng(16, 12, { extraChunks: [iccp] }), 'bounded');
  }

  // --- JPEG
  add('JPEG header claiming 65535×65535 (the JPEG maximum; 100k does not fit in SOF)', jpegClaiming(65535, 65535), 'reject');
  add('JPEG header claiming 12000×8334 (100.008 MP)', jpegClaiming(12000, 8334), 'reject');
  add('JPEG header claiming 0×0', jpegClaiming(0, 0), 'reject');
  add('JPEG progressive claiming 65535×65535', jpegClaiming(65535, 65535, JPEG_PROGRESSIVE), 'reject');
  add('JPEG progressive 4000×4000 with 5,000 empty scans (scan bomb)', jpegScanBomb(4000, 4000, 5000), 'reject');
  add('JPEG truncated at half', cut(JPEG, 0.5), 'reject');
  // Complete markers (SOF … EOI) but the entropy-coded data covers 16×16 of a 12000×8000 frame:
  // truncated data that libjpeg reports only as a warning ("premature end of data segment").
  add('JPEG baseline 12000×8000 whose scan covers 16×16 (613 bytes)', jpegClaiming(12000, 8000), 'reject', { clientTimeoutMs: 30000, last: 1 });
  add('JPEG progressive 12000×8000 whose scans cover 16×16 (501 bytes)', jpegClaiming(12000, 8000, JPEG_PROGRESSIVE), 'reject', { clientTimeoutMs: 30000, last: 1 });
  add('JPEG SOI only', Buffer.from([0xff, 0xd8, 0xff]), 'reject');
  add('JPEG with headers and no scan (SOI, tables, SOF, EOI)', Buffer.concat([JPEG.subarray(0, JPEG.indexOf(Buffer.from([0xff, 0xda]))), Buffer.from([0xff, 0xd9])]), 'reject');

  // --- GIF
  add('GIF with 10,000 frames (1000×1000 screen: 10,000 MP summed)', gif({ w: 1000, h: 1000, frames: 10000 }), 'reject');
  add('GIF with 60 frames of 1000×1000 (60 MP summed, over 50 MP)', gif({ w: 1000, h: 1000, frames: 60 }), 'reject');
  add('GIF with 10,000 frames of 100×100 (100 MP summed)', gif({ w: 100, h: 100, frames: 10000 }), 'reject');
  // libnsgif reads a screen far larger than its frames as the frames' size (1×1 here): it may be
  // accepted as what it decodes to, as long as what is delivered is that, not the claim.
  add('GIF screen claiming 65535×65535 around a 1×1 frame', gif({ w: 65535, h: 65535 }), 'bounded');
  add('GIF frame descriptor 65535×65535 in a 16×16 screen', gif({ frameW: 65535, frameH: 65535 }), 'reject');
  add('GIF truncated inside the image data', cut(gif({ w: 16, h: 16 }), 0.85), 'reject');
  // Structurally complete (sub-block terminator, trailer) but its LZW data ends after 1 pixel of
  // a 12000×8000 frame: 42 bytes that decode to a 96 MP raster. Heavy if decoded: run last.
  add('GIF 12000×8000 frame whose LZW data covers 1 pixel (42 bytes)', gif({ w: 12000, h: 8000, frameW: 12000, frameH: 8000 }), 'reject', { clientTimeoutMs: 30000, timeLimitMs: 2000, last: 1 });
  add('GIF without trailer after a frame header', gif({ trailer: false }).subarray(0, 6 + 7 + 6 + 8 + 10), 'reject');

  // --- WebP, AVIF, HEIC
  {
    const big = Buffer.from(WEBP);
    // VP8X canvas width-1 / height-1 (24-bit LE) at 24 and 27.
    big.writeUIntLE(16383 - 1, 24, 3);
    big.writeUIntLE(16383 - 1, 27, 3);
    add('WebP VP8X canvas claiming 16383×16383', big, 'reject');
    add('WebP truncated at half', cut(WEBP, 0.5), 'reject');
    add('WebP RIFF header only', WEBP.subarray(0, 16), 'reject');
  }
  const ftyp = (brand) => Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from(`ftyp${brand}`, 'latin1'), Buffer.alloc(4), Buffer.from(`mif1${brand}miaf`, 'latin1')]);
  add('AVIF: ftyp box only', ftyp('avif'), 'reject');
  add('HEIC: ftyp box and 4 kB of garbage', Buffer.concat([ftyp('heic'), Buffer.alloc(4096, 0x41)]), 'reject');

  // --- SVG
  const laughs = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;"><!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;"><!ENTITY j "&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;">]>${svgDoc('<text x="0" y="10">&j;</text>')}`;
  add('SVG billion laughs (10^9 entity expansions)', laughs, 'svg');
  add('SVG external entity file:///etc/passwd', `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svgDoc('<text>&x;</text>')}`, 'svg');
  add('SVG external entity over http to the decoy', `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "${D}/xxe">]>${svgDoc('<text>&x;</text>')}`, 'svg');
  add('SVG parameter entity to the decoy (out-of-band XXE)', `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY % p SYSTEM "${D}/dtd"> %p;]>${svgDoc('<rect width="1" height="1"/>')}`, 'svg');
  add('SVG with <script>', svgDoc(`<script>alert('${MARK}')</script><rect width="10" height="10"/>`), 'svg');
  add('SVG with a CDATA <script> in a foreign-prefixed element', svgDoc(`<svg:script xmlns:svg="http://www.w3.org/2000/svg"><![CDATA[alert('${MARK}')]]></svg:script>`), 'svg');
  add('SVG with on*= handlers (onload, onclick, onmouseover)', svgDoc(`<rect width="10" height="10" onclick="alert('${MARK}')" onmouseover="alert(2)"/>`, ` onload="alert('${MARK}')"`), 'svg');
  add('SVG with foreignObject + HTML iframe', svgDoc(`<foreignObject width="100" height="100"><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert('${MARK}')"></iframe></foreignObject>`), 'svg');
  add('SVG <image> with a remote href (decoy)', svgDoc(`<image href="${D}/remote.png" width="10" height="10"/><image xlink:href="${D}/remote2.png" width="10" height="10"/>`), 'svg');
  add('SVG <image> with a file: href', svgDoc('<image href="file:///etc/passwd" width="10" height="10"/>'), 'svg');
  add('SVG <use> of a remote document', svgDoc(`<use href="${D}/sprite.svg#a"/>`), 'svg');
  add('SVG <a> with a javascript: href', svgDoc(`<a href="javascript:alert('${MARK}')"><rect width="10" height="10"/></a>`), 'svg');
  add('SVG <animate> rewriting href to javascript:', svgDoc(`<a><animate attributeName="href" values="javascript:alert('${MARK}')"/><rect width="10" height="10"/></a>`), 'svg');
  add('SVG <set> of an onclick attribute', svgDoc(`<rect width="10" height="10"><set attributeName="onclick" to="alert('${MARK}')"/></rect>`), 'svg');
  add('SVG xml-stylesheet PI and CSS url()/@import to the decoy', `<?xml-stylesheet href="${D}/x.css"?>${svgDoc(`<style>@import url(${D}/y.css); rect { fill: url(${D}/z.svg#p) }</style><rect width="10" height="10" style="background:url(${D}/w.png)"/>`)}`, 'svg');
  add('SVG <image> with a data:text/html href', svgDoc(`<image href="data:text/html;base64,${Buffer.from(`<script>alert('${MARK}')</script>`).toString('base64')}" width="1" height="1"/>`), 'svg');
  add('SVG nested 10,000 <g> deep', svgDoc(`${'<g>'.repeat(10000)}${'</g>'.repeat(10000)}`), 'svg');
  add('SVG claiming 100000×100000', '<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="10" height="10"/></svg>', 'svg');
  add('SVG truncated (unclosed elements)', '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g><rect width="1"', 'svg');
  add('SVG with an HTML <script> in the XHTML namespace', svgDoc(`<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert('${MARK}')</html:script>`), 'svg');

  // --- polyglots
  {
    // GIF/JS: "GIF89a/*" opens a JS comment (the screen width bytes are "/*", 10799 px), the
    // trailer is followed by "*/=alert(...)": the file is both a GIF and a script.
    const lsd = Buffer.concat([Buffer.from('/*', 'latin1'), u16le(10), Buffer.from([0x80, 0, 0])]);
    const g = gif({ lsdOverride: lsd });
    add('polyglot GIF+JS (GIF89a/*…*/=alert())', Buffer.concat([g, Buffer.from(`*/=alert('${MARK}');`, 'latin1')]), 'polyglot', { payload: MARK });
    add('polyglot PNG+ZIP (a ZIP appended after IEND)', Buffer.concat([smallPng(16, 12), zip('evil.html', `<script>alert('${MARK}')</script>`)]), 'polyglot', { payload: MARK });
    add('polyglot JPEG+HTML (HTML after EOI)', Buffer.concat([JPEG, Buffer.from(`<html><script>alert('${MARK}')</script></html>`, 'latin1')]), 'polyglot', { payload: MARK });
    const text = pngChunk('tEXt', Buffer.from(`Comment\0<html><script>alert('${MARK}')</script></html>`, 'latin1'));
    add('polyglot PNG with HTML in a tEXt chunk', makePng(16, 12, { extraChunks: [text] }), 'polyglot', { payload: MARK });
  }

  // --- formats we refuse (415 / 5455), several of which only untrusted libvips loaders read
  const bmp = Buffer.concat([Buffer.from('BM', 'latin1'), u32le(70), u32le(0), u32le(54), u32le(40), u32le(2), u32le(2), u16le(1), u16le(24), u32le(0), u32le(16), u32le(2835), u32le(2835), u32le(0), u32le(0), Buffer.alloc(16)]);
  add('BMP 2×2 (magickload only)', bmp, 'reject', { want415: true });
  add('TIFF little-endian header', Buffer.concat([Buffer.from('II*\0', 'latin1'), u32le(8), Buffer.alloc(128)]), 'reject', { want415: true });
  add('TIFF big-endian header', Buffer.concat([Buffer.from('MM\0*', 'latin1'), Buffer.from([0, 0, 0, 8]), Buffer.alloc(128)]), 'reject', { want415: true });
  add('PSD header (magickload only)', Buffer.concat([Buffer.from('8BPS', 'latin1'), u16be(1), Buffer.alloc(6), u16be(3), Buffer.from([0, 0, 0, 16, 0, 0, 0, 16]), u16be(8), u16be(3), Buffer.alloc(64)]), 'reject', { want415: true });
  add('ICO header', Buffer.concat([Buffer.from([0, 0, 1, 0, 1, 0, 16, 16, 0, 0, 1, 0, 32, 0]), u32le(40), u32le(22), Buffer.alloc(40)]), 'reject', { want415: true });
  add('PDF document', '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'reject', { want415: true });
  add('PNM (P6) 10000×10000 header', 'P6\n10000 10000\n255\n' + '\0'.repeat(300), 'reject', { want415: true });
  add('FITS header (fitsload, untrusted)', `SIMPLE  =                    T${' '.repeat(50)}BITPIX  =                    8${' '.repeat(50)}NAXIS   =                    0${' '.repeat(50)}END${' '.repeat(77)}`, 'reject', { want415: true });
  add('JPEG XL codestream', Buffer.concat([Buffer.from([0xff, 0x0a, 0xfa, 0x1f]), Buffer.alloc(64)]), 'reject', { want415: true });
  add('plain text', 'hello, this is not an image\n', 'reject', { want415: true });
  add('HTML page', `<!DOCTYPE html><html><body><script>alert('${MARK}')</script></body></html>`, 'reject', { want415: true });
  add('XML that is not SVG', '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', 'reject', { want415: true });
  add('empty file (0 bytes)', Buffer.alloc(0), 'reject');

  // --- limits: metadata, size
  add('valid PNG with metadata of 1,100 bytes', smallPng(8, 8), 'reject', { fields: [['metadata', JSON.stringify({ k: 'x'.repeat(1090) })]] });
  add('valid PNG with metadata nested 10,000 deep', smallPng(8, 8), 'reject', { fields: [['metadata', '{"a":'.repeat(10000) + '1' + '}'.repeat(10000)]] });
  {
    const MB10 = 10 * 1024 * 1024;
    const over = Buffer.alloc(MB10 + 1, 0x5a);
    PNG_SIGNATURE.copy(over, 0);
    pngIhdr(1000, 1000).copy(over, 8);
    add('PNG-headed file of 10 MiB + 1 byte', over, 'reject', { want413: true, timeLimitMs: 4000 });
    const svgBig = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><!--${'x'.repeat(11 * 1024 * 1024)}--></svg>`);
    add('SVG of 11 MiB', svgBig, 'reject', { want413: true, timeLimitMs: 4000 });
  }
  // Heavy files last, in their `last` order, so their work does not slow the others down.
  return [...files.filter((f) => !f.last), ...files.filter((f) => f.last).sort((a, b) => a.last - b.last)];
}

// Waits (bounded) until the process stops using CPU: utime+stime from /proc/<pid>/stat grow by
// less than 3 ticks in 500 ms. Returns the ms waited, or null when it stayed busy.
async function waitIdle(pid, maxMs) {
  const ticks = () => {
    try {
      const f = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return Number(rest[11]) + Number(rest[12]);
    } catch {
      return null;
    }
  };
  const t0 = Date.now();
  let prev = ticks();
  while (Date.now() - t0 < maxMs) {
    await new Promise((r) => setTimeout(r, 500));
    const now = ticks();
    if (now === null || prev === null) return null;
    if (now - prev < 3) return Date.now() - t0;
    prev = now;
  }
  return null;
}

// ------------------------------------------------------------------------------ checks

// Width and height an encoded PNG/GIF/JPEG/WebP declares, or null.
function imageDims(b) {
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return [b.readUInt32BE(16), b.readUInt32BE(20)];
  if (b.length >= 10 && /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1'))) return [b.readUInt16LE(6), b.readUInt16LE(8)];
  if (b.length >= 30 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') {
    const c = b.subarray(12, 16).toString('latin1');
    if (c === 'VP8X') return [b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1];
    if (c === 'VP8 ') return [b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff];
    if (c === 'VP8L') {
      const v = b.readUInt32LE(21);
      return [(v & 0x3fff) + 1, ((v >> 14) & 0x3fff) + 1];
    }
    return null;
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    for (let i = 2; i + 9 < b.length; ) {
      if (b[i] !== 0xff) return null;
      const m = b[i + 1];
      if (m === 0xd8 || (m >= 0xd0 && m <= 0xd7) || m === 0x01) {
        i += 2;
        continue;
      }
      if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return null;
}

const NS_OK = ['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/XML/1998/namespace'];

// What is wrong with a served SVG (sanitiser output), or [] when nothing is.
function svgProblems(body, headers) {
  const p = [];
  if (!/^image\/svg\+xml/i.test(headers['content-type'] || '')) p.push(`Content-Type ${headers['content-type']}`);
  if ((headers['x-content-type-options'] || '').toLowerCase() !== 'nosniff') p.push('no X-Content-Type-Options: nosniff');
  const csp = headers['content-security-policy'] || '';
  if (!/default-src 'none'|script-src 'none'/.test(csp)) p.push(`no restrictive Content-Security-Policy (got ${JSON.stringify(csp)})`);
  let b = body;
  for (const ns of NS_OK) b = b.split(ns).join('');
  const bad = [
    [/<\s*([a-z0-9_-]+:)?script/i, '<script>'],
    [/\son[a-z]+\s*=/i, 'an on*= handler'],
    [/foreignObject/i, 'foreignObject'],
    [/javascript:/i, 'javascript:'],
    [/file:/i, 'file:'],
    [/https?:\/\//i, 'a remote URL'],
    [/<!DOCTYPE|<!ENTITY/i, 'a DOCTYPE/ENTITY'],
    [/<\?xml-stylesheet/i, 'xml-stylesheet'],
    [/@import/i, '@import'],
    [/data:text\/html/i, 'data:text/html'],
    [/<iframe|<html:/i, 'HTML elements'],
    [/attributeName\s*=\s*["'](on|href|xlink:href)/i, 'an animation of a handler or href'],
  ];
  for (const [re, what] of bad) if (re.test(b)) p.push(`served SVG contains ${what}`);
  return p;
}

runScript('r4_hostile_images', async (t) => {
  // The decoy: hostile SVGs point here; nothing may ever connect.
  const decoyHits = [];
  const decoy = net.createServer((s) => {
    decoyHits.push(Date.now());
    s.destroy();
  });
  await new Promise((r) => decoy.listen(0, '127.0.0.1', r));
  const decoyPort = decoy.address().port;

  const server = await startServer({ env: { VIPS_BLOCK_UNTRUSTED: '1' } });
  const A = server.bootstrap.account_id;
  const HASH = server.bootstrap.account_hash;
  const dl = deliveryOf(server);
  const pid = server.pid;

  let environ = '';
  try {
    environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
  } catch {}
  t.check('server runs with VIPS_BLOCK_UNTRUSTED=1 (libvips untrusted loaders blocked)', environ.split('\0').includes('VIPS_BLOCK_UNTRUSTED=1'), 'not in /proc/<pid>/environ');

  // Baseline: warm the pipeline with one ordinary upload and delivery, then read VmHWM.
  const warm = await request(server.port, 'POST', `/client/v4/accounts/${A}/images/v1`, formOpts(server, [['file', { bytes: smallPng(64, 48), filename: 'warm.png', type: 'image/png' }]]));
  t.check('control: an ordinary PNG uploads (200)', warm.status === 200 && warm.json?.success, () => describe('POST images/v1 warm.png', warm));
  if (warm.json?.result?.id) {
    const d = await request(dl.port, 'GET', `/${HASH}/${warm.json.result.id}/public`);
    t.check('control: an ordinary PNG is delivered (200 image/*)', d.status === 200 && /^image\//.test(d.headers['content-type'] || ''), () => describe('GET delivery warm', d));
  }
  const base = memoryOf(pid);
  t.measure('baseline_hwm_kb', base?.hwmKb);

  const t0 = Date.now();
  const files = corpus(decoyPort);
  t.measure('corpus_generation_ms', Date.now() - t0);
  t.measure('files', files.length);
  t.check('R4 corpus has at least 40 hostile files', files.length >= 40, `only ${files.length}`);

  const results = [];
  let fivexx = 0;
  let peakKb = base?.hwmKb ?? 0;
  for (const f of files) {
    const fields = [['file', { bytes: f.bytes, filename: 'hostile.bin', type: 'application/octet-stream' }], ...(f.fields || [])];
    const startRssKb = memoryOf(pid)?.rssKb ?? 0;
    if (!resetPeakMemory(pid)) t.skip('per-file peak RSS', 'clear_refs not writable: peaks are cumulative');
    const started = Date.now();
    const r = await request(server.port, 'POST', `/client/v4/accounts/${A}/images/v1`, { ...formOpts(server, fields), timeoutMs: f.clientTimeoutMs ?? 10000 }).catch((e) => ({ status: undefined, body: String(e), headers: {} }));
    const ms = Date.now() - started;
    // Per file: the peak since just before it (VmHWM reset), against the RSS it started from.
    const mem = memoryOf(pid);
    if (mem?.hwmKb) peakKb = Math.max(peakKb, mem.hwmKb);
    const limit = f.timeLimitMs ?? 2000;
    const problems = [];
    if (r.status === undefined) problems.push(`no answer: ${clip(r.body, 300)}`);
    if (r.status >= 500) {
      fivexx++;
      problems.push(`5xx: ${r.status}`);
    }
    if (ms > limit) problems.push(`answered after ${ms} ms (limit ${limit} ms)`);
    const env = r.json ? envelopeProblem(r.json) : r.status !== undefined ? 'body is not JSON' : null;
    if (env) problems.push(`not a Cloudflare envelope: ${env}`);
    const accepted = r.status === 200 && r.json?.success === true;
    if (r.status !== undefined && !accepted && !(r.status >= 400 && r.status < 500)) problems.push(`neither 200 nor 4xx: ${r.status}`);
    if (accepted && f.expect === 'reject') problems.push('accepted (200), expected a 4xx refusal');
    if (f.want415 && r.status !== 415) problems.push(`expected 415 / 5455 (unsupported type), got ${r.status}/${r.json?.errors?.[0]?.code}`);
    if (f.want413 && r.status !== 413) problems.push(`expected 413 (file too large), got ${r.status}/${r.json?.errors?.[0]?.code}`);
    if (!server.alive()) problems.push('the server process died');

    let delivered = null;
    // Whatever was accepted is deliverable by anyone who knows its URL: deliver it too.
    if (accepted) {
      const id = r.json.result.id;
      delivered = [];
      for (const [port, target] of [
        [dl.port, `/${HASH}/${encodeURIComponent(id)}/public`],
        [server.port, `/cdn-cgi/imagedelivery/${HASH}/${encodeURIComponent(id)}/public`],
      ]) {
        const ds = Date.now();
        const d = await request(port, 'GET', target, { headers: [['Accept', 'text/html,image/svg+xml,*/*']], timeoutMs: 5000 }).catch((e) => ({ status: undefined, body: String(e), headers: {} }));
        const dms = Date.now() - ds;
        delivered.push({ target, status: d.status, ms: dms });
        const where = port === dl.port ? 'delivery listener' : 'API /cdn-cgi';
        if (d.status === undefined) problems.push(`${where}: no answer`);
        else if (d.status >= 500) problems.push(`${where}: 5xx ${d.status} ${clip(d.body, 200)}`);
        else if (d.status === 200) {
          if (f.expect === 'svg') {
            for (const p of svgProblems(d.body, d.headers)) problems.push(`${where}: ${p}`);
          } else {
            if (!/^image\//.test(d.headers['content-type'] || '') || /svg/.test(d.headers['content-type'] || '')) problems.push(`${where}: Content-Type ${d.headers['content-type']}`);
            if ((d.headers['x-content-type-options'] || '').toLowerCase() !== 'nosniff') problems.push(`${where}: no nosniff`);
            if (f.payload && Buffer.from(d.raw ?? '').includes(f.payload)) problems.push(`${where}: the payload ${f.payload} is served back inside the "image"`);
            const raw = Buffer.from(d.raw ?? '');
            const bodyBytes = raw.subarray(raw.indexOf('\r\n\r\n') + 4);
            const dims = imageDims(bodyBytes);
            if (dims && (dims[0] > 12000 || dims[1] > 12000 || dims[0] * dims[1] > 100e6)) problems.push(`${where}: the served image declares ${dims[0]}×${dims[1]}`);
          }
        } else if (d.status < 400) problems.push(`${where}: unexpected ${d.status}`);
        if (dms > limit) problems.push(`${where}: delivery took ${dms} ms (limit ${limit} ms)`);
      }
      const m2 = memoryOf(pid);
      if (m2?.hwmKb) peakKb = Math.max(peakKb, m2.hwmKb);
    }
    const raisedKb = (memoryOf(pid)?.hwmKb ?? 0) - startRssKb;
    results.push({ name: f.name, bytes: f.bytes.length, status: r.status, code: r.json?.errors?.[0]?.code, ms, delivered: delivered?.map((d) => d.status), raisedKb });
    t.check(`R4 ${f.name} [${f.expect}]`, problems.length === 0, () => `${problems.join('; ')}\nfile: ${f.bytes.length} bytes, starts ${clip(f.bytes.subarray(0, 48), 100)}\nresponse (${ms} ms): ${r.status} ${clip(r.body, 500)}${delivered ? `\ndelivery: ${JSON.stringify(delivered)}` : ''}`);
  }
  console.log(`R4: ${files.length} hostile files uploaded`);
  for (const x of results) console.log(`   ${String(x.status).padEnd(4)} ${String(x.code ?? '').padEnd(5)} ${String(x.ms).padStart(5)} ms ${x.delivered ? `delivered ${x.delivered.join('/')} ` : ''}${x.name}`);
  // Let work the client gave up on finish before the end-of-run checks (bounded).
  t.measure('idle_wait_ms', await waitIdle(pid, 45000));
  t.measure('responses_5xx', fivexx);
  t.measure('accepted', results.filter((x) => x.status === 200).map((x) => x.name));
  t.measure('peak_hwm_kb', peakKb);
  t.measure('max_upload_ms', Math.max(...results.map((x) => x.ms)));

  t.check('R4: 0 × 5xx over the corpus', fivexx === 0, `${fivexx} responses were 5xx`);
  const grownMb = base?.hwmKb ? (peakKb - base.hwmKb) / 1024 : NaN;
  const raisers = results.filter((x) => x.raisedKb > 20 * 1024).sort((a, b) => b.raisedKb - a.raisedKb).slice(0, 5).map((x) => `+${(x.raisedKb / 1024).toFixed(0)} MB by "${x.name}" (upload${x.delivered ? ' and delivery' : ''})`);
  t.check(`R4: peak RSS (VmHWM) ≤ baseline + 512 MB (grew ${grownMb.toFixed(1)} MB)`, Number.isFinite(grownMb) && grownMb <= 512, `baseline ${base?.hwmKb} kB, peak ${peakKb} kB; the peak rose most with: ${raisers.join('; ') || 'nothing over 20 MB'}`);
  t.check('R4: the decoy saw 0 connections (no entity, href, import or stylesheet was fetched)', decoyHits.length === 0, `${decoyHits.length} connections`);

  // Nothing refused was stored: the image count is the warm-up plus what was accepted.
  const stats = await apiOk(server, 'GET', `/accounts/${A}/images/v1/stats`);
  const acceptedCount = results.filter((x) => x.status === 200).length + 1;
  t.check('R4: stats count = accepted uploads (refused files left no image behind)', stats.result?.count?.current === acceptedCount, `stats ${JSON.stringify(stats.result)}, accepted ${acceptedCount}`);

  t.check('R4: server healthy at the end', await healthy(server), server.logTail(10));
  t.check('R4: server process still alive with the same PID', server.alive() && server.serverJson.pid === pid, JSON.stringify(server.exitInfo));
  const stopped = await server.stop();
  t.check('R4: server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
  decoy.close();
});

function formOpts(server, fields) {
  const m = multipart(fields);
  return { token: server.token, headers: [['Content-Type', m.contentType]], body: m.body };
}
