// A9 — direct creator upload (RELIABILITY.md §7 A9; IMAGES.md §A.3, limits of §A.2):
//
//  - POST …/images/v2/direct_upload (an empty multipart form) → {id, uploadURL} on the delivery
//    listener; the draft is absent from the v1 and v2 lists and from stats, not delivered, and
//    present through GET …/images/v1/{id} with draft:true;
//  - the one-time URL: wrong field name → 400; JSON body → 400; a text file → 415 / 5455;
//    > 10 MB → 413; fields the creator may not set (id, metadata, requireSignedURLs, url) → 400 —
//    and after each refusal the draft is still a draft and still usable; then a PNG → 200, the
//    image appears in lists and stats with its bytes byte-exact; a second POST → refused and the
//    stored bytes unchanged; 8 concurrent POSTs to a fresh URL → exactly one 200;
//  - `expiry` outside [now+2 min, now+6 h] (and in the past, and malformed) refused at creation,
//    as multipart and as JSON; inside the window accepted. (The URL itself cannot be waited out:
//    its shortest life is 2 minutes.)
//  - draft options carry over: requireSignedURLs, custom id (with /), metadata, creator; a
//    duplicate custom id, a custom id with requireSignedURLs, metadata > 1024 bytes → 4xx;
//  - unknown id / wrong account hash → 404; deleted draft → 404; GET on the URL → 405.

import {
  runScript,
  startServer,
  request,
  apiOk,
  envelopeProblem,
  describe,
  clip,
  smallPng,
  multipart,
  postForm,
  deliveryOf,
  healthy,
} from './lib.mjs';
import crypto from 'node:crypto';

runScript('a9_direct_upload', async (t) => {
  const server = await startServer();
  const A = server.bootstrap.account_id;
  const HASH = server.bootstrap.account_hash;
  const IMG = `/accounts/${A}/images`;
  const dl = deliveryOf(server);
  let executed = 0;

  const create = async (fields = []) => postForm(server, `${IMG}/v2/direct_upload`, fields);
  const createJson = async (body) => request(server.port, 'POST', `/client/v4${IMG}/v2/direct_upload`, { token: server.token, body });
  const mustCreate = async (fields = []) => {
    const r = await create(fields);
    if (r.status !== 200 || !r.json?.success) throw new Error(`direct_upload: ${r.status} ${clip(r.body, 500)}`);
    return r.json.result;
  };
  // POST to an uploadURL (no credentials): fields as for multipart(), or {raw, contentType}.
  const postUpload = async (uploadURL, fields, { raw, contentType } = {}) => {
    const u = new URL(uploadURL);
    let body = raw;
    let ct = contentType;
    if (!raw) {
      const m = multipart(fields);
      body = m.body;
      ct = m.contentType;
    }
    return request(Number(u.port), 'POST', u.pathname + u.search, { headers: [['Content-Type', ct]], body, timeoutMs: 15000 }).catch((e) => ({ status: undefined, body: String(e), headers: {} }));
  };
  const file = (bytes, type = 'image/png', filename = 'creator.png') => ['file', { bytes, filename, type }];
  const getImage = (id) => request(server.port, 'GET', `/client/v4${IMG}/v1/${encodeURIComponent(id)}`, { token: server.token });
  const stats = async () => (await apiOk(server, 'GET', `${IMG}/v1/stats`)).result.count.current;
  const v2ids = async () => (await apiOk(server, 'GET', `${IMG}/v2?per_page=100`)).result.images.map((i) => i.id);
  const v1ids = async () => (await apiOk(server, 'GET', `${IMG}/v1?per_page=100`)).result.images.map((i) => i.id);
  const isDraft = async (id) => {
    const g = await getImage(id);
    return g.status === 200 && g.json?.result?.draft === true;
  };
  const check = (name, ok, detail) => {
    executed++;
    return t.check(`A9 ${name}`, ok, detail);
  };
  const refusal = (r, status, code) => {
    const p = [];
    if (r.status !== status) p.push(`expected ${status}, got ${r.status}`);
    if (code !== undefined && r.json?.errors?.[0]?.code !== code) p.push(`expected code ${code}, got ${r.json?.errors?.[0]?.code}`);
    const env = r.json ? envelopeProblem(r.json) : 'body is not a JSON envelope';
    if (env) p.push(env);
    return p;
  };

  // ---- creation and the draft
  const statsBefore = await stats();
  const d = await mustCreate();
  const u = new URL(d.uploadURL);
  check('direct_upload with an empty form returns {id, uploadURL} on the delivery listener', typeof d.id === 'string' && u.origin === dl.origin && u.pathname === `/upload/${HASH}/${d.id}`, JSON.stringify(d));
  let g = await getImage(d.id);
  check('draft: GET …/images/v1/{id} → 200 with draft:true', g.status === 200 && g.json?.result?.draft === true, () => describe(`GET images/v1/${d.id}`, g));
  check('draft: absent from the v2 list', !(await v2ids()).includes(d.id), 'listed');
  check('draft: absent from the v1 list', !(await v1ids()).includes(d.id), 'listed');
  check('draft: not counted in stats', (await stats()) === statsBefore, `stats ${await stats()}, before ${statsBefore}`);
  const dd = await request(dl.port, 'GET', `/${HASH}/${d.id}/public`);
  check('draft: not delivered (404)', dd.status === 404, () => describe('GET delivery of the draft', dd));
  const bl = await request(server.port, 'GET', `/client/v4${IMG}/v1/${d.id}/blob`, { token: server.token });
  check('draft: no blob (4xx)', bl.status >= 400 && bl.status < 500, () => describe('GET blob of the draft', bl));

  // ---- refusals on the one-time URL leave the draft usable
  const png = smallPng(20, 15);
  const MB10 = 10 * 1024 * 1024;
  const big = Buffer.concat([png, Buffer.alloc(MB10 + 1 - png.length, 0x20)]);
  const refusals = [
    ['wrong field name "image"', { fields: [['image', { bytes: png, filename: 'a.png', type: 'image/png' }]] }, 400],
    ['wrong field name "File" (case)', { fields: [['File', { bytes: png, filename: 'a.png', type: 'image/png' }]] }, 400],
    ['JSON body instead of multipart', { raw: Buffer.from(JSON.stringify({ file: png.toString('base64') })), contentType: 'application/json' }, 400],
    ['raw PNG body (image/png, no form)', { raw: png, contentType: 'image/png' }, 400],
    ['empty form', { fields: [] }, 400],
    ['a text file', { fields: [file(Buffer.from('hello, not an image\n'), 'text/plain', 'a.txt')] }, 415, 5455],
    ['an HTML file', { fields: [file(Buffer.from('<html><script>alert(1)</script></html>'), 'text/html', 'a.html')] }, 415, 5455],
    ['a file of 10 MiB + 1 byte', { fields: [file(big)] }, 413],
    ['a PNG claiming 100000×100000', { fields: [file(Buffer.concat([png.subarray(0, 16), Buffer.from([0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0]), png.subarray(24)]))] }, 400],
    ['the creator sets id', { fields: [file(png), ['id', 'creator-chosen']] }, 400],
    ['the creator sets metadata', { fields: [file(png), ['metadata', '{"x":1}']] }, 400],
    ['the creator sets requireSignedURLs', { fields: [file(png), ['requireSignedURLs', 'false']] }, 400],
    ['the creator sends a url instead of a file', { fields: [['url', 'http://127.0.0.1:9/x.png']] }, 400],
    ['two file fields', { fields: [file(png), file(png)] }, 400],
  ];
  for (const [name, opts, status, code] of refusals) {
    const r = await postUpload(d.uploadURL, opts.fields, opts);
    const p = refusal(r, status, code);
    if (!(await isDraft(d.id))) p.push('the draft is no longer a draft after the refusal');
    check(`one-time URL: ${name} → ${status}${code ? ` / ${code}` : ''}, draft kept`, p.length === 0, () => `${p.join('; ')}\n${describe(`POST ${d.uploadURL} (${name})`, r)}`);
  }
  const getUrl = await request(Number(u.port), 'GET', u.pathname);
  check('one-time URL: GET → 405', getUrl.status === 405, () => describe(`GET ${u.pathname}`, getUrl));
  const opt = await request(Number(u.port), 'OPTIONS', u.pathname, { headers: [['Origin', 'https://app.example'], ['Access-Control-Request-Method', 'POST']] });
  check('one-time URL: CORS preflight → 200 with Access-Control-Allow-Origin', opt.status === 200 && !!opt.headers['access-control-allow-origin'], () => describe(`OPTIONS ${u.pathname}`, opt));

  // ---- the upload, then the second POST
  const ok = await postUpload(d.uploadURL, [file(png)]);
  check('one-time URL: the PNG → 200, no longer a draft', ok.status === 200 && ok.json?.success === true && ok.json.result?.id === d.id && ok.json.result?.draft !== true, () => describe(`POST ${d.uploadURL}`, ok));
  g = await getImage(d.id);
  check('after upload: GET shows no draft flag', g.status === 200 && g.json?.result?.draft !== true, () => describe(`GET images/v1/${d.id}`, g));
  check('after upload: in the v2 list', (await v2ids()).includes(d.id), 'not listed');
  check('after upload: in the v1 list', (await v1ids()).includes(d.id), 'not listed');
  check('after upload: stats grew by 1', (await stats()) === statsBefore + 1, `stats ${await stats()}, before ${statsBefore}`);
  const blob1 = await request(server.port, 'GET', `/client/v4${IMG}/v1/${d.id}/blob`, { token: server.token });
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');
  const blobBytes = (r) => {
    const raw = Buffer.from(r.raw ?? '');
    return raw.subarray(raw.indexOf('\r\n\r\n') + 4);
  };
  check('after upload: blob is byte-exact', blob1.status === 200 && sha(blobBytes(blob1)) === sha(png), () => describe('GET blob', blob1));
  const dv = await request(dl.port, 'GET', `/${HASH}/${d.id}/public`);
  check('after upload: delivered (200 image/*)', dv.status === 200 && /^image\//.test(dv.headers['content-type'] || ''), () => describe('GET delivery', dv));
  const png2 = smallPng(30, 10);
  const second = await postUpload(d.uploadURL, [file(png2)]);
  check('second POST to the same URL → 400 (used)', second.status === 400 && second.json?.success === false, () => describe(`POST ${d.uploadURL} again`, second));
  const blob2 = await request(server.port, 'GET', `/client/v4${IMG}/v1/${d.id}/blob`, { token: server.token });
  check('second POST changed nothing: blob still the first file', sha(blobBytes(blob2)) === sha(png), 'the blob changed');
  check('second POST changed nothing: stats unchanged', (await stats()) === statsBefore + 1, `stats ${await stats()}`);

  // ---- a race for one URL: exactly one wins
  {
    const race = await mustCreate();
    const files = Array.from({ length: 8 }, (_, i) => smallPng(10 + i, 10));
    const rs = await Promise.all(files.map((f) => postUpload(race.uploadURL, [file(f)])));
    const wins = rs.map((r, i) => (r.status === 200 && r.json?.success ? i : -1)).filter((i) => i >= 0);
    const others = rs.filter((r) => !(r.status === 200 && r.json?.success));
    check('8 concurrent POSTs to one URL → exactly one 200', wins.length === 1, `statuses ${rs.map((r) => r.status).join(',')}`);
    check('8 concurrent POSTs: the others are 4xx (none 5xx)', others.every((r) => r.status >= 400 && r.status < 500), `statuses ${rs.map((r) => r.status).join(',')}`);
    if (wins.length === 1) {
      const b = await request(server.port, 'GET', `/client/v4${IMG}/v1/${race.id}/blob`, { token: server.token });
      check('8 concurrent POSTs: the stored bytes are the winner\'s', sha(blobBytes(b)) === sha(files[wins[0]]), 'blob differs from the acknowledged upload');
    }
  }

  // ---- expiry at creation
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const MIN = 60_000;
  const H = 60 * MIN;
  const expiries = [
    ['expiry in the past (1 h ago)', iso(Date.now() - H), 400],
    ['expiry now', iso(Date.now()), 400],
    ['expiry now + 1 min', iso(Date.now() + MIN), 400],
    ['expiry now + 119 s', iso(Date.now() + 119_000), 400],
    ['expiry now + 6 h + 1 min', iso(Date.now() + 6 * H + MIN), 400],
    ['expiry now + 7 days', iso(Date.now() + 7 * 24 * H), 400],
    ['expiry malformed ("tomorrow")', 'tomorrow', 400],
    ['expiry as Unix seconds', String(Math.floor(Date.now() / 1000) + H / 1000), 400],
    ['expiry now + 3 min', iso(Date.now() + 3 * MIN), 200],
    ['expiry now + 5 h 58 min', iso(Date.now() + 6 * H - 2 * MIN), 200],
  ];
  for (const [name, value, status] of expiries) {
    const r = await create([['expiry', value]]);
    check(`creation (multipart): ${name} → ${status}`, r.status === status && (status !== 200 || r.json?.success === true) && !envelopeProblem(r.json), () => describe(`POST direct_upload expiry=${value}`, r));
    if (r.status === 200 && r.json?.result?.id) {
      const gg = await getImage(r.json.result.id);
      check(`creation (multipart): ${name}: a draft exists`, gg.json?.result?.draft === true, () => describe('GET', gg));
    }
  }
  for (const [name, value, status] of [expiries[0], expiries[2], expiries[4], expiries[8]]) {
    const r = await createJson({ expiry: value });
    check(`creation (JSON body): ${name} → ${status}`, r.status === status && !envelopeProblem(r.json), () => describe(`POST direct_upload JSON expiry=${value}`, r));
  }

  // ---- draft options carry over; creation refusals
  {
    const priv = await mustCreate([['requireSignedURLs', 'true'], ['metadata', '{"owner":"a9"}'], ['creator', 'user-42']]);
    const up = await postUpload(priv.uploadURL, [file(png)]);
    check('draft options: upload into a private draft → 200', up.status === 200, () => describe('POST', up));
    const res = up.json?.result || {};
    check('draft options: requireSignedURLs, metadata and creator carried over', res.requireSignedURLs === true && res.meta?.owner === 'a9' && res.creator === 'user-42', JSON.stringify(res));
    const unsigned = await request(dl.port, 'GET', `/${HASH}/${priv.id}/public`);
    check('draft options: the private image is not delivered unsigned (403)', unsigned.status === 403, () => describe('GET delivery unsigned', unsigned));

    const cid = `a9/custom-${crypto.randomBytes(4).toString('hex')}`;
    const c = await mustCreate([['id', cid]]);
    check('custom id: the uploadURL ends with the id', new URL(c.uploadURL).pathname === `/upload/${HASH}/${cid}` && c.id === cid, JSON.stringify(c));
    const cu = await postUpload(c.uploadURL, [file(png)]);
    check('custom id: upload → 200 under that id', cu.status === 200 && cu.json?.result?.id === cid, () => describe('POST', cu));
    const dup = await create([['id', cid]]);
    check('custom id: the same id again → 4xx', dup.status >= 400 && dup.status < 500 && !envelopeProblem(dup.json), () => describe('POST direct_upload duplicate id', dup));
    const cpriv = await create([['id', `a9/private-${crypto.randomBytes(4).toString('hex')}`], ['requireSignedURLs', 'true']]);
    check('custom id + requireSignedURLs → 400', cpriv.status === 400, () => describe('POST direct_upload custom private', cpriv));
    const uuid = await create([['id', crypto.randomUUID()]]);
    check('custom id shaped like a UUID → 400', uuid.status === 400, () => describe('POST direct_upload uuid id', uuid));
    const meta = await create([['metadata', JSON.stringify({ k: 'x'.repeat(1100) })]]);
    check('metadata over 1024 bytes at creation → 400', meta.status === 400, () => describe('POST direct_upload big metadata', meta));
    const unknownField = await create([['file', { bytes: png, filename: 'a.png', type: 'image/png' }]]);
    check('a file at creation (not a field of direct_upload) → 400', unknownField.status === 400, () => describe('POST direct_upload with file', unknownField));
  }

  // ---- URLs that name no draft
  {
    const x = await mustCreate();
    const wrongHash = `${dl.origin}/upload/${crypto.randomBytes(16).toString('base64url')}/${x.id}`;
    const r1 = await postUpload(wrongHash, [file(png)]);
    check('uploadURL with another account hash → 404', r1.status === 404, () => describe(`POST ${wrongHash}`, r1));
    const r2 = await postUpload(`${dl.origin}/upload/${HASH}/${crypto.randomUUID()}`, [file(png)]);
    check('uploadURL with an unknown id → 404', r2.status === 404, () => describe('POST unknown id', r2));
    const del = await request(server.port, 'DELETE', `/client/v4${IMG}/v1/${x.id}`, { token: server.token });
    check('a draft can be deleted through the API (200)', del.status === 200, () => describe('DELETE draft', del));
    const r3 = await postUpload(x.uploadURL, [file(png)]);
    check('uploadURL of a deleted draft → 404', r3.status === 404, () => describe(`POST ${x.uploadURL}`, r3));
    check('still a draft-free list: stats count = completed uploads only', (await stats()) === statsBefore + 4, `stats ${await stats()}, expected ${statsBefore + 4}`);
  }

  console.log(`A9: ${executed} direct-upload cases executed`);
  t.measure('cases_executed', executed);
  t.check('A9 server healthy at the end', await healthy(server), server.logTail(10));
  const stopped = await server.stop();
  t.check('A9 server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
});
