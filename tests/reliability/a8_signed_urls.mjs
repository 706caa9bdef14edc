// A8 — signed image URLs (RELIABILITY.md §7 A8; IMAGES.md §A.7). Over HTTP on the delivery
// listener (server.json delivery_base_url), with a private image (requireSignedURLs=true):
//
//   good signatures (default key, second key, named variants, no-exp path-only form, the
//   /cdn-cgi/imagedelivery form on the API port, HEAD)                         → 200
//   wrong / truncated / over-long / non-hex / empty signature; expired, zero, negative,
//   non-numeric, empty, over-long or missing exp; a signature made for another image, another
//   variant or another account hash; duplicated exp or sig; unsigned extra parameters; reordered
//   signed parameters; empty parameters; encoding variants (percent-encoded path or parameter
//   name, leading '+' or '0' on exp, percent-encoded sig); unsigned access; flexible variants
//                                                                              → 403, body
//   "ERROR 9425…", header Cf-Resized: err=9425
//
// Keys: a second key (PUT …/keys/second) verifies while the default still does; a removed key
// stops verifying (even for a URL that was just served and cached); deleting the last key makes a
// fresh default appear, which verifies while the old value does not. A variant with
// neverRequireSignedURLs serves the private image unsigned. Every signature here is made by an
// independent implementation of the documented algorithm — node:crypto
// HMAC-SHA256(key as UTF-8, "/<hash>/<id>/<variant>?exp=N"), lowercase hex — which is first
// checked against the worked example in IMAGES.md §A.7.

import crypto from 'node:crypto';
import {
  runScript,
  startServer,
  request,
  apiOk,
  describe,
  clip,
  smallPng,
  uploadImage,
  deliveryOf,
  healthy,
} from './lib.mjs';

const hmacHex = (key, msg) => crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(msg, 'utf8').digest('hex');

runScript('a8_signed_urls', async (t) => {
  // The documented worked example (IMAGES.md §A.7) pins our implementation to the algorithm.
  t.check(
    'A8 reference: node:crypto HMAC matches the worked example of IMAGES.md §A.7',
    hmacHex('Oix0bbNaT8Rge9PuyxUBrjI6zrgnsyJ5=', '/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile?exp=1631289275') ===
      '72411885ee02134d38662f3e70ac8ff694f408e9d14b05125f6b022c3f403efa' &&
      hmacHex('Oix0bbNaT8Rge9PuyxUBrjI6zrgnsyJ5=', '/cheeW4oKsx5ljh8e8BoL2A/bc27a117-9509-446b-8c69-c81bfeac0a01/mobile') ===
        'f650d16a54309cc5560ccf74ba805cd33c92ba5edaa7f09abeebfaf7e3f5895e',
    'our HMAC differs from the documented example',
  );

  const server = await startServer();
  const A = server.bootstrap.account_id;
  const HASH = server.bootstrap.account_hash;
  const IMG = `/accounts/${A}/images`;
  const dl = deliveryOf(server);

  // Fixtures: two private images, a second variant, a never-signed variant.
  const up = async (w, fields) => {
    const r = await uploadImage(server, smallPng(w, 20), { fields });
    if (r.status !== 200 || !r.json?.success) throw new Error(`upload: ${r.status} ${clip(r.body, 500)}`);
    return r.json.result;
  };
  const img = await up(24, [['requireSignedURLs', 'true']]);
  const other = await up(26, [['requireSignedURLs', 'true']]);
  const open = await up(28, []);
  t.check('A8 fixture: the image is private (requireSignedURLs: true)', img.requireSignedURLs === true, JSON.stringify(img));
  await apiOk(server, 'POST', `${IMG}/v1/variants`, { body: { id: 'thumb', options: { fit: 'scale-down', width: 10, height: 10, metadata: 'none' } } });
  await apiOk(server, 'POST', `${IMG}/v1/variants`, { body: { id: 'open', options: { fit: 'scale-down', width: 12, height: 12, metadata: 'none' }, neverRequireSignedURLs: true } });
  await apiOk(server, 'PATCH', `${IMG}/v1/config`, { body: { flexible_variants: true } });
  const keysOf = async () => Object.fromEntries((await apiOk(server, 'GET', `${IMG}/v1/keys`)).result.keys.map((k) => [k.name, k.value]));
  let keys = await keysOf();
  t.check('A8 fixture: the account starts with a "default" signing key', typeof keys.default === 'string' && keys.default.length > 0, JSON.stringify(keys));
  keys = Object.fromEntries(((await apiOk(server, 'PUT', `${IMG}/v1/keys/second`, { body: {} })).result.keys).map((k) => [k.name, k.value]));
  t.check('A8 fixture: PUT keys/second lists both keys', keys.default && keys.second && keys.default !== keys.second, JSON.stringify(Object.keys(keys)));
  const K1 = keys.default;
  const K2 = keys.second;

  const now = () => Math.floor(Date.now() / 1000);
  const path = (id = img.id, variant = 'public', hash = HASH) => `/${hash}/${id}/${variant}`;
  // A signed query for `p` (what the documented algorithm appends).
  const signed = (p, key = K1, exp = now() + 3600) => `exp=${exp}&sig=${hmacHex(key, `${p}?exp=${exp}`)}`;

  let executed = 0;
  const deliver = async (target, { port = dl.port, method = 'GET', headers = [] } = {}) => request(port, method, target, { headers: [['Accept', 'image/png'], ...headers] }).catch((e) => ({ status: undefined, body: String(e), headers: {} }));
  const expectOk = async (name, target, opts = {}) => {
    const r = await deliver(target, opts);
    executed++;
    const p = [];
    if (r.status !== 200) p.push(`expected 200, got ${r.status}`);
    if (!/^image\//.test(r.headers['content-type'] || '')) p.push(`Content-Type ${r.headers['content-type']}`);
    if (opts.private !== false && !/^private/.test(r.headers['cache-control'] || '')) p.push(`Cache-Control ${r.headers['cache-control']} (a private image must not be publicly cached)`);
    if (opts.method === 'HEAD' && r.body) p.push('HEAD answer has a body');
    t.check(`A8 ${name} → 200`, p.length === 0, () => `${p.join('; ')}\n${describe(`${opts.method || 'GET'} ${target}`, r)}`);
    return r;
  };
  const expectDenied = async (name, target, opts = {}) => {
    const r = await deliver(target, opts);
    executed++;
    const p = [];
    if (r.status !== 403) p.push(`expected 403, got ${r.status}`);
    if (opts.method !== 'HEAD' && !String(r.body ?? '').startsWith('ERROR 9425')) p.push(`body ${JSON.stringify(clip(r.body, 120))} does not start with "ERROR 9425"`);
    if ((r.headers['cf-resized'] || '') !== 'err=9425') p.push(`Cf-Resized: ${JSON.stringify(r.headers['cf-resized'])}, expected "err=9425"`);
    if (/^image\//.test(r.headers['content-type'] || '')) p.push('an image Content-Type on a refusal');
    t.check(`A8 ${name} → 403 / 9425`, p.length === 0, () => `${p.join('; ')}\n${describe(`${opts.method || 'GET'} ${target}`, r)}`);
    return r;
  };

  // For URLs that no longer name the image (path shape changed): any delivery refusal will do,
  // as long as nothing is served.
  const expectRefused = async (name, target) => {
    const r = await deliver(target);
    executed++;
    const p = [];
    if (!(r.status >= 400 && r.status < 500)) p.push(`expected a 4xx, got ${r.status}`);
    if (!/^err=94\d\d$/.test(r.headers['cf-resized'] || '')) p.push(`Cf-Resized: ${JSON.stringify(r.headers['cf-resized'])}`);
    if (/^image\//.test(r.headers['content-type'] || '')) p.push('an image Content-Type on a refusal');
    t.check(`A8 ${name} → refused (4xx / 94xx)`, p.length === 0, () => `${p.join('; ')}\n${describe(`GET ${target}`, r)}`);
  };

  const P = path();
  const good = `${P}?${signed(P)}`;
  const exp = now() + 3600;
  const sigFor = (msg, key = K1) => hmacHex(key, msg);
  const s1 = sigFor(`${P}?exp=${exp}`);

  // ---- good
  await expectOk('default key, exp in an hour', good);
  await expectOk('second key, exp in an hour', `${P}?${signed(P, K2)}`);
  await expectOk('named variant "thumb" signed with the default key', `${path(img.id, 'thumb')}?${signed(path(img.id, 'thumb'))}`);
  await expectOk('exp in 2100', `${P}?${signed(P, K1, 4102444800)}`);
  await expectOk('no exp: HMAC of the path alone (a non-expiring signed URL, IMAGES.md §A.7)', `${P}?sig=${sigFor(P)}`);
  await expectOk('signed extra parameter kept in order (exp=N&v=2 signed together)', `${P}?exp=${exp}&v=2&sig=${sigFor(`${P}?exp=${exp}&v=2`)}`);
  await expectOk('sig placed before exp (sig is not part of the signed string)', `${P}?sig=${s1}&exp=${exp}`);
  await expectOk('HEAD with a good signature', good, { method: 'HEAD' });
  await expectOk('API port /cdn-cgi/imagedelivery form, signature over /<hash>/<id>/<variant>', `/cdn-cgi/imagedelivery${good}`, { port: server.port });
  await expectOk('variant with neverRequireSignedURLs, no signature', path(img.id, 'open'), { private: false });
  await expectOk('public image ignores a bogus signature', `${path(open.id)}?exp=1&sig=${'0'.repeat(64)}`, { private: false });

  // Private caching follows exp (IMAGES.md §0.9): max-age never outlives the signature.
  {
    const soon = now() + 60;
    const r = await expectOk('exp in 60 s', `${P}?${signed(P, K1, soon)}`);
    const m = /max-age=(\d+)/.exec(r.headers['cache-control'] || '');
    t.check('A8 exp in 60 s: Cache-Control private, max-age ≤ 60', /^private/.test(r.headers['cache-control'] || '') && m && Number(m[1]) <= 60, `Cache-Control: ${r.headers['cache-control']}`);
    // A conditional request must not turn a refusal into a 304 (which would confirm the image).
    const etag = r.headers.etag;
    await expectDenied('unsigned with If-None-Match: <the ETag of the signed answer>', P, { headers: [['If-None-Match', etag || '"x"']] });
    await expectDenied('unsigned with If-None-Match: *', P, { headers: [['If-None-Match', '*']] });
    await expectDenied('wrong signature with If-None-Match: *', `${P}?exp=${soon}&sig=${'a'.repeat(64)}`, { headers: [['If-None-Match', '*']] });
  }

  // ---- wrong signature
  await expectDenied('signature made with a random key', `${P}?${signed(P, crypto.randomBytes(24).toString('base64url'))}`);
  await expectDenied('one hex digit flipped', `${P}?exp=${exp}&sig=${s1.slice(0, 63)}${s1[63] === '0' ? '1' : '0'}`);
  await expectDenied('signature truncated to 63 hex digits', `${P}?exp=${exp}&sig=${s1.slice(0, 63)}`);
  await expectDenied('signature truncated to 32 hex digits', `${P}?exp=${exp}&sig=${s1.slice(0, 32)}`);
  await expectDenied('signature with two extra hex digits', `${P}?exp=${exp}&sig=${s1}00`);
  await expectDenied('signature of 64 non-hex characters', `${P}?exp=${exp}&sig=${'z'.repeat(64)}`);
  await expectDenied('empty sig', `${P}?exp=${exp}&sig=`);
  await expectDenied('sig without =', `${P}?exp=${exp}&sig`);
  await expectDenied('base64 of the MAC instead of hex', `${P}?exp=${exp}&sig=${Buffer.from(s1, 'hex').toString('base64url')}`);
  await expectDenied('MAC computed with SHA-1 instead of SHA-256 (padded to 64 hex)', `${P}?exp=${exp}&sig=${crypto.createHmac('sha1', K1).update(`${P}?exp=${exp}`).digest('hex').padEnd(64, '0')}`);

  // ---- exp
  await expectDenied('expired (exp 10 s ago, correctly signed)', `${P}?${signed(P, K1, now() - 10)}`);
  await expectDenied('exp=0, correctly signed', `${P}?${signed(P, K1, 0)}`);
  await expectDenied('negative exp, correctly signed', `${P}?exp=-1&sig=${sigFor(`${P}?exp=-1`)}`);
  await expectDenied('non-numeric exp, correctly signed', `${P}?exp=tomorrow&sig=${sigFor(`${P}?exp=tomorrow`)}`);
  await expectDenied('empty exp, correctly signed', `${P}?exp=&sig=${sigFor(`${P}?exp=`)}`);
  await expectDenied('20-digit exp, correctly signed', `${P}?exp=99999999999999999999&sig=${sigFor(`${P}?exp=99999999999999999999`)}`);
  await expectDenied('fractional exp, correctly signed', `${P}?exp=${exp}.5&sig=${sigFor(`${P}?exp=${exp}.5`)}`);
  await expectDenied('exp removed from a URL signed with it', `${P}?sig=${s1}`);
  await expectDenied('exp moved 1 s later than signed', `${P}?exp=${exp + 1}&sig=${s1}`);
  await expectDenied('no query at all', P);
  await expectDenied('exp only, no sig', `${P}?exp=${exp}`);

  // ---- other image, variant, account hash
  await expectDenied('signature made for another image', `${P}?exp=${exp}&sig=${sigFor(`${path(other.id)}?exp=${exp}`)}`);
  await expectDenied('signature made for another variant (thumb → public)', `${P}?exp=${exp}&sig=${sigFor(`${path(img.id, 'thumb')}?exp=${exp}`)}`);
  const otherHash = crypto.randomBytes(16).toString('base64url');
  await expectDenied('signature made for another account hash', `${P}?exp=${exp}&sig=${sigFor(`${path(img.id, 'public', otherHash)}?exp=${exp}`)}`);
  await expectDenied('signature over the full URL with host', `${P}?exp=${exp}&sig=${sigFor(`${dl.origin}${P}?exp=${exp}`)}`);
  await expectDenied('signature over the /cdn-cgi/imagedelivery form used on imagedelivery', `${P}?exp=${exp}&sig=${sigFor(`/cdn-cgi/imagedelivery${P}?exp=${exp}`)}`);

  // ---- parameters: duplicated, extra, reordered, empty
  await expectDenied('exp duplicated', `${P}?exp=${exp}&exp=${exp}&sig=${s1}`);
  await expectDenied('exp duplicated, both signed', `${P}?exp=${exp}&exp=${exp}&sig=${sigFor(`${P}?exp=${exp}&exp=${exp}`)}`);
  await expectDenied('sig duplicated', `${P}?exp=${exp}&sig=${s1}&sig=${s1}`);
  await expectDenied('unsigned extra parameter appended', `${good}&width=2000`);
  await expectDenied('unsigned extra parameter prepended', `${P}?v=2&exp=${exp}&sig=${s1}`);
  await expectDenied('signed parameters reordered (signed exp=N&v=2, sent v=2&exp=N)', `${P}?v=2&exp=${exp}&sig=${sigFor(`${P}?exp=${exp}&v=2`)}`);
  await expectDenied('empty parameter between exp and sig', `${P}?exp=${exp}&&sig=${s1}`);
  await expectDenied('trailing &', `${good}&`);
  await expectDenied('semicolon as separator', `${P}?exp=${exp};sig=${s1}`);

  // ---- encoding variants
  const encId = img.id.replace(/-/g, '%2D');
  await expectDenied('percent-encoded image id, signature over the plain path', `/${HASH}/${encId}/public?exp=${exp}&sig=${s1}`);
  await expectDenied('percent-encoded variant name, signature over the plain path', `/${HASH}/${img.id}/%70ublic?exp=${exp}&sig=${s1}`);
  await expectDenied('percent-encoded parameter name %65xp', `${P}?%65xp=${exp}&sig=${s1}`);
  await expectDenied('exp with a leading +', `${P}?exp=+${exp}&sig=${s1}`);
  await expectDenied('exp with a leading 0', `${P}?exp=0${exp}&sig=${s1}`);
  await expectDenied('percent-encoded sig', `${P}?exp=${exp}&sig=${[...s1].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`);
  await expectRefused('doubled slash before the image id (names no image)', `/${HASH}//${img.id}/public?exp=${exp}&sig=${s1}`);
  await expectRefused('trailing slash after the variant (not a delivery path)', `${P}/?exp=${exp}&sig=${s1}`);

  // ---- unsigned access and flexible variants
  await expectDenied('unsigned, named variant public', P);
  await expectDenied('unsigned, named variant thumb', path(img.id, 'thumb'));
  await expectDenied('flexible variant w=10 (cannot be signed)', path(img.id, 'w=10'));
  await expectDenied('flexible variant w=10 with a signature over it', `${path(img.id, 'w=10')}?${signed(path(img.id, 'w=10'))}`);
  await expectDenied('HEAD without a signature', P, { method: 'HEAD' });
  await expectDenied('API port /cdn-cgi/imagedelivery form without a signature', `/cdn-cgi/imagedelivery${P}`, { port: server.port });

  // ---- key rotation
  const withK2 = `${P}?${signed(P, K2)}`;
  const withK1 = `${P}?${signed(P, K1)}`;
  await expectOk('rotation: second key verifies (and the response is now cached)', withK2);
  await expectOk('rotation: default key still verifies alongside it', withK1);
  keys = Object.fromEntries(((await apiOk(server, 'DELETE', `${IMG}/v1/keys/second`)).result.keys).map((k) => [k.name, k.value]));
  t.check('rotation: DELETE keys/second leaves the default', Object.keys(keys).join() === 'default' && keys.default === K1, JSON.stringify(Object.keys(keys)));
  await expectDenied('rotation: a removed key stops verifying (URL served a moment ago)', withK2);
  await expectOk('rotation: the remaining key still verifies', withK1);
  keys = Object.fromEntries(((await apiOk(server, 'DELETE', `${IMG}/v1/keys/default`)).result.keys).map((k) => [k.name, k.value]));
  t.check('rotation: deleting the last key makes a fresh "default" appear', typeof keys.default === 'string' && keys.default !== K1, JSON.stringify(Object.keys(keys)));
  await expectDenied('rotation: the deleted default value stops verifying', withK1);
  await expectOk('rotation: the fresh default verifies', `${P}?${signed(P, keys.default)}`);

  // ---- flipping the image: private → public → private
  await apiOk(server, 'PATCH', `${IMG}/v1/${img.id}`, { body: { requireSignedURLs: false } });
  await expectOk('after PATCH requireSignedURLs=false: unsigned is served', P, { private: false });
  await apiOk(server, 'PATCH', `${IMG}/v1/${img.id}`, { body: { requireSignedURLs: true } });
  await expectDenied('after PATCH back to true: unsigned is refused again (no stale cache)', P);

  console.log(`A8: ${executed} signed-URL cases executed`);
  t.measure('cases_executed', executed);
  t.check('A8 executed at least 30 delivery cases', executed >= 30, String(executed));
  t.check('A8 server healthy at the end', await healthy(server), server.logTail(10));
  const stopped = await server.stop();
  t.check('A8 server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
});
