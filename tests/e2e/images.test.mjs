// Cloudflare Images API through the official SDK (client.images.v1.*, v1.variants/keys/stats/blobs,
// v2.list, v2.directUploads) and the seeds' curl lines: uploads (file, url, the multipart quirks of
// the SDK), custom IDs, limits, get/edit/delete/blob, stats, v1 and v2 lists with continuation
// tokens and metadata filters, named variants, signing keys, direct creator uploads, permissions.
//
// Behaviour follows /work/shared/design/IMAGES.md §A, API-SURFACE.md §4.9 and SDK-NOTES.md. Every
// image, variant and key made here is removed in after(). Delivery details (format negotiation,
// signed URLs, flexible variants, SVG) are in images_delivery.test.mjs.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { liveSharedServer, sharedFetch } from './lib/server.mjs';
import {
  Cleanup,
  Cloudflare,
  NO_PERMISSION_CODES,
  PG,
  accountRes,
  allow,
  assertFail,
  assertJsonEnvelope,
  assertOk,
  createUserToken,
  deny,
  expectApiError,
  randHex,
  raw,
  rfc3339,
  tokenClient,
} from './lib/api.mjs';
import * as I from './lib/images.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const HASH = B.account_hash;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, A);
const imgs = new I.ImagesCleanup(admin, A);
const acct = { account_id: A };
const IMG = `/accounts/${A}/images`;
let origin; // a local HTTP server for `url` uploads

before(async () => {
  origin = await I.startOrigin();
});
after(async () => {
  await imgs.run();
  await cleanup.run();
  await origin?.close();
});

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const deliveryBase = () => srv.deliveryBase;
const variantUrl = (id, variant = 'public') => `${deliveryBase()}/${HASH}/${id}/${variant}`;
const toFile = (bytes, name = 'photo.png', type = 'image/png') => Cloudflare.toFile(bytes, name, { type });

// Uploads through the SDK and registers the image for clean-up.
async function upload({ bytes = I.halvesPng(64, 48), name = 'photo.png', type = 'image/png', client = admin, ...params } = {}) {
  const img = await client.images.v1.create({ account_id: A, file: await toFile(bytes, name, type), ...params });
  imgs.image(img);
  return img;
}

// Raw multipart POST to /images/v1. fields: [[name, value]], value a string or {bytes, name, type}.
async function postForm(fields, { token = B.api_token, headers = {}, path = `${IMG}/v1` } = {}) {
  const form = new FormData();
  for (const [k, v] of fields) {
    if (v && typeof v === 'object' && 'bytes' in v) form.append(k, new Blob([v.bytes], { type: v.type ?? '' }), v.name);
    else form.append(k, v);
  }
  const res = await raw(srv.apiBase, 'POST', path, { token, headers, body: form });
  if (res.body && res.body.success && res.body.result && res.body.result.id) imgs.image(res.body.result);
  return res;
}

// Everything the v2 list yields for a query, following continuation_token to the end.
async function listV2All(params = {}, client = admin) {
  const out = [];
  const pages = [];
  let token;
  for (let i = 0; i < 500; i++) {
    const r = await client.images.v2.list({ account_id: A, ...params, ...(token ? { continuation_token: token } : {}) });
    assert.ok(Array.isArray(r.images), `v2 list result.images: ${JSON.stringify(r).slice(0, 300)}`);
    pages.push(r.images.length);
    out.push(...r.images);
    token = r.continuation_token;
    assert.ok(token === null || token === undefined || typeof token === 'string', `continuation_token: ${token}`);
    if (!token) return { images: out, pages };
  }
  assert.fail('v2 continuation loop did not end after 500 pages');
}

// The Image object as IMAGES.md §A.1 and the seeds describe it.
function assertImageShape(img, { id, filename, requireSignedURLs = false } = {}) {
  const desc = JSON.stringify(img);
  assert.equal(typeof img.id, 'string', desc);
  if (id !== undefined) assert.equal(img.id, id, desc);
  else assert.match(img.id, I.UUID, `generated ids are UUIDs: ${desc}`);
  if (filename !== undefined) assert.equal(img.filename, filename, desc);
  assert.match(img.uploaded, I.UPLOADED, `uploaded is RFC 3339 with milliseconds and Z: ${desc}`);
  assert.ok(Math.abs(Date.parse(img.uploaded) - Date.now()) < 10 * 60_000, `uploaded is now-ish: ${desc}`);
  assert.equal(img.requireSignedURLs, requireSignedURLs, desc);
  assert.ok(Array.isArray(img.variants), `variants[]: ${desc}`);
  assert.ok(img.variants.includes(variantUrl(img.id)), `variants[] must hold ${variantUrl(img.id)}: ${desc}`);
  const re = new RegExp(`^${esc(deliveryBase())}/${esc(HASH)}/${esc(img.id)}/[A-Za-z0-9]+$`);
  for (const v of img.variants) assert.match(v, re, `every variant is a full delivery URL: ${desc}`);
  assert.ok(!('draft' in img), `draft is present only while true: ${desc}`);
  return img;
}

async function blobBytes(id, client = admin) {
  const res = await client.images.v1.blobs.get(id, acct);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /^image\//, 'blob Content-Type');
  return Buffer.from(await res.arrayBuffer());
}

// GET a delivery URL with global fetch and read the body.
async function fetchBytes(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('bootstrap.json carries the account hash (22 characters of base64url)', () => {
  assert.match(HASH, I.ACCOUNT_HASH);
  assert.ok(deliveryBase(), 'server.json must name delivery_base_url');
});

describe('upload with file', () => {
  test('SDK upload with Cloudflare.toFile: the documented Image, and the public URL serves it', async () => {
    const bytes = I.halvesPng(64, 48);
    const img = await upload({ bytes, name: 'photo.png' });
    assertImageShape(img, { filename: 'photo.png' });
    const res = await fetchBytes(variantUrl(img.id));
    assert.equal(res.status, 200, res.body.toString('utf8').slice(0, 200));
    assert.match(res.headers.get('content-type') || '', /^image\//);
    I.assertImage(res.body, { width: 64, height: 48 }, 'public variant');
  });

  test('SDK upload with a global File', async () => {
    const bytes = I.topBottomPng(40, 30);
    const img = imgs.image(
      await admin.images.v1.create({ account_id: A, file: new File([bytes], 'file-object.png', { type: 'image/png' }) }),
    );
    assertImageShape(img, { filename: 'file-object.png' });
    assert.ok((await blobBytes(img.id)).equals(bytes));
  });

  // curl -X POST "https://api.cloudflare.com/client/v4/accounts/<ACCOUNT_ID>/images/v1" \
  //   -H "Authorization: Bearer <API_TOKEN>" \
  //   -F file=@./<YOUR_IMAGE.IMG>
  // curl names the part after the file and, for an extension it does not know (.IMG), sends
  // application/octet-stream: the server must sniff the bytes.
  test('seed 000 curl line, verbatim: the documented response', async () => {
    const bytes = I.halvesPng(50, 20);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'application/octet-stream' }), 'YOUR_IMAGE.IMG');
    const res = await sharedFetch(`${srv.apiBase}/accounts/${A}/images/v1`, {
      method: 'POST',
      headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', Authorization: `Bearer ${B.api_token}` },
      body: form,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.match(res.headers.get('content-type') || '', /application\/json/);
    const body = JSON.parse(text);
    if (body.result && body.result.id) imgs.image(body.result);
    assert.equal(body.success, true, text);
    assert.deepEqual(body.errors, []);
    assert.deepEqual(body.messages, []);
    for (const k of ['id', 'filename', 'uploaded', 'requireSignedURLs', 'variants']) assert.ok(k in body.result, `${k}: ${text}`);
    assertImageShape(body.result, { filename: 'YOUR_IMAGE.IMG' });
    assert.ok((await blobBytes(body.result.id)).equals(bytes));
  });

  // Both seeds (and IMAGES.md §A.0) show the upload answer with `"result_info": null`.
  test('the upload envelope carries result_info: null, as the seeds document', async () => {
    const form = new FormData();
    form.append('file', new Blob([I.solidPng(6, 6)], { type: 'image/png' }), 'envelope.png');
    const res = await raw(srv.apiBase, 'POST', `${IMG}/v1`, { token: B.api_token, body: form });
    const result = assertOk(res);
    imgs.image(result);
    assert.ok('result_info' in res.body && res.body.result_info === null, `documented "result_info": null: ${res.text}`);
  });

  // curl -X POST -F file=@./YOUR_IMAGE.png -H "Authorization: Bearer <Your_API_Token" \
  //   https://api.cloudflare.com/client/v4/accounts/2f3dc21d188ba781322b520bbde5fb5a/images/v1
  test('seed 001 curl line, verbatim (image/png part)', async () => {
    const bytes = I.gradientPng(33, 17);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'YOUR_IMAGE.png');
    const res = await sharedFetch(`${srv.apiBase}/accounts/${A}/images/v1`, {
      method: 'POST',
      headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', Authorization: `Bearer ${B.api_token}` },
      body: form,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const body = JSON.parse(text);
    if (body.result && body.result.id) imgs.image(body.result);
    assert.equal(body.success, true, text);
    assertImageShape(body.result, { filename: 'YOUR_IMAGE.png' });
    const pub = await fetchBytes(variantUrl(body.result.id));
    assert.equal(pub.status, 200);
    I.assertImage(pub.body, { width: 33, height: 17 });
  });

  test('file and url together: 400 5400', async () => {
    origin.set('/both.png', { body: I.solidPng(10, 10), type: 'image/png' });
    await expectApiError(
      admin.images.v1.create({ account_id: A, file: await toFile(I.solidPng(10, 10)), url: origin.url('/both.png') }),
      400,
      5400,
    );
  });

  test('neither file nor url: 400', async () => {
    await expectApiError(admin.images.v1.create({ account_id: A, metadata: JSON.stringify({ a: 'b' }) }), 400);
    const res = await postForm([['creator', 'nobody']]);
    assertFail(res, 400);
  });

  test('a text file: 415 5455, also when the part claims image/png', async () => {
    const text = Buffer.from('hello, this is not an image\n');
    const e1 = await expectApiError(
      admin.images.v1.create({ account_id: A, file: await toFile(text, 'notes.txt', 'text/plain') }),
      415,
      5455,
    );
    assert.match(e1.errors[0].message, /image\/jpeg, image\/png, image\/webp, image\/gif or image\/svg\+xml/);
    await expectApiError(admin.images.v1.create({ account_id: A, file: await toFile(text, 'fake.png', 'image/png') }), 415, 5455);
  });

  test('a truncated PNG: 400 9422', async () => {
    const full = I.gradientPng(300, 300);
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    const err = await expectApiError(admin.images.v1.create({ account_id: A, file: await toFile(cut, 'cut.png') }), 400, 9422);
    assert.match(err.errors[0].message, /decod/i);
  });

  test('a file just under 10 MiB is accepted', async () => {
    const bytes = I.noisePng(2048, 1700); // 10,446,xxx bytes
    assert.ok(bytes.length < 10 * 1024 * 1024);
    const img = await upload({ bytes, name: 'almost.png' });
    assert.ok((await blobBytes(img.id)).equals(bytes));
    await admin.images.v1.delete(img.id, acct);
  });

  test('a file just over 10 MiB: 413 (7011 Request entity is too large)', async () => {
    const big = I.noisePng(2048, 1715); // 10,5xx,xxx bytes
    assert.ok(big.length > 10 * 1024 * 1024 && big.length < 10.2 * 1024 * 1024);
    await expectApiError(admin.images.v1.create({ account_id: A, file: await toFile(big, 'big.png') }), 413, 7011);
  });

  test('a file of 12 MB: 413 (7011 Request entity is too large), answered to the SDK', async () => {
    const big = I.noisePng(2200, 1800); // about 11.9 MB
    assert.ok(big.length > 11 * 1024 * 1024);
    await expectApiError(admin.images.v1.create({ account_id: A, file: await toFile(big, 'big.png') }), 413, 7011);
  });

  test('an image wider than 12,000 px: 400', async () => {
    const wide = I.solidPng(12_001, 1);
    await expectApiError(admin.images.v1.create({ account_id: A, file: await toFile(wide, 'wide.png') }), 400);
  });
});

describe('upload with url', () => {
  test('url upload from a local origin: the original is kept byte-exact', async () => {
    const bytes = I.gradientPng(120, 80);
    origin.set('/pic.png', { body: bytes, type: 'image/png' });
    const before = origin.hits.length;
    const img = imgs.image(await admin.images.v1.create({ account_id: A, url: origin.url('/pic.png') }));
    assertImageShape(img);
    assert.ok(origin.hits.slice(before).some((h) => h.url === '/pic.png'), 'the server did not fetch the url');
    assert.ok((await blobBytes(img.id)).equals(bytes), 'blob differs from the fetched bytes');
    const pub = await fetchBytes(variantUrl(img.id));
    I.assertImage(pub.body, { width: 120, height: 80 });
  });

  test('url upload follows a redirect', async () => {
    const bytes = I.halvesPng(20, 10);
    origin.set('/target.png', { body: bytes, type: 'image/png' });
    origin.set('/redirect', { redirect: '/target.png', status: 302 });
    const img = imgs.image(await admin.images.v1.create({ account_id: A, url: origin.url('/redirect') }));
    assert.ok((await blobBytes(img.id)).equals(bytes));
  });

  test('url that answers 404: 4xx 5454', async () => {
    await expectApiError(admin.images.v1.create({ account_id: A, url: origin.url('/missing.png') }), '4xx', 5454);
  });

  test('url that serves text: 415 5455', async () => {
    origin.set('/page.html', { body: '<html><body>hi</body></html>', type: 'text/html' });
    await expectApiError(admin.images.v1.create({ account_id: A, url: origin.url('/page.html') }), 415, 5455);
  });

  test('a redirect loop ends in a 4xx', async () => {
    origin.set('/loop', { redirect: '/loop' });
    await expectApiError(admin.images.v1.create({ account_id: A, url: origin.url('/loop') }), '4xx');
  });

  test('private, link-local and non-http targets outside the allow list are refused', async () => {
    for (const url of [
      'http://10.255.255.1/x.png',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/x.png',
      'file:///etc/passwd',
      'ftp://127.0.0.1/x.png',
    ]) {
      await expectApiError(admin.images.v1.create({ account_id: A, url }), '4xx').catch((e) => {
        throw new Error(`${url}: ${e.message}`);
      });
    }
  });

  test('a redirect from an allowed origin to a link-local address is refused', async () => {
    origin.set('/to-metadata', { redirect: 'http://169.254.169.254/latest/meta-data/' });
    await expectApiError(admin.images.v1.create({ account_id: A, url: origin.url('/to-metadata') }), '4xx');
  });
});

describe('metadata', () => {
  test('metadata as a JSON string comes back as meta', async () => {
    const meta = { owner: 'e2e', n: 3, nested: { ok: true, list: [1, 'two'] } };
    const img = await upload({ metadata: JSON.stringify(meta) });
    assert.deepEqual(img.meta, meta);
    assert.deepEqual((await admin.images.v1.get(img.id, acct)).meta, meta);
  });

  test("metadata as an object (the SDK sends metadata[key] parts) comes back as meta", async () => {
    const meta = { owner: 'e2e', tags: { color: 'red', size: 'small' } };
    const img = await upload({ metadata: meta });
    assert.deepEqual(img.meta, meta);
    assert.deepEqual((await admin.images.v1.get(img.id, acct)).meta, meta);
  });

  test('metadata of 1008 bytes is accepted; over 1024 bytes or not a JSON object: 400', async () => {
    const ok = await upload({ metadata: JSON.stringify({ k: 'x'.repeat(1000) }) });
    assert.equal(ok.meta.k.length, 1000);
    const stats = (await admin.images.v1.stats.get(acct)).count.current;
    await expectApiError(upload({ metadata: JSON.stringify({ k: 'x'.repeat(1100) }) }), 400);
    await expectApiError(upload({ metadata: { k: 'y'.repeat(1100) } }), 400);
    await expectApiError(upload({ metadata: 'not json' }), 400);
    await expectApiError(upload({ metadata: '[1,2,3]' }), 400);
    assert.equal((await admin.images.v1.stats.get(acct)).count.current, stats, 'a refused upload was stored');
  });

  test('creator is stored and returned', async () => {
    const creator = `e2e-creator-${randHex(6)}`;
    const img = await upload({ creator });
    assert.equal(img.creator, creator);
    assert.equal((await admin.images.v1.get(img.id, acct)).creator, creator);
  });
});

describe('custom ids', () => {
  test('a custom id with slashes: get by encoded id, blob, delivery with the raw path, delete', async () => {
    const id = `e2e-${randHex(8)}/b/c.png`;
    const bytes = I.halvesPng(30, 20);
    const img = await upload({ bytes, id });
    assertImageShape(img, { id });
    const got = await admin.images.v1.get(id, acct); // the SDK sends a%2Fb%2Fc.png
    assert.equal(got.id, id);
    const viaRaw = assertOk(await raw(srv.apiBase, 'GET', `${IMG}/v1/${encodeURIComponent(id)}`, { token: B.api_token }));
    assert.equal(viaRaw.id, id);
    assert.ok((await blobBytes(id)).equals(bytes));
    const pub = await fetchBytes(`${deliveryBase()}/${HASH}/${id}/public`);
    assert.equal(pub.status, 200);
    I.assertImage(pub.body, { width: 30, height: 20 });
    await admin.images.v1.delete(id, acct);
    await expectApiError(admin.images.v1.get(id, acct), 404, 5404);
  });

  test('a custom id that is a UUID: 400 5411', async () => {
    const err = await expectApiError(upload({ id: crypto.randomUUID() }), 400, 5411);
    assert.match(err.errors[0].message, /Custom ID is invalid/);
  });

  test('custom id rules: leading or trailing slash, non-image extension, over 1024 characters: 400 5411', async () => {
    const base = `e2e-${randHex(8)}`;
    for (const id of [`/${base}`, `${base}/`, `${base}/notes.txt`, `${base}-${'x'.repeat(1024)}`]) {
      await expectApiError(upload({ id }), 400, 5411).catch((e) => {
        throw new Error(`id ${JSON.stringify(id.slice(0, 40))}: ${e.message}`);
      });
    }
  });

  test('custom id with requireSignedURLs true: 400, nothing stored', async () => {
    const id = `e2e-${randHex(8)}/private.png`;
    await expectApiError(upload({ id, requireSignedURLs: true }), 400);
    await expectApiError(admin.images.v1.get(id, acct), 404, 5404);
  });

  test('making a custom-id image private through edit: 400, still public', async () => {
    const id = `e2e-${randHex(8)}`;
    await upload({ id });
    await expectApiError(admin.images.v1.edit(id, { account_id: A, requireSignedURLs: true }), 400);
    assert.equal((await admin.images.v1.get(id, acct)).requireSignedURLs, false);
  });

  test('a duplicate custom id: 400 (not 409), the first image untouched', async () => {
    const id = `e2e-${randHex(8)}/dup.png`;
    const first = I.solidPng(12, 12, I.RED);
    await upload({ id, bytes: first });
    await expectApiError(upload({ id, bytes: I.solidPng(14, 14, I.GREEN) }), 400);
    assert.ok((await blobBytes(id)).equals(first));
  });
});

describe('get, edit, delete, blob, stats', () => {
  test('get returns what upload returned', async () => {
    const img = await upload({ metadata: JSON.stringify({ k: 'v' }) });
    const got = await admin.images.v1.get(img.id, acct);
    for (const k of ['id', 'filename', 'uploaded', 'requireSignedURLs', 'variants', 'meta']) {
      assert.deepEqual(got[k], img[k], k);
    }
  });

  test('edit: metadata replaces (never merges), omitted fields stay, creator, requireSignedURLs', async () => {
    const img = await upload({ metadata: JSON.stringify({ a: '1', b: '2' }) });
    const e1 = await admin.images.v1.edit(img.id, { account_id: A, metadata: { c: 3 } });
    assert.equal(e1.id, img.id);
    assert.deepEqual(e1.meta, { c: 3 });
    assert.deepEqual((await admin.images.v1.get(img.id, acct)).meta, { c: 3 });
    const e2 = await admin.images.v1.edit(img.id, { account_id: A, creator: 'alice' });
    assert.equal(e2.creator, 'alice');
    assert.deepEqual(e2.meta, { c: 3 }, 'omitted metadata must stay');
    const e3 = await admin.images.v1.edit(img.id, { account_id: A, requireSignedURLs: true });
    assert.equal(e3.requireSignedURLs, true);
    assert.equal(e3.creator, 'alice');
    assert.equal((await admin.images.v1.get(img.id, acct)).requireSignedURLs, true);
    const e4 = await admin.images.v1.edit(img.id, { account_id: A, requireSignedURLs: false });
    assert.equal(e4.requireSignedURLs, false);
    assert.equal(e4.uploaded, img.uploaded);
    assert.equal(e4.filename, img.filename);
  });

  test('edit validation: metadata not an object or over 1024 bytes, bad requireSignedURLs: 400', async () => {
    const img = await upload({ metadata: JSON.stringify({ keep: 'me' }) });
    await expectApiError(admin.images.v1.edit(img.id, { account_id: A, metadata: 'text' }), 400);
    await expectApiError(admin.images.v1.edit(img.id, { account_id: A, metadata: { k: 'x'.repeat(1100) } }), 400);
    await expectApiError(admin.images.v1.edit(img.id, { account_id: A, requireSignedURLs: 'yes' }), 400);
    assert.deepEqual((await admin.images.v1.get(img.id, acct)).meta, { keep: 'me' }, 'a refused edit changed the image');
  });

  test('delete: {} with 200, then get/delete/blob 404 5404 and delivery 404', async () => {
    const img = await upload();
    const res = await raw(srv.apiBase, 'DELETE', `${IMG}/v1/${img.id}`, { token: B.api_token });
    assert.deepEqual(assertOk(res), {});
    await expectApiError(admin.images.v1.get(img.id, acct), 404, 5404);
    await expectApiError(admin.images.v1.delete(img.id, acct), 404, 5404);
    await expectApiError(admin.images.v1.blobs.get(img.id, acct), 404, 5404);
    const pub = await fetchBytes(variantUrl(img.id));
    assert.equal(pub.status, 404);
  });

  test('SDK delete returns {}', async () => {
    const img = await upload();
    assert.deepEqual(await admin.images.v1.delete(img.id, acct), {});
  });

  test('unknown image id: get, edit, delete, blob 404 5404', async () => {
    const id = crypto.randomUUID();
    const e = await expectApiError(admin.images.v1.get(id, acct), 404, 5404);
    assert.equal(e.errors[0].message, 'Image not found');
    await expectApiError(admin.images.v1.edit(id, { account_id: A, metadata: { a: 1 } }), 404, 5404);
    await expectApiError(admin.images.v1.delete(id, acct), 404, 5404);
    await expectApiError(admin.images.v1.blobs.get(id, acct), 404, 5404);
  });

  test('blob (SDK raw Response) is byte-exact with an image Content-Type', async () => {
    const bytes = I.gradientPng(77, 55);
    const img = await upload({ bytes });
    const res = await admin.images.v1.blobs.get(img.id, acct);
    assert.ok(res instanceof Response, 'blobs.get returns the fetch Response');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^image\/png\b/);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.length, bytes.length);
    assert.ok(body.equals(bytes), 'blob is not the uploaded file');
  });

  test('stats: {count: {allowed, current}} counts uploads and deletes', async () => {
    const s0 = await admin.images.v1.stats.get(acct);
    assert.equal(typeof s0.count.allowed, 'number');
    assert.equal(typeof s0.count.current, 'number');
    assert.ok(s0.count.allowed >= s0.count.current, JSON.stringify(s0));
    const a = await upload();
    const b = await upload();
    assert.equal((await admin.images.v1.stats.get(acct)).count.current, s0.count.current + 2);
    await admin.images.v1.delete(a.id, acct);
    assert.equal((await admin.images.v1.stats.get(acct)).count.current, s0.count.current + 1);
    await admin.images.v1.delete(b.id, acct);
    const s3 = await admin.images.v1.stats.get(acct);
    assert.equal(s3.count.current, s0.count.current);
    assert.equal(s3.count.allowed, s0.count.allowed);
  });
});

describe('lists', () => {
  const creator = `e2e-list-${randHex(8)}`;
  const ordered = []; // ids in upload order
  const metaOf = new Map();
  let noCreator;

  before(async () => {
    for (let i = 0; i < 25; i++) {
      const meta = { status: i % 3 === 0 ? 'active' : 'archived', priority: i, group: `g${i % 2}` };
      const img = await upload({ bytes: I.solidPng(8, 8, [i * 10, 255 - i * 10, 100]), creator, metadata: JSON.stringify(meta) });
      ordered.push(img.id);
      metaOf.set(img.id, meta);
    }
    noCreator = await upload({ bytes: I.solidPng(9, 9) });
  });

  const ids = (list) => list.map((x) => x.id);
  const assertUnique = (list) => assert.equal(new Set(ids(list)).size, list.length, `duplicates in ${ids(list)}`);

  test('v1 list: result.images (read it from the page object: the SDK V4PagePagination quirk)', async () => {
    const page = await admin.images.v1.list({ account_id: A, creator, per_page: 100 });
    assert.ok(Array.isArray(page.result.images), JSON.stringify(page.result).slice(0, 300));
    assert.deepEqual(new Set(ids(page.result.images)), new Set(ordered));
    for (const img of page.result.images) {
      assertImageShape(img);
      assert.equal(img.creator, creator);
    }
  });

  test('v1 raw: success envelope, result {images} and no items', async () => {
    const res = await raw(srv.apiBase, 'GET', `${IMG}/v1?per_page=10`, { token: B.api_token });
    const result = assertOk(res);
    assert.ok(Array.isArray(result.images));
    assert.ok(result.images.length <= 10);
    assert.ok(!('items' in result), 'the Cloudflare shape has no items');
  });

  test('v1 list pages with page/per_page; past the last page is an empty success', async () => {
    const seen = [];
    const sizes = [];
    for (let page = 1; page <= 4; page++) {
      const p = await admin.images.v1.list({ account_id: A, creator, page, per_page: 10 });
      sizes.push(p.result.images.length);
      seen.push(...p.result.images);
    }
    assert.deepEqual(sizes, [10, 10, 5, 0]);
    assertUnique(seen);
    assert.deepEqual(new Set(ids(seen)), new Set(ordered));
  });

  test('v1 per_page bounds: 10 and 10000 accepted; 9, 10001 and page 0 are 400', async () => {
    await admin.images.v1.list({ account_id: A, per_page: 10 });
    await admin.images.v1.list({ account_id: A, per_page: 10000 });
    for (const q of ['per_page=9', 'per_page=10001', 'per_page=abc', 'page=0']) {
      assertFail(await raw(srv.apiBase, 'GET', `${IMG}/v1?${q}`, { token: B.api_token }), 400);
    }
  });

  test('v2 continuation_token loop (per_page=10) yields every image exactly once', async () => {
    const { images, pages } = await listV2All({ per_page: 10 });
    assert.ok(pages.every((n) => n <= 10), `page sizes ${pages}`);
    assertUnique(images);
    const all = new Set(ids(images));
    for (const id of ordered) assert.ok(all.has(id), `${id} missing from the v2 walk`);
    assert.ok(all.has(noCreator.id));
    const stats = await admin.images.v1.stats.get(acct);
    assert.equal(images.length, stats.count.current, 'the walk must see every stored image');
  });

  test('v2 with a creator filter: 10 + 10 + 5, then a null token', async () => {
    const { images, pages } = await listV2All({ per_page: 10, creator });
    assert.deepEqual(pages, [10, 10, 5]);
    assertUnique(images);
    assert.deepEqual(new Set(ids(images)), new Set(ordered));
    for (const img of images) assert.deepEqual(img.meta, metaOf.get(img.id));
  });

  test('v2 sort_order: asc is upload order, desc its reverse, default desc', async () => {
    const asc = await admin.images.v2.list({ account_id: A, creator, per_page: 100, sort_order: 'asc' });
    const desc = await admin.images.v2.list({ account_id: A, creator, per_page: 100, sort_order: 'desc' });
    const dflt = await admin.images.v2.list({ account_id: A, creator, per_page: 100 });
    const times = asc.images.map((x) => Date.parse(x.uploaded));
    for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1], 'asc must be by upload time');
    if (new Set(times).size === times.length) {
      assert.deepEqual(ids(asc.images), ordered);
      assert.deepEqual(ids(desc.images), [...ordered].reverse());
    } else {
      const dt = desc.images.map((x) => Date.parse(x.uploaded));
      for (let i = 1; i < dt.length; i++) assert.ok(dt[i] <= dt[i - 1], 'desc must be by upload time');
    }
    assert.deepEqual(ids(dflt.images), ids(desc.images), 'the default sort_order is desc');
  });

  test('v2 creator="" lists only images without a creator', async () => {
    const res = await raw(srv.apiBase, 'GET', `${IMG}/v2?creator=&per_page=10000`, { token: B.api_token });
    const result = assertOk(res);
    const got = new Set(ids(result.images));
    assert.ok(got.has(noCreator.id), 'an image without creator is missing');
    for (const id of ordered) assert.ok(!got.has(id), 'an image with a creator was listed');
    for (const img of result.images) assert.ok(img.creator === null || img.creator === undefined || img.creator === '');
  });

  // The filter grammar `meta.<field>[<op>]=<value>` with `[`, `]` and `|` percent-encoded, as qs
  // (the SDK) and URLSearchParams write them.
  const enc = (filters) => filters.replace(/\[/g, '%5B').replace(/\]/g, '%5D').replace(/\|/g, '%7C');
  const want = (pred) => new Set(ordered.filter((id) => pred(metaOf.get(id))));
  const filtered = async (filters) => {
    const res = await raw(srv.apiBase, 'GET', `${IMG}/v2?per_page=100&creator=${creator}&${filters}`, { token: B.api_token });
    return new Set(ids(assertOk(res).images));
  };

  test('v2 meta filters (brackets percent-encoded): eq, gte, lt:number, in, AND-combined', async () => {
    assert.deepEqual(await filtered(enc('meta.status[eq]=active')), want((m) => m.status === 'active'));
    assert.deepEqual(await filtered(enc('meta.priority[gte]=20')), want((m) => m.priority >= 20));
    assert.deepEqual(await filtered(enc('meta.priority[lt:number]=3')), want((m) => m.priority < 3));
    assert.deepEqual(await filtered(enc('meta.group[in]=g0|nope')), want((m) => m.group === 'g0'));
    assert.deepEqual(
      await filtered(enc('meta.status[eq]=active&meta.priority[gte]=10')),
      want((m) => m.status === 'active' && m.priority >= 10),
    );
    assert.deepEqual(
      await filtered(enc('meta.status[eq]=active&meta.status[eq]=archived')),
      new Set(),
      'contradictions return nothing',
    );
  });

  test("v2 meta filters through the SDK's meta param (sent as meta.status%5Beq%5D=active)", async () => {
    const viaSdk = await admin.images.v2.list({ account_id: A, creator, per_page: 100, meta: { 'status[eq]': 'active' } });
    assert.deepEqual(new Set(ids(viaSdk.images)), want((m) => m.status === 'active'));
  });

  // The docs write the filters with literal brackets; fetch, browsers, Python requests and curl -g
  // send them (and `|`) unencoded.
  test('v2 meta filters written as in the docs, with literal [ ] and |', async () => {
    assert.deepEqual(await filtered('meta.status[eq]=active'), want((m) => m.status === 'active'));
    assert.deepEqual(await filtered('meta.group[in]=g0|nope'), want((m) => m.group === 'g0'));
  });

  test('v2 bad queries: 6 filters, unknown operator (400 5400), per_page, sort_order, continuation_token (400)', async () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((f) => `meta.${f}[eq]=1`).join('&');
    const tooMany = assertFail(await raw(srv.apiBase, 'GET', `${IMG}/v2?${enc(six)}`, { token: B.api_token }), 400, 5400);
    assert.match(tooMany.errors[0].message, /filter/i);
    assertFail(await raw(srv.apiBase, 'GET', `${IMG}/v2?${enc('meta.status[not-eq]=x')}`, { token: B.api_token }), 400, 5400);
    for (const qs of ['per_page=9', 'per_page=10001', 'sort_order=up', 'continuation_token=definitely-not-a-token']) {
      assertFail(await raw(srv.apiBase, 'GET', `${IMG}/v2?${qs}`, { token: B.api_token }), 400);
    }
    // Five filters are allowed.
    const five = ['a', 'b', 'c', 'd', 'e'].map((f) => `meta.${f}[eq]=1`).join('&');
    assertOk(await raw(srv.apiBase, 'GET', `${IMG}/v2?${enc(five)}`, { token: B.api_token }));
  });
});

describe('variants', () => {
  let src;
  before(async () => {
    await admin.images.v1.variants.delete('thumb', acct).catch(() => {});
    src = await upload({ bytes: I.halvesPng(300, 200) });
  });

  test('the list is a map keyed by name and has public', async () => {
    const list = await admin.images.v1.variants.list(acct);
    assert.ok(list.variants && typeof list.variants === 'object' && !Array.isArray(list.variants), JSON.stringify(list));
    const pub = list.variants.public;
    assert.ok(pub, JSON.stringify(list));
    assert.equal(pub.id, 'public');
    assert.equal(typeof pub.options, 'object');
    for (const k of ['fit', 'width', 'height', 'metadata']) assert.ok(k in pub.options, `public.options.${k}`);
  });

  test("create thumb {fit:'cover', width:100, height:100, metadata:'none'}", async () => {
    const res = await admin.images.v1.variants.create({
      account_id: A,
      id: imgs.variant('thumb'),
      options: { fit: 'cover', width: 100, height: 100, metadata: 'none' },
    });
    assert.equal(res.variant.id, 'thumb');
    assert.deepEqual(res.variant.options, { fit: 'cover', width: 100, height: 100, metadata: 'none' });
    assert.equal(res.variant.neverRequireSignedURLs ?? false, false);
  });

  test('get thumb', async () => {
    const res = await admin.images.v1.variants.get('thumb', acct);
    assert.equal(res.variant.id, 'thumb');
    assert.deepEqual(res.variant.options, { fit: 'cover', width: 100, height: 100, metadata: 'none' });
    assert.ok((await admin.images.v1.variants.list(acct)).variants.thumb);
  });

  test("the image's variants[] lists thumb, and /thumb is delivered at 100x100 (cover crop)", async () => {
    const img = await admin.images.v1.get(src.id, acct);
    assert.ok(img.variants.includes(variantUrl(src.id, 'thumb')), JSON.stringify(img.variants));
    const res = await I.rawHttp(variantUrl(src.id, 'thumb')); // no Accept: the original format, PNG
    I.assertDelivered(res, { format: 'png', width: 100, height: 100 });
    const px = I.decodePng(res.body);
    assert.ok(I.near(px.pixel(10, 50), I.RED), `left of the crop ${px.pixel(10, 50)}`);
    assert.ok(I.near(px.pixel(90, 50), I.BLUE), `right of the crop ${px.pixel(90, 50)}`);
    const fresh = await upload();
    assert.ok(fresh.variants.includes(variantUrl(fresh.id, 'thumb')), 'new uploads list thumb too');
  });

  test('edit thumb: options and neverRequireSignedURLs change, and delivery follows', async () => {
    const res = await admin.images.v1.variants.edit('thumb', {
      account_id: A,
      options: { fit: 'scale-down', width: 60, height: 60, metadata: 'none' },
      neverRequireSignedURLs: true,
    });
    assert.equal(res.variant.id, 'thumb');
    assert.deepEqual(res.variant.options, { fit: 'scale-down', width: 60, height: 60, metadata: 'none' });
    assert.equal(res.variant.neverRequireSignedURLs, true);
    const got = await admin.images.v1.variants.get('thumb', acct);
    assert.deepEqual(got.variant.options, res.variant.options);
    assert.equal(got.variant.neverRequireSignedURLs, true);
    I.assertDelivered(await I.rawHttp(variantUrl(src.id, 'thumb')), { format: 'png', width: 60, height: 40 }, 'edited thumb');
  });

  test('variant validation: bad fit, zero width, missing options, bad name: 400; duplicate: 400 (not 409)', async () => {
    const opts = { fit: 'cover', width: 10, height: 10, metadata: 'none' };
    const name = `v${randHex(8)}`;
    imgs.variant(name);
    await expectApiError(admin.images.v1.variants.create({ account_id: A, id: name, options: { ...opts, fit: 'stretch' } }), 400);
    await expectApiError(admin.images.v1.variants.create({ account_id: A, id: name, options: { ...opts, width: 0 } }), 400);
    await expectApiError(admin.images.v1.variants.create({ account_id: A, id: name }), 400);
    await expectApiError(admin.images.v1.variants.create({ account_id: A, id: 'bad name', options: opts }), 400);
    await expectApiError(admin.images.v1.variants.create({ account_id: A, id: 'thumb', options: opts }), 400);
    await expectApiError(admin.images.v1.variants.edit('thumb', { account_id: A, options: { ...opts, fit: 'stretch' } }), 400);
    await expectApiError(admin.images.v1.variants.get(name, acct), 404);
    assert.deepEqual((await admin.images.v1.variants.get('thumb', acct)).variant.options.fit, 'scale-down');
  });

  test('delete thumb: gone from the list and from variants[], /thumb is 404', async () => {
    await admin.images.v1.variants.delete('thumb', acct);
    assert.ok(!('thumb' in (await admin.images.v1.variants.list(acct)).variants));
    await expectApiError(admin.images.v1.variants.get('thumb', acct), 404);
    const img = await admin.images.v1.get(src.id, acct);
    assert.ok(!img.variants.includes(variantUrl(src.id, 'thumb')), JSON.stringify(img.variants));
    const res = await I.rawHttp(variantUrl(src.id, 'thumb'));
    assert.equal(res.status, 404);
  });

  test('unknown variant: get, edit, delete 404', async () => {
    const name = `nope${randHex(8)}`;
    await expectApiError(admin.images.v1.variants.get(name, acct), 404);
    await expectApiError(
      admin.images.v1.variants.edit(name, { account_id: A, options: { fit: 'cover', width: 1, height: 1, metadata: 'none' } }),
      404,
    );
    await expectApiError(admin.images.v1.variants.delete(name, acct), 404);
  });
});

describe('signing keys', () => {
  before(async () => {
    await admin.images.v1.keys.delete('second', acct).catch(() => {});
  });

  test('the list has default', async () => {
    const { keys } = await admin.images.v1.keys.list(acct);
    assert.ok(Array.isArray(keys));
    const d = keys.find((k) => k.name === 'default');
    assert.ok(d, JSON.stringify(keys));
    assert.equal(typeof d.value, 'string');
    assert.ok(d.value.length >= 16, 'a signing key must not be short');
  });

  test("keys.update('second') (PUT with no body) returns both; delete returns the rest", async () => {
    const before = (await admin.images.v1.keys.list(acct)).keys;
    const def = before.find((k) => k.name === 'default');
    const upd = await admin.images.v1.keys.update(imgs.key('second'), acct);
    const names = upd.keys.map((k) => k.name);
    assert.ok(names.includes('default') && names.includes('second'), JSON.stringify(names));
    const second = upd.keys.find((k) => k.name === 'second');
    assert.equal(typeof second.value, 'string');
    assert.ok(second.value.length >= 16);
    assert.notEqual(second.value, def.value);
    assert.equal(upd.keys.find((k) => k.name === 'default').value, def.value, 'adding a key changed default');
    assert.deepEqual(
      (await admin.images.v1.keys.list(acct)).keys.map((k) => k.name).sort(),
      [...names].sort(),
    );
    const del = await admin.images.v1.keys.delete('second', acct);
    assert.ok(!del.keys.some((k) => k.name === 'second'), JSON.stringify(del));
    assert.ok(del.keys.some((k) => k.name === 'default' && k.value === def.value));
    assert.ok(!(await admin.images.v1.keys.list(acct)).keys.some((k) => k.name === 'second'));
  });

  test('raw PUT with Content-Length 0 and no Content-Type works', async () => {
    const name = imgs.key(`k${randHex(8)}`);
    const res = await raw(srv.apiBase, 'PUT', `${IMG}/v1/keys/${name}`, { token: B.api_token, headers: { 'Content-Length': '0' } });
    const result = assertOk(res);
    assert.ok(result.keys.some((k) => k.name === name));
    await admin.images.v1.keys.delete(name, acct);
  });

  test('bad key names (over 20 characters, not alphanumeric): 400; unknown key delete: 4xx', async () => {
    await expectApiError(admin.images.v1.keys.update('k'.repeat(21), acct), 400);
    await expectApiError(admin.images.v1.keys.update('bad key', acct), 400);
    await expectApiError(admin.images.v1.keys.delete(`nokey${randHex(6)}`, acct), '4xx');
  });

  test('deleting the last key makes a fresh default appear', async () => {
    const old = (await admin.images.v1.keys.list(acct)).keys;
    const oldDefault = old.find((k) => k.name === 'default').value;
    const tmp = imgs.key(`tmp${randHex(6)}`);
    await admin.images.v1.keys.update(tmp, acct);
    for (const k of old) await admin.images.v1.keys.delete(k.name, acct);
    const last = await admin.images.v1.keys.delete(tmp, acct);
    assert.equal(last.keys.length, 1, JSON.stringify(last));
    assert.equal(last.keys[0].name, 'default');
    assert.notEqual(last.keys[0].value, oldDefault, 'the fresh default must be a new secret');
    assert.deepEqual((await admin.images.v1.keys.list(acct)).keys, last.keys);
  });
});

describe('direct creator upload', () => {
  const ids = (list) => list.map((x) => x.id);
  const postToUploadUrl = async (uploadURL, bytes, { field = 'file', name = 'dcu.png', type = 'image/png' } = {}) => {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type }), name);
    const res = await fetch(uploadURL, { method: 'POST', body: form, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, text, body, contentType: res.headers.get('content-type') || '', headers: res.headers };
  };

  test('create (multipart with no fields) gives {id, uploadURL}; get shows draft:true; lists and delivery skip it', async () => {
    const du = await admin.images.v2.directUploads.create(acct);
    imgs.image(du);
    assert.match(du.id, I.UUID);
    assert.equal(typeof du.uploadURL, 'string');
    const u = new URL(du.uploadURL);
    assert.match(u.protocol, /^https?:$/);
    assert.ok(u.pathname.endsWith(`/${HASH}/${du.id}`), du.uploadURL);
    const draft = await admin.images.v1.get(du.id, acct);
    assert.equal(draft.id, du.id);
    assert.equal(draft.draft, true);
    const v2 = await listV2All({ per_page: 1000 });
    assert.ok(!ids(v2.images).includes(du.id), 'a draft must not be listed by v2');
    const v1 = await admin.images.v1.list({ account_id: A, per_page: 10000 });
    assert.ok(!ids(v1.result.images).includes(du.id), 'a draft must not be listed by v1');
    assert.equal((await fetchBytes(variantUrl(du.id))).status, 404, 'a draft has nothing to deliver');
  });

  test('POST the file to uploadURL without auth: success; the image is complete; a second POST is 400', async () => {
    const du = imgs.image(await admin.images.v2.directUploads.create(acct));
    const bytes = I.halvesPng(48, 32);
    const res = await postToUploadUrl(du.uploadURL, bytes);
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /application\/json/);
    assert.equal(res.body.success, true, res.text);
    assertImageShape(res.body.result, { id: du.id, filename: 'dcu.png' });
    const img = await admin.images.v1.get(du.id, acct);
    assert.ok(!('draft' in img), JSON.stringify(img));
    assert.ok((await blobBytes(du.id)).equals(bytes));
    const pub = await fetchBytes(variantUrl(du.id));
    I.assertImage(pub.body, { width: 48, height: 32 });
    const v2 = await listV2All({ per_page: 1000 });
    assert.ok(ids(v2.images).includes(du.id), 'the completed upload must be listed');
    const again = await postToUploadUrl(du.uploadURL, I.solidPng(5, 5));
    assert.equal(again.status, 400, again.text);
    assert.ok(again.body && again.body.success === false, again.text);
    assert.ok((await blobBytes(du.id)).equals(bytes), 'the second POST replaced the image');
  });

  test('a refused POST to uploadURL (JSON body, text file) leaves the draft usable', async () => {
    const du = imgs.image(await admin.images.v2.directUploads.create(acct));
    const json = await fetch(du.uploadURL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ file: 'nope' }),
    });
    await json.arrayBuffer();
    assert.ok(json.status >= 400 && json.status < 500, `JSON body: HTTP ${json.status}`);
    const text = await postToUploadUrl(du.uploadURL, Buffer.from('plain text'), { name: 'a.txt', type: 'text/plain' });
    assert.equal(text.status, 415, text.text);
    assert.equal(text.body?.errors?.[0]?.code, 5455, text.text);
    assert.equal((await admin.images.v1.get(du.id, acct)).draft, true);
    const ok = await postToUploadUrl(du.uploadURL, I.solidPng(6, 6));
    assert.equal(ok.status, 200, ok.text);
  });

  test('expiry: under 2 minutes or over 6 hours is 400; 10 minutes is fine', async () => {
    const now = Date.now();
    await expectApiError(admin.images.v2.directUploads.create({ account_id: A, expiry: rfc3339(now + 60_000) }), 400);
    await expectApiError(admin.images.v2.directUploads.create({ account_id: A, expiry: rfc3339(now - 60_000) }), 400);
    await expectApiError(admin.images.v2.directUploads.create({ account_id: A, expiry: rfc3339(now + 7 * 3600_000) }), 400);
    await expectApiError(admin.images.v2.directUploads.create({ account_id: A, expiry: 'tomorrow' }), 400);
    const ok = imgs.image(await admin.images.v2.directUploads.create({ account_id: A, expiry: rfc3339(now + 10 * 60_000) }));
    assert.match(ok.id, I.UUID);
  });

  test('custom id, metadata and creator are kept through the upload; custom id + private is 400', async () => {
    const id = `e2e-dcu-${randHex(8)}/avatar.png`;
    const meta = { user: 'u1', tier: 2 };
    const du = imgs.image(
      await admin.images.v2.directUploads.create({ account_id: A, id, metadata: JSON.stringify(meta), creator: 'u1' }),
    );
    assert.equal(du.id, id);
    assert.ok(decodeURIComponent(new URL(du.uploadURL).pathname).endsWith(`/${HASH}/${id}`), du.uploadURL);
    const res = await postToUploadUrl(du.uploadURL, I.solidPng(7, 7));
    assert.equal(res.status, 200, res.text);
    const img = await admin.images.v1.get(id, acct);
    assert.deepEqual(img.meta, meta);
    assert.equal(img.creator, 'u1');
    await expectApiError(
      admin.images.v2.directUploads.create({ account_id: A, id: `e2e-dcu-${randHex(8)}`, requireSignedURLs: true }),
      400,
    );
  });
});

describe('permissions', () => {
  let fixture;
  let readC;
  let writeC;
  let noneC;
  let deniedC;
  const mk = async (policies) => tokenClient(srv.apiBase, (await createUserToken(admin, cleanup, { policies })).value);

  before(async () => {
    fixture = await upload({ bytes: I.solidPng(16, 16, I.GREEN), metadata: JSON.stringify({ fixture: true }) });
    readC = await mk([allow([PG.IMAGES_READ], { [accountRes(A)]: '*' })]);
    writeC = await mk([allow([PG.IMAGES_WRITE], { [accountRes(A)]: '*' })]);
    noneC = await mk([allow([PG.ACCOUNT_SETTINGS_READ], { [accountRes(A)]: '*' })]);
    deniedC = await mk([
      allow([PG.IMAGES_WRITE, PG.IMAGES_READ], { [accountRes(A)]: '*' }),
      deny([PG.IMAGES_WRITE, PG.IMAGES_READ], { [accountRes(A)]: '*' }),
    ]);
  });

  const denied = (p) => expectApiError(p, 403, NO_PERMISSION_CODES);

  test('Images Read can list, get, read the blob, stats, variants and keys', async () => {
    const v1 = await readC.images.v1.list({ account_id: A, per_page: 10000 });
    assert.ok(v1.result.images.some((x) => x.id === fixture.id));
    const v2 = await listV2All({ per_page: 1000 }, readC);
    assert.ok(v2.images.some((x) => x.id === fixture.id));
    assert.equal((await readC.images.v1.get(fixture.id, acct)).id, fixture.id);
    assert.ok((await blobBytes(fixture.id, readC)).length > 0);
    assert.equal(typeof (await readC.images.v1.stats.get(acct)).count.current, 'number');
    assert.ok((await readC.images.v1.variants.list(acct)).variants.public);
    assert.ok(Array.isArray((await readC.images.v1.keys.list(acct)).keys));
  });

  test('Images Read cannot upload, edit, delete, create variants or keys, or create direct uploads: 403', async () => {
    await denied(readC.images.v1.create({ account_id: A, file: await toFile(I.solidPng(4, 4)) }));
    await denied(readC.images.v1.edit(fixture.id, { account_id: A, metadata: { hacked: true } }));
    await denied(readC.images.v1.delete(fixture.id, acct));
    await denied(
      readC.images.v1.variants.create({
        account_id: A,
        id: `ro${randHex(6)}`,
        options: { fit: 'cover', width: 1, height: 1, metadata: 'none' },
      }),
    );
    await denied(readC.images.v1.keys.update(`ro${randHex(6)}`, acct));
    await denied(readC.images.v2.directUploads.create(acct));
    const still = await admin.images.v1.get(fixture.id, acct);
    assert.deepEqual(still.meta, { fixture: true }, 'a refused edit changed the image');
  });

  test('Images Write can upload, read, edit and delete', async () => {
    const img = await upload({ client: writeC, bytes: I.solidPng(5, 5) });
    assert.equal((await writeC.images.v1.get(img.id, acct)).id, img.id);
    assert.deepEqual((await writeC.images.v1.edit(img.id, { account_id: A, metadata: { w: 1 } })).meta, { w: 1 });
    await writeC.images.v1.delete(img.id, acct);
    await expectApiError(admin.images.v1.get(img.id, acct), 404, 5404);
  });

  test('a token without an Images group: 403 on list, get, stats and upload', async () => {
    await denied(noneC.images.v1.list({ account_id: A }));
    await denied(noneC.images.v2.list(acct));
    await denied(noneC.images.v1.get(fixture.id, acct));
    await denied(noneC.images.v1.stats.get(acct));
    await denied(noneC.images.v1.create({ account_id: A, file: await toFile(I.solidPng(4, 4)) }));
  });

  test('deny on the account beats allow: 403', async () => {
    await denied(deniedC.images.v2.list(acct));
    await denied(deniedC.images.v1.create({ account_id: A, file: await toFile(I.solidPng(4, 4)) }));
  });

  test('another account id: 403/404 for an Images token and for the bootstrap token', async () => {
    const other = randHex(32);
    await expectApiError(writeC.images.v2.list({ account_id: other }), [403, 404]);
    await expectApiError(writeC.images.v1.create({ account_id: other, file: await toFile(I.solidPng(4, 4)) }), [403, 404]);
    await expectApiError(admin.images.v1.stats.get({ account_id: other }), [403, 404]);
    await expectApiError(admin.images.v1.get(fixture.id, { account_id: other }), [403, 404]);
  });

  test('no credentials: a 4xx envelope', async () => {
    const res = await raw(srv.apiBase, 'GET', `${IMG}/v1/stats`);
    assertFail(res, '4xx');
    assertJsonEnvelope(res);
  });
});
