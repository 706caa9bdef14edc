// Image delivery, raw HTTP: the delivery listener (`<delivery_base>/<hash>/<id>/<variant>`, the
// imagedelivery.net form) and `/cdn-cgi/imagedelivery/<hash>/<id>/<variant>` on the API port.
// Format negotiation on Accept, caching headers, ETag/304, signed URLs for private images and key
// rotation, flexible variants, delivery errors (text body `ERROR 9xxx` + `cf-resized: err=9xxx`) and
// SVG sanitising. Spec: /work/shared/design/IMAGES.md §A.6-A.12.
//
// Requests go out through node:http (lib/images.mjs rawHttp) so that the Accept header is exactly
// what a test says: global fetch would add `Accept: */*`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cleanup,
  Cloudflare,
  NO_PERMISSION_CODES,
  PG,
  accountRes,
  allow,
  assertFail,
  assertOk,
  createUserToken,
  randHex,
  raw,
  tokenClient,
} from './lib/api.mjs';
import * as I from './lib/images.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const HASH = B.account_hash;
const admin = tokenClient(srv.apiBase, B.api_token);
const imgs = new I.ImagesCleanup(admin, A);
const cleanup = new Cleanup(admin, A);
const acct = { account_id: A };
const CONFIG = `/accounts/${A}/images/v1/config`;
const DEFAULT_CACHE_CONTROL = 'public, max-age=172800, stale-while-revalidate=7200';

const deliveryUrl = (id, variant = 'public') => `${srv.deliveryBase}/${HASH}/${id}/${variant}`;
const cdnPath = (id, variant = 'public') => `/cdn-cgi/imagedelivery/${HASH}/${id}/${variant}`;
const cdnUrl = (id, variant = 'public') => `${srv.origin}${cdnPath(id, variant)}`;
const get = (url, headers = {}) => I.rawHttp(url, { headers });
const AVIF = { Accept: 'image/avif' };
const WEBP = { Accept: 'image/webp' };
const BROWSER = { Accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8' };

async function upload(bytes, params = {}, name = 'photo.png', type = 'image/png') {
  const file = await Cloudflare.toFile(bytes, name, { type });
  return imgs.image(await admin.images.v1.create({ account_id: A, file, ...params }));
}

const patchConfig = (json, token = B.api_token) => raw(srv.apiBase, 'PATCH', CONFIG, { token, json });

const defaultKey = async () => {
  const { keys } = await admin.images.v1.keys.list(acct);
  const d = keys.find((k) => k.name === 'default');
  assert.ok(d, `no default key: ${JSON.stringify(keys)}`);
  return d.value;
};

const varyHasAccept = (res) =>
  String(res.headers.vary || '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes('accept');

const maxAge = (res) => {
  const m = /(?:^|,)\s*max-age=(\d+)/.exec(res.headers['cache-control'] || '');
  return m ? Number(m[1]) : undefined;
};

let pub; // 300x200, left red / right blue, public
before(async () => {
  pub = await upload(I.halvesPng(300, 200));
});
after(async () => {
  await patchConfig({ flexible_variants: false }).catch(() => {});
  await imgs.run();
  await cleanup.run();
});

test('signUrl reproduces the worked example of IMAGES.md §A.7 (with and without exp)', () => {
  const base = 'https://imagedelivery.net/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile';
  const key = 'Oix0bbNaT8Rge9PuyxUBrjI6zrgnsyJ5=';
  assert.equal(
    I.signUrl(base, key, 1631289275),
    `${base}?exp=1631289275&sig=72411885ee02134d38662f3e70ac8ff694f408e9d14b05125f6b022c3f403efa`,
  );
  assert.equal(I.signUrl(base, key), `${base}?sig=f650d16a54309cc5560ccf74ba805cd33c92ba5edaa7f09abeebfaf7e3f5895e`);
});

describe('format negotiation and caching headers', () => {
  test('Accept: image/avif gets AVIF at the original size', async () => {
    const res = await get(deliveryUrl(pub.id), AVIF);
    I.assertDelivered(res, { format: 'avif', width: 300, height: 200 });
  });

  test('Accept: image/webp gets WebP', async () => {
    const res = await get(deliveryUrl(pub.id), WEBP);
    I.assertDelivered(res, { format: 'webp', width: 300, height: 200 });
  });

  test("a browser's Accept (avif and webp) gets AVIF", async () => {
    I.assertDelivered(await get(deliveryUrl(pub.id), BROWSER), { format: 'avif', width: 300, height: 200 });
  });

  test('no Accept gets the original format (PNG) with the right pixels', async () => {
    const res = await get(deliveryUrl(pub.id));
    I.assertDelivered(res, { format: 'png', width: 300, height: 200 });
    const px = I.decodePng(res.body);
    assert.ok(I.near(px.pixel(20, 100), I.RED), `left ${px.pixel(20, 100)}`);
    assert.ok(I.near(px.pixel(280, 100), I.BLUE), `right ${px.pixel(280, 100)}`);
  });

  test('Vary: Accept and the 2-day Cache-Control on every negotiated answer', async () => {
    for (const h of [AVIF, WEBP, {}]) {
      const res = await get(deliveryUrl(pub.id), h);
      assert.equal(res.status, 200);
      assert.ok(varyHasAccept(res), `Vary must name Accept (${JSON.stringify(h)}): ${JSON.stringify(res.headers)}`);
      assert.equal(res.headers['cache-control'], DEFAULT_CACHE_CONTROL, JSON.stringify(h));
    }
  });

  test('ETag: If-None-Match with it is 304 with no body; another tag is 200; representations differ', async () => {
    const png = await get(deliveryUrl(pub.id));
    const etag = png.headers.etag;
    assert.ok(etag && /^(W\/)?"[^"]+"$/.test(etag), `ETag: ${etag}`);
    const again = await get(deliveryUrl(pub.id));
    assert.equal(again.headers.etag, etag, 'the ETag must be stable');
    const notModified = await get(deliveryUrl(pub.id), { 'If-None-Match': etag });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.body.length, 0);
    const other = await get(deliveryUrl(pub.id), { 'If-None-Match': '"not-this-one"' });
    assert.equal(other.status, 200);
    assert.ok(other.body.equals(png.body), 'same request, same bytes');
    const avif = await get(deliveryUrl(pub.id), AVIF);
    assert.ok(avif.headers.etag, 'AVIF answer has an ETag');
    assert.notEqual(avif.headers.etag, etag, 'AVIF and PNG representations must not share an ETag');
    const avif304 = await get(deliveryUrl(pub.id), { ...AVIF, 'If-None-Match': avif.headers.etag });
    assert.equal(avif304.status, 304);
  });

  test('/cdn-cgi/imagedelivery on the API port serves the same image', async () => {
    I.assertDelivered(await get(cdnUrl(pub.id)), { format: 'png', width: 300, height: 200 });
    const avif = await get(cdnUrl(pub.id), AVIF);
    I.assertDelivered(avif, { format: 'avif', width: 300, height: 200 });
    assert.ok(varyHasAccept(avif));
    assert.equal(avif.headers['cache-control'], DEFAULT_CACHE_CONTROL);
  });

  test('AVIF is capped at 1,200 px on the longest side: a 1,300-px image falls back to WebP', async () => {
    const wide = await upload(I.halvesPng(1300, 100));
    const res = await get(deliveryUrl(wide.id), { Accept: 'image/avif,image/webp' });
    I.assertDelivered(res, { format: 'webp', width: 1300, height: 100 });
  });

  test('browser_ttl: the account setting and a variant option set max-age; out of range is 400', async () => {
    try {
      assertOk(await patchConfig({ browser_ttl: 3600 }));
      const a = await get(deliveryUrl(pub.id));
      assert.equal(a.headers['cache-control'], 'public, max-age=3600, stale-while-revalidate=7200');
      const name = imgs.variant(`ttl${randHex(8)}`);
      await admin.images.v1.variants.create({
        account_id: A,
        id: name,
        options: { fit: 'scale-down', width: 100, height: 100, metadata: 'none', browser_ttl: 7200 },
      });
      const v = await get(deliveryUrl(pub.id, name));
      assert.equal(v.status, 200);
      assert.equal(v.headers['cache-control'], 'public, max-age=7200, stale-while-revalidate=7200');
      assert.equal((await patchConfig({ browser_ttl: 60 })).status, 400);
      assert.equal((await patchConfig({ browser_ttl: 31536001 })).status, 400);
    } finally {
      assertOk(await patchConfig({ browser_ttl: 172800 }));
    }
    assert.equal((await get(deliveryUrl(pub.id))).headers['cache-control'], DEFAULT_CACHE_CONTROL);
  });
});

describe('private images and signed URLs', () => {
  let priv; // 240x160, requireSignedURLs
  let key;
  before(async () => {
    priv = await upload(I.halvesPng(240, 160), { requireSignedURLs: true });
    assert.equal(priv.requireSignedURLs, true);
    key = await defaultKey();
  });
  const exp = (delta = 3600) => I.nowSeconds() + delta;

  test('unsigned: 403, body "ERROR 9425…", cf-resized: err=9425 (both listeners)', async () => {
    I.assertDeliveryError(await get(deliveryUrl(priv.id)), 403, 9425);
    I.assertDeliveryError(await get(cdnUrl(priv.id)), 403, 9425);
    I.assertDeliveryError(await get(deliveryUrl(priv.id), AVIF), 403, 9425);
  });

  test('signed with the default key: 200, cached no longer than exp', async () => {
    const e = exp(3600);
    const res = await get(I.signUrl(deliveryUrl(priv.id), key, e));
    I.assertDelivered(res, { format: 'png', width: 240, height: 160 });
    const age = maxAge(res);
    assert.ok(age === undefined || age <= 3600 + 5, `a private image is cached according to exp: ${res.headers['cache-control']}`);
    assert.ok(!/max-age=172800/.test(res.headers['cache-control'] || ''), res.headers['cache-control']);
    I.assertDelivered(await get(I.signUrl(deliveryUrl(priv.id), key, e), AVIF), { format: 'avif', width: 240, height: 160 });
  });

  test('a signature over the path only (no exp) is accepted', async () => {
    I.assertDelivered(await get(I.signUrl(deliveryUrl(priv.id), key)), { width: 240, height: 160 });
  });

  test('signed on /cdn-cgi/imagedelivery (signature over the path without the prefix): 200', async () => {
    const e = exp();
    const sig = I.hmacHex(key, `/${HASH}/${priv.id}/public?exp=${e}`);
    const res = await get(`${srv.origin}${cdnPath(priv.id)}?exp=${e}&sig=${sig}`);
    I.assertDelivered(res, { width: 240, height: 160 });
  });

  test('expired exp, tampered sig, another image or variant, an unknown key: 403 9425', async () => {
    I.assertDeliveryError(await get(I.signUrl(deliveryUrl(priv.id), key, exp(-60))), 403, 9425);
    const good = I.signUrl(deliveryUrl(priv.id), key, exp());
    const tampered = good.replace(/sig=([0-9a-f])/, (m, c) => `sig=${c === '0' ? '1' : '0'}`);
    assert.notEqual(tampered, good);
    I.assertDeliveryError(await get(tampered), 403, 9425);
    // The exp is part of what is signed: moving it invalidates the signature.
    I.assertDeliveryError(await get(good.replace(/exp=(\d+)/, (m, n) => `exp=${Number(n) + 1000}`)), 403, 9425);
    const other = await upload(I.solidPng(10, 10), { requireSignedURLs: true });
    const sigOf = new URL(good).searchParams.get('sig');
    const expOf = new URL(good).searchParams.get('exp');
    I.assertDeliveryError(await get(`${deliveryUrl(other.id)}?exp=${expOf}&sig=${sigOf}`), 403, 9425);
    I.assertDeliveryError(await get(I.signUrl(deliveryUrl(priv.id), crypto.randomBytes(24).toString('base64url'), exp())), 403, 9425);
    I.assertDeliveryError(await get(`${deliveryUrl(priv.id)}?exp=${exp()}`), 403, 9425);
  });

  test('key rotation: a second key signs too, the default keeps working; a deleted key stops', async () => {
    const name = imgs.key(`rot${randHex(6)}`);
    const { keys } = await admin.images.v1.keys.update(name, acct);
    const second = keys.find((k) => k.name === name).value;
    assert.notEqual(second, key);
    const e = exp();
    const bySecond = I.signUrl(deliveryUrl(priv.id), second, e);
    I.assertDelivered(await get(bySecond), { width: 240, height: 160 });
    I.assertDelivered(await get(I.signUrl(deliveryUrl(priv.id), key, e)), { width: 240, height: 160 });
    await admin.images.v1.keys.delete(name, acct);
    I.assertDeliveryError(await get(bySecond), 403, 9425);
    I.assertDelivered(await get(I.signUrl(deliveryUrl(priv.id), key, exp())), { width: 240, height: 160 });
  });

  test('a variant with neverRequireSignedURLs serves the private image unsigned', async () => {
    const name = imgs.variant(`open${randHex(8)}`);
    const created = await admin.images.v1.variants.create({
      account_id: A,
      id: name,
      options: { fit: 'scale-down', width: 80, height: 80, metadata: 'none' },
      neverRequireSignedURLs: true,
    });
    assert.equal(created.variant.neverRequireSignedURLs, true);
    const s = I.assertDelivered(await get(deliveryUrl(priv.id, name)), { format: 'png', width: 80 });
    assert.ok(s.height === 53 || s.height === 54, `80 wide keeps 3:2: got ${s.width}x${s.height}`);
    I.assertDeliveryError(await get(deliveryUrl(priv.id)), 403, 9425);
  });

  test('flipping requireSignedURLs takes effect at once (cached copies purged)', async () => {
    const img = await upload(I.solidPng(30, 30, I.GREEN));
    I.assertDelivered(await get(deliveryUrl(img.id)), { width: 30, height: 30 });
    await admin.images.v1.edit(img.id, { account_id: A, requireSignedURLs: true });
    I.assertDeliveryError(await get(deliveryUrl(img.id)), 403, 9425);
    I.assertDelivered(await get(I.signUrl(deliveryUrl(img.id), key, exp())), { width: 30, height: 30 });
    await admin.images.v1.edit(img.id, { account_id: A, requireSignedURLs: false });
    I.assertDelivered(await get(deliveryUrl(img.id)), { width: 30, height: 30 });
  });

  test('a deleted image is gone from delivery at once', async () => {
    const img = await upload(I.solidPng(12, 12));
    I.assertDelivered(await get(deliveryUrl(img.id)), { width: 12, height: 12 });
    await admin.images.v1.delete(img.id, acct);
    assert.equal((await get(deliveryUrl(img.id))).status, 404);
    assert.equal((await get(cdnUrl(img.id))).status, 404);
  });
});

describe('flexible variants', () => {
  before(async () => {
    assertOk(await patchConfig({ flexible_variants: false }));
  });

  test('w=50 before enabling: 403 ERROR 9429', async () => {
    I.assertDeliveryError(await get(deliveryUrl(pub.id, 'w=50')), 403, 9429);
    I.assertDeliveryError(await get(cdnUrl(pub.id, 'w=50')), 403, 9429);
  });

  test('enable with PATCH /images/v1/config {"flexible_variants":true}; w=50,h=40,fit=cover is 50x40', async () => {
    const result = assertOk(await patchConfig({ flexible_variants: true }));
    assert.equal(result.flexible_variants, true, JSON.stringify(result));
    const res = await get(deliveryUrl(pub.id, 'w=50,h=40,fit=cover'));
    I.assertDelivered(res, { format: 'png', width: 50, height: 40 });
    I.assertDelivered(await get(cdnUrl(pub.id, 'w=50,h=40,fit=cover'), AVIF), { format: 'avif', width: 50, height: 40 });
  });

  test('w=50 alone keeps the aspect ratio; width/height long names; explicit format beats Accept', async () => {
    const s = I.assertDelivered(await get(deliveryUrl(pub.id, 'w=50')), { width: 50 });
    assert.ok(s.height === 33 || s.height === 34, `50 wide keeps 3:2: ${s.width}x${s.height}`);
    I.assertDelivered(await get(deliveryUrl(pub.id, 'width=60,height=60,fit=cover')), { width: 60, height: 60 });
    I.assertDelivered(await get(deliveryUrl(pub.id, 'w=40,format=webp'), AVIF), { format: 'webp', width: 40 });
    // scale-down (the default fit) never enlarges.
    I.assertDelivered(await get(deliveryUrl(pub.id, 'w=600')), { width: 300, height: 200 });
  });

  test('an unknown option or a bad value: 400 ERROR 9401', async () => {
    I.assertDeliveryError(await get(deliveryUrl(pub.id, 'w=50,bogus=1')), 400, 9401);
    I.assertDeliveryError(await get(deliveryUrl(pub.id, 'w=abc')), 400, 9401);
    I.assertDeliveryError(await get(deliveryUrl(pub.id, 'fit=stretchy,w=10')), 400, 9401);
  });

  test('flexible variants never serve a private image, even signed: 403', async () => {
    const priv = await upload(I.solidPng(20, 20), { requireSignedURLs: true });
    const key = await defaultKey();
    assert.equal((await get(deliveryUrl(priv.id, 'w=10'))).status, 403);
    assert.equal((await get(I.signUrl(deliveryUrl(priv.id, 'w=10'), key, I.nowSeconds() + 600))).status, 403);
  });

  test('unknown image: 404; unknown named variant: 404', async () => {
    assert.equal((await get(deliveryUrl(crypto.randomUUID()))).status, 404);
    assert.equal((await get(deliveryUrl(crypto.randomUUID(), 'w=50'))).status, 404);
    assert.equal((await get(cdnUrl(crypto.randomUUID()))).status, 404);
    assert.equal((await get(deliveryUrl(pub.id, `nosuch${randHex(6)}`))).status, 404);
  });

  test('unknown account hash: 403 ERROR 9427', async () => {
    let other = I.randomHash();
    while (other === HASH) other = I.randomHash();
    I.assertDeliveryError(await get(`${srv.deliveryBase}/${other}/${pub.id}/public`), 403, 9427);
    I.assertDeliveryError(await get(`${srv.origin}/cdn-cgi/imagedelivery/${other}/${pub.id}/public`), 403, 9427);
  });
});

describe('SVG', () => {
  const SVG = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="80" viewBox="0 0 120 80" onload="alert('onload')">
  <script type="text/javascript">alert('xss')</script>
  <rect x="0" y="0" width="60" height="80" fill="#dc1414"/>
  <a xlink:href="javascript:alert('link')"><rect x="60" y="0" width="60" height="80" fill="#1414dc" onclick="alert('click')"/></a>
</svg>
`;
  let svg;
  before(async () => {
    svg = await upload(Buffer.from(SVG), {}, 'logo.svg', 'image/svg+xml');
  });

  const assertSanitised = (res, what) => {
    assert.equal(res.status, 200, `${what}: ${res.text.slice(0, 200)}`);
    assert.equal((res.headers['content-type'] || '').split(';')[0].trim(), 'image/svg+xml', what);
    assert.equal(I.sniffImage(res.body).format, 'svg', what);
    const body = res.text;
    assert.ok(!/<script/i.test(body), `${what}: <script> survived: ${body}`);
    assert.ok(!/alert\(/.test(body), `${what}: script text survived: ${body}`);
    assert.ok(!/\bon(load|click)\s*=/i.test(body), `${what}: an event handler survived: ${body}`);
    assert.ok(!/javascript:/i.test(body), `${what}: a javascript: link survived: ${body}`);
    assert.ok(/<rect/.test(body), `${what}: the drawing is gone: ${body}`);
    assert.ok(res.headers['content-security-policy'], `${what}: Content-Security-Policy missing`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', what);
  };

  test('the upload is accepted', () => {
    assert.match(svg.id, I.UUID);
    assert.equal(svg.filename, 'logo.svg');
  });

  test('delivered as image/svg+xml, sanitised, with Content-Security-Policy and nosniff', async () => {
    assertSanitised(await get(deliveryUrl(svg.id)), 'delivery');
    assertSanitised(await get(cdnUrl(svg.id)), '/cdn-cgi');
  });

  test('never converted or resized: Accept image/avif and flexible options still get the SVG', async () => {
    assertSanitised(await get(deliveryUrl(svg.id), AVIF), 'Accept avif');
    assertSanitised(await get(deliveryUrl(svg.id), BROWSER), 'browser Accept');
    assertOk(await patchConfig({ flexible_variants: true }));
    assertSanitised(await get(deliveryUrl(svg.id, 'w=50,h=50,fit=cover')), 'flexible');
  });
});

describe('config endpoint', () => {
  test('unknown fields and bad types: 400; Images Read cannot change it, Images Write can', async () => {
    assertFail(await patchConfig({ flexible_variants: 'yes' }), 400);
    assertFail(await patchConfig({ no_such_setting: true }), 400);
    const ro = await createUserToken(admin, cleanup, { policies: [allow([PG.IMAGES_READ], { [accountRes(A)]: '*' })] });
    assertFail(await patchConfig({ flexible_variants: false }, ro.value), 403, NO_PERMISSION_CODES);
    const rw = await createUserToken(admin, cleanup, { policies: [allow([PG.IMAGES_WRITE], { [accountRes(A)]: '*' })] });
    assertOk(await patchConfig({ flexible_variants: false }, rw.value));
    I.assertDeliveryError(await get(deliveryUrl(pub.id, 'w=50')), 403, 9429);
  });
});
