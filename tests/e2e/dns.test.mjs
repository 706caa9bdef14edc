// DNS records through the official SDK (client.dns.records.*) and raw curl-style calls: create,
// 1,000 records walked with the SDK's auto-pagination, page totals, order and filters, get, PUT,
// PATCH, delete, the validation and conflict errors with Cloudflare's codes, and the DNS
// permission groups (the seeds' "Edit zone DNS" token grants DNS edit on its zone only).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cloudflare,
  Cleanup,
  HEX32,
  NO_PERMISSION_CODES,
  PG,
  allow,
  assertOk,
  collect,
  createUserToken,
  createZone,
  expectApiError,
  randHex,
  raw,
  tokenClient,
  uniqueZoneName,
  zoneRes,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, A);
after(() => cleanup.run());
const get = (p) => raw(srv.apiBase, 'GET', p, { token: B.api_token });
const noRetry = { maxRetries: 0 };

describe('Zones: a zone is a registrable domain (Public Suffix List)', () => {
  const create = (name) => admin.zones.create({ account: { id: A }, name, type: 'full' }, noRetry);
  const APEX_ONLY = 'Please ensure you are providing the root domain and not any subdomains (e.g., example.com, not subdomain.example.com)';

  test('a public suffix is 1099 "unable to identify ... as a registered domain"', async () => {
    for (const name of ['co.uk', 'github.io', 'com.au']) {
      const err = await expectApiError(create(name), 400, [1099]);
      assert.equal(err.errors[0].message, `We were unable to identify ${name} as a registered domain. ${APEX_ONLY}`);
    }
  });

  test('a subdomain of a registrable domain is 1116', async () => {
    const apex = uniqueZoneName('apex');
    for (const name of [`www.${apex}`, `www.${apex.toUpperCase()}.`, `a.b.x-${randHex(6)}.co.uk`, `shop-${randHex(6)}.example.com`]) {
      const err = await expectApiError(create(name), 400, [1116]);
      assert.equal(err.errors[0].message, APEX_ONLY, name);
    }
  });

  test('registrable names are zones; unknown TLDs follow the "*" rule', async () => {
    for (const name of [`e2e-psl-${randHex(8)}.co.uk`, `e2e-psl-${randHex(8)}.test`, `e2e-psl-${randHex(8)}.local`]) {
      const z = cleanup.zone(await create(name));
      assert.equal(z.name, name);
    }
    await expectApiError(create(`a.e2e-psl-${randHex(8)}.test`), 400, [1116]);
  });
});

describe('DNS records: the record shape and CRUD', () => {
  let zone;
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'dns-crud');
  });

  test('create: a relative name is made fully qualified; the answer is a Cloudflare record', async () => {
    const r = await admin.dns.records.create({ zone_id: zone.id, type: 'A', name: 'www', content: '192.0.2.10', ttl: 3600, proxied: true, comment: 'web' });
    assert.match(r.id, HEX32);
    assert.equal(r.name, `www.${zone.name}`);
    assert.equal(r.type, 'A');
    assert.equal(r.content, '192.0.2.10');
    assert.equal(r.ttl, 3600);
    assert.equal(r.proxied, true);
    assert.equal(r.proxiable, true);
    assert.equal(r.comment, 'web');
    assert.deepEqual(r.tags, []);
    for (const k of ['created_on', 'modified_on']) assert.ok(!Number.isNaN(Date.parse(r[k])), k);
    const apex = await admin.dns.records.create({ zone_id: zone.id, type: 'AAAA', name: '@', content: '2001:DB8:0::1' });
    assert.equal(apex.name, zone.name);
    assert.equal(apex.content, '2001:db8::1', 'IPv6 in its canonical form');
    assert.equal(apex.ttl, 1, 'ttl defaults to 1 (automatic)');
    assert.equal(apex.proxied, false);
    assert.equal(apex.comment, null);
  });

  test('data types: SRV and CAA from their data, content derived, priority from data', async () => {
    const srv = await admin.dns.records.create({
      zone_id: zone.id, type: 'SRV', name: '_sip._tcp',
      data: { priority: 10, weight: 5, port: 5060, target: 'SIP.example.com' },
    });
    assert.equal(srv.name, `_sip._tcp.${zone.name}`);
    assert.equal(srv.content, '10 5 5060 sip.example.com');
    assert.equal(srv.priority, 10);
    assert.deepEqual(srv.data, { priority: 10, weight: 5, port: 5060, target: 'sip.example.com' });
    const caa = await admin.dns.records.create({ zone_id: zone.id, type: 'CAA', name: '@', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
    assert.equal(caa.content, '0 issue "letsencrypt.org"');
    const patched = await admin.dns.records.edit(srv.id, { zone_id: zone.id, data: { priority: 20, weight: 5, port: 5061, target: 'sip.example.com' } });
    assert.equal(patched.content, '20 5 5061 sip.example.com');
    assert.equal(patched.priority, 20);
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'SRV', name: '_x._tcp', data: { priority: 1, weight: 1, port: 70000, target: 'x.example.com' } }), 400, [1004]);
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'CAA', name: '@', content: '0 issue "x"' }), 400, [1004]);
  });

  test('get, PUT (replaces), PATCH (changes only what is sent), delete', async () => {
    const r = await admin.dns.records.create({ zone_id: zone.id, type: 'MX', name: 'mail', content: 'MX1.Example.NET.', priority: 10, comment: 'primary' });
    assert.equal(r.content, 'mx1.example.net');
    assert.equal(r.priority, 10);
    const got = await admin.dns.records.get(r.id, { zone_id: zone.id });
    assert.deepEqual(got, r);

    const put = await admin.dns.records.update(r.id, { zone_id: zone.id, type: 'MX', name: 'mail', content: 'mx2.example.net', priority: 20, ttl: 300 });
    assert.equal(put.id, r.id);
    assert.equal(put.content, 'mx2.example.net');
    assert.equal(put.priority, 20);
    assert.equal(put.comment, null, 'PUT overwrites: a comment not sent is gone');
    assert.equal(put.created_on, r.created_on);

    const patched = await admin.dns.records.edit(r.id, { zone_id: zone.id, ttl: 600 });
    assert.equal(patched.ttl, 600);
    assert.equal(patched.content, 'mx2.example.net');
    assert.equal(patched.priority, 20);
    const retyped = await admin.dns.records.edit(r.id, { zone_id: zone.id, type: 'TXT', content: 'now text' });
    assert.equal(retyped.type, 'TXT');
    assert.equal(retyped.priority, undefined, 'priority belongs to MX only');

    const del = await admin.dns.records.delete(r.id, { zone_id: zone.id });
    assert.equal(del.id, r.id);
    await expectApiError(admin.dns.records.get(r.id, { zone_id: zone.id }), 404, [81044]);
    await expectApiError(admin.dns.records.delete(r.id, { zone_id: zone.id }), 404, [81044]);
    await expectApiError(admin.dns.records.edit(r.id, { zone_id: zone.id, ttl: 60 }), 404, [81044]);
  });

  test('batch: deletes, patches, puts, posts in that order, all or nothing', async () => {
    const a = await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'batch-a', content: 'a' });
    const b = await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'batch-b', content: 'b' });
    const c = await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'batch-c', content: 'c' });
    const res = await admin.dns.records.batch({
      zone_id: zone.id,
      deletes: [{ id: a.id }],
      patches: [{ id: b.id, content: 'b2' }],
      puts: [{ id: c.id, type: 'A', name: 'batch-c', content: '192.0.2.30' }],
      posts: [{ type: 'TXT', name: 'batch-d', content: 'd' }, { type: 'TXT', name: 'batch-e', content: 'e' }],
    });
    assert.deepEqual(res.deletes.map((r) => r.id), [a.id]);
    assert.equal(res.patches[0].content, 'b2');
    assert.equal(res.puts[0].type, 'A');
    assert.deepEqual(res.posts.map((r) => r.name), [`batch-d.${zone.name}`, `batch-e.${zone.name}`]);
    await expectApiError(admin.dns.records.get(a.id, { zone_id: zone.id }), 404, [81044]);

    // One bad operation: the whole batch is refused and nothing of it is written.
    await expectApiError(admin.dns.records.batch({
      zone_id: zone.id,
      deletes: [{ id: b.id }],
      posts: [{ type: 'TXT', name: 'batch-f', content: 'f' }, { type: 'A', name: 'batch-g', content: 'not an ip' }],
    }), 400, [1004]);
    assert.equal((await admin.dns.records.get(b.id, { zone_id: zone.id })).content, 'b2', 'the delete was rolled back');
    const fs = await collect(admin.dns.records.list({ zone_id: zone.id, name: { exact: `batch-f.${zone.name}` } }));
    assert.deepEqual(fs, [], 'the first post was rolled back');
    await expectApiError(admin.dns.records.batch({ zone_id: zone.id, posts: Array.from({ length: 201 }, (_, i) => ({ type: 'TXT', name: `x${i}`, content: 'x' })) }), 400);
  });

  test('a record of another zone is not found through this one', async () => {
    const other = await createZone(admin, cleanup, A, 'dns-other');
    const r = await admin.dns.records.create({ zone_id: other.id, type: 'TXT', name: 'x', content: 'other zone' });
    await expectApiError(admin.dns.records.get(r.id, { zone_id: zone.id }), 404, [81044]);
  });
});

describe('DNS records: validation and conflicts', () => {
  let zone;
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'dns-rules');
  });
  const bad = async (body, words, status = 400, codes = [1004]) => {
    const err = await expectApiError(admin.dns.records.create({ zone_id: zone.id, ...body }, noRetry), status, codes);
    const msg = JSON.stringify(err.errors);
    for (const w of words) assert.match(msg, new RegExp(w, 'i'), msg);
  };

  test('each field is checked with a message naming it', async () => {
    await bad({ type: 'A', name: 'a', content: '300.1.1.1' }, ['IPv4']);
    await bad({ type: 'A', name: 'a', content: '127.1' }, ['IPv4']);
    await bad({ type: 'AAAA', name: 'a', content: '192.0.2.1' }, ['IPv6']);
    await bad({ type: 'CNAME', name: 'c', content: 'not a host' }, ['host name']);
    await bad({ type: 'A', name: 'a..b', content: '192.0.2.1' }, ['name']);
    await bad({ type: 'A', name: 'a', content: '192.0.2.1', ttl: 5 }, ['ttl']);
    await bad({ type: 'A', name: 'a', content: '192.0.2.1', ttl: 86401 }, ['ttl'], 400, [1001, 1004]);
    await bad({ type: 'TXT', name: 't', content: 'x', proxied: true }, ['proxied']);
    await bad({ type: 'MX', name: 'm', content: 'mx.example.com' }, ['priority']);
    await bad({ type: 'A', name: 'a' }, ['content']);
    await bad({ type: 'BOGUS', name: 'a', content: 'x' }, ['BOGUS']);
    await bad({ type: 'TXT', name: 't', content: 'x', comment: 'c'.repeat(101) }, ['comment'], 400, [1001, 1004]);
    await bad({ type: 'CNAME', name: 'self', content: `self.${zone.name}` }, ['own name']);
    await bad({ type: 'A', name: 'a', content: '192.0.2.1', unknown_field: 1 }, ['unknown_field'], 400, [1001, 1004]);
    assert.equal((await collect(admin.dns.records.list({ zone_id: zone.id }))).length, 0, 'nothing was created');
  });

  test('every type of the schema is stored: LOC without its data, OPENPGPKEY without content are 1004', async () => {
    const loc = await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'LOC', name: 'x', data: {} }, noRetry), 400, [1004]);
    assert.match(JSON.stringify(loc.errors), /data\.lat_degrees/);
    const pgp = await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'OPENPGPKEY', name: 'x', data: {} }, noRetry), 400, [1004]);
    assert.match(JSON.stringify(pgp.errors), /content is required/);
  });

  test('CNAME exclusivity (81053, 81054) and identical records (81058)', async () => {
    await admin.dns.records.create({ zone_id: zone.id, type: 'A', name: 'host', content: '192.0.2.1' });
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'CNAME', name: 'host', content: 'x.example.com' }), 400, [81053]);
    await admin.dns.records.create({ zone_id: zone.id, type: 'CNAME', name: 'alias', content: 'x.example.com' });
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'A', name: 'alias', content: '192.0.2.1' }), 400, [81054]);
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'alias', content: 'x' }), 400, [81054]);
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'A', name: 'HOST', content: '192.0.2.1' }), 400, [81058]);
    // A second A with another address is fine (round robin).
    await admin.dns.records.create({ zone_id: zone.id, type: 'A', name: 'host', content: '192.0.2.2' });
    // An edit into a conflict is refused and changes nothing.
    const t = await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'free', content: 'x' });
    await expectApiError(admin.dns.records.edit(t.id, { zone_id: zone.id, name: 'alias' }), 400, [81054]);
    assert.equal((await admin.dns.records.get(t.id, { zone_id: zone.id })).name, `free.${zone.name}`);
  });

  test('LOC from its data (content as Cloudflare writes it) and OPENPGPKEY by content', async () => {
    const data = { lat_degrees: 37, lat_minutes: 46, lat_seconds: 46, lat_direction: 'N', long_degrees: 122, long_minutes: 23, long_seconds: 35, long_direction: 'W', altitude: 0, size: 100, precision_horz: 0, precision_vert: 0 };
    const loc = await admin.dns.records.create({ zone_id: zone.id, type: 'LOC', name: 'office', ttl: 1, data });
    assert.equal(loc.content, '37 46 46.000 N 122 23 35.000 W 0.00 100.00 0.00 0.00');
    assert.deepEqual(loc.data, data);
    assert.equal(loc.proxiable, false);
    const moved = await admin.dns.records.edit(loc.id, { zone_id: zone.id, data: { ...data, lat_seconds: 52.1, lat_direction: 'S', altitude: -12.5 } });
    assert.equal(moved.content, '37 46 52.100 S 122 23 35.000 W -12.50 100.00 0.00 0.00');
    assert.equal(moved.data.lat_seconds, 52.1);
    // Minutes, seconds, size and precisions default to 0, as the schema says.
    const bare = await admin.dns.records.create({ zone_id: zone.id, type: 'LOC', name: 'pole', data: { lat_degrees: 90, lat_direction: 'N', long_degrees: 0, long_direction: 'E', altitude: 2835 } });
    assert.equal(bare.content, '90 0 0.000 N 0 0 0.000 E 2835.00 0.00 0.00 0.00');
    for (const [bad, field] of [
      [{ lat_degrees: 91 }, 'lat_degrees'],
      [{ lat_seconds: 60 }, 'lat_seconds'],
      [{ long_direction: 'N' }, 'long_direction'],
      [{ altitude: -100001 }, 'altitude'],
      [{ precision_vert: 90000001 }, 'precision_vert'],
      [{ lat_degrees: 90, lat_minutes: 1 }, 'latitude'],
    ]) {
      const err = await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'LOC', name: 'bad', data: { ...data, ...bad } }, noRetry), 400, [1004]);
      assert.match(JSON.stringify(err.errors), new RegExp(field));
    }
    const key = 'mDMEZ2Vx9hYJKwYBBAHaRw8BAQdAoU0QH3xqyUOD2DLvBChgqa8LTC8pGnScmsT+rEbN7Ce0';
    const pgp = await admin.dns.records.create({ zone_id: zone.id, type: 'OPENPGPKEY', name: 'c93f1e400f26708f98cb19d936620da35eec8f72e57f9eec01c1afd6._openpgpkey', ttl: 3600, content: key });
    assert.equal(pgp.content, key);
    assert.equal(pgp.type, 'OPENPGPKEY');
    await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'OPENPGPKEY', name: 'bad._openpgpkey', content: 'not base64!' }, noRetry), 400, [1004]);
    const locs = await collect(admin.dns.records.list({ zone_id: zone.id, type: 'LOC' }));
    assert.deepEqual(locs.map((r) => r.name).sort(), [`office.${zone.name}`, `pole.${zone.name}`]);
  });

  test('a zone that does not exist: could not route (7003)', async () => {
    const res = await get('/zones/0123456789abcdef0123456789abcdef/dns_records');
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.ok(res.body.errors.some((e) => e.code === 7003), res.text);
  });
});

describe('DNS records: tags, tag filters and search', () => {
  let zone;
  const rec = {};
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'tagsearch');
    const make = (name, tags, comment) => admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name, content: `text of ${name}`, tags, ...(comment ? { comment } : {}) });
    rec.a = await make('a', ['team:DNS', 'env:prod']);
    rec.b = await make('b', ['team:web', 'important'], 'owned by the DNS team');
    rec.c = await make('c', ['env:prod-eu', 'owner:ops']);
    rec.d = await make('d', []);
  });
  const names = (rows) => rows.map((r) => r.name.slice(0, -(zone.name.length + 1))).sort();
  const list = async (params) => names(await collect(admin.dns.records.list({ zone_id: zone.id, ...params })));
  const rawList = async (query) => names(assertOk(await get(`/zones/${zone.id}/dns_records?${query}`)));

  test('tags are "name:value" or a bare name; a repeat is dropped; bad ones are refused', async () => {
    assert.deepEqual(rec.a.tags, ['team:DNS', 'env:prod']);
    assert.deepEqual(rec.b.tags, ['team:web', 'important']);
    const dup = await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'dup', content: 'x', tags: ['k:v', 'K:v', 'k:v', 'k:w'] });
    assert.deepEqual(dup.tags, ['k:v', 'k:w']);
    const cleared = await admin.dns.records.edit(dup.id, { zone_id: zone.id, tags: [] });
    assert.deepEqual(cleared.tags, []);
    await admin.dns.records.delete(dup.id, { zone_id: zone.id });
    for (const tags of [['bad name:x'], [':novalue'], ['a:line\nbreak'], ['x'.repeat(101)], Array.from({ length: 21 }, (_, i) => `t${i}:x`), 'team:dns']) {
      await expectApiError(admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'refused', content: 'x', tags }, noRetry), 400, [1004]);
    }
  });

  test('the SDK\'s tag filters: present, absent, exact, contains, startswith, endswith', async () => {
    assert.deepEqual(await list({ tag: { present: 'TEAM' } }), ['a', 'b']);
    assert.deepEqual(await list({ tag: { present: 'important' } }), ['b']);
    assert.deepEqual(await list({ tag: { absent: 'team' } }), ['c', 'd']);
    assert.deepEqual(await list({ tag: { exact: 'team:dns' } }), ['a'], 'case-insensitive');
    assert.deepEqual(await list({ tag: { exact: 'env:prod' } }), ['a']);
    assert.deepEqual(await list({ tag: { startswith: 'env:prod' } }), ['a', 'c']);
    assert.deepEqual(await list({ tag: { endswith: 'env:-eu' } }), ['c']);
    assert.deepEqual(await list({ tag: { contains: 'team:e' } }), ['b']);
    assert.deepEqual(await list({ tag: { contains: 'owner:%' } }), [], '% is a character');
  });

  test('tag= shorthand, tag_match any|all, and match combining the tag result with other filters', async () => {
    assert.deepEqual(await rawList('tag=important'), ['b'], 'tag=name is tag.present');
    assert.deepEqual(await rawList('tag=team:DNS'), ['a'], 'tag=name:value is tag.exact');
    assert.deepEqual(await rawList('tag.present=team&tag.exact=env:prod'), ['a'], 'tag_match=all by default');
    assert.deepEqual(await rawList('tag.present=important&tag.exact=owner:ops&tag_match=any'), ['b', 'c']);
    assert.deepEqual(await list({ tag: { present: 'important', exact: 'owner:ops' }, tag_match: 'any' }), ['b', 'c']);
    assert.deepEqual(await rawList(`tag.present=important&tag.exact=owner:ops&tag_match=any&name=d.${zone.name}`), []);
    assert.deepEqual(await rawList(`tag.present=important&tag.exact=owner:ops&tag_match=any&name=d.${zone.name}&match=any`), ['b', 'c', 'd']);
    for (const bad of ['tag.exact=novalue', 'tag.contains=:x', 'tag_match=some', 'tag.present=']) {
      const res = await get(`/zones/${zone.id}/dns_records?${bad}`);
      assert.equal(res.status, 400, `${bad}: ${res.text}`);
      assert.equal(res.body.errors[0].code, 1004, bad);
    }
  });

  test('search finds text in the name, content, comment or tags, and narrows under match=any too', async () => {
    assert.deepEqual(await list({ search: `C.${zone.name.toUpperCase()}` }), ['c'], 'name');
    assert.deepEqual(await list({ search: 'text of d' }), ['d'], 'content');
    assert.deepEqual(await list({ search: 'dns team' }), ['b'], 'comment');
    assert.deepEqual(await list({ search: 'ops' }), ['c'], 'a tag');
    assert.deepEqual(await list({ search: 'dns' }), ['a', 'b']);
    assert.deepEqual(await rawList(`search=dns&match=any&name=d.${zone.name}`), [], 'search is not OR-ed in');
    assert.deepEqual(await rawList(`search=dns&match=any&name=a.${zone.name}&tag=important`), ['a', 'b']);
  });
});

describe('DNS records: 1,000 records, pagination, order and filters', () => {
  let zone;
  const N = 1000;
  const made = new Map();
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'dns-many');
    const batch = 25;
    for (let i = 0; i < N; i += batch) {
      const rs = await Promise.all(
        Array.from({ length: Math.min(batch, N - i) }, (_, j) => {
          const k = i + j;
          const name = `r${String(k).padStart(4, '0')}`;
          // Every tenth an A record (proxied every twentieth), the rest TXT.
          return k % 10 === 0
            ? admin.dns.records.create({ zone_id: zone.id, type: 'A', name, content: `198.51.100.${k / 10}`, ttl: 60 + k, proxied: k % 20 === 0 })
            : admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name, content: `value-${k}`, ttl: 60 + k });
        }),
      );
      for (const r of rs) made.set(r.id, r);
    }
  });

  test('for await over list({per_page: 100}) yields each record exactly once', async () => {
    const seen = await collect(admin.dns.records.list({ zone_id: zone.id, per_page: 100 }), 2 * N);
    assert.equal(seen.length, N);
    const ids = new Set(seen.map((r) => r.id));
    assert.equal(ids.size, N, 'no record twice');
    for (const id of made.keys()) assert.ok(ids.has(id), `record ${id} missing`);
  });

  test('page 2 as curl asks for it: result_info totals add up', async () => {
    const res = await get(`/zones/${zone.id}/dns_records?per_page=100&page=2`);
    const rows = assertOk(res);
    assert.equal(rows.length, 100);
    const ri = res.body.result_info;
    assert.deepEqual(ri, { page: 2, per_page: 100, count: 100, total_count: N, total_pages: 10 });
    const past = await get(`/zones/${zone.id}/dns_records?per_page=100&page=11`);
    assert.deepEqual(assertOk(past), []);
    // Pages whose start overflows 64 bits (found in review: the offset went negative) are empty.
    for (const q of ['per_page=1024&page=18014398509481983', 'per_page=4194304&page=4398046511104', 'per_page=5000000&page=999999999999999999']) {
      const far = await get(`/zones/${zone.id}/dns_records?${q}`);
      assert.deepEqual(assertOk(far), [], q);
      assert.equal(far.body.result_info.total_count, N, q);
    }
  });

  test('default order is by type; order and direction sort by name, ttl, content', async () => {
    const all = await collect(admin.dns.records.list({ zone_id: zone.id, per_page: 500 }), 2 * N);
    const types = all.map((r) => r.type);
    assert.deepEqual(types, [...types].sort(), 'type order (A before TXT)');
    const byName = assertOk(await get(`/zones/${zone.id}/dns_records?order=name&direction=desc&per_page=5`));
    assert.deepEqual(byName.map((r) => r.name), ['r0999', 'r0998', 'r0997', 'r0996', 'r0995'].map((n) => `${n}.${zone.name}`));
    const byTtl = assertOk(await get(`/zones/${zone.id}/dns_records?order=ttl&per_page=3`));
    assert.deepEqual(byTtl.map((r) => r.ttl), [60, 61, 62]);
    const byContent = assertOk(await get(`/zones/${zone.id}/dns_records?order=content&direction=asc&per_page=2`));
    assert.deepEqual(byContent.map((r) => r.content), ['198.51.100.0', '198.51.100.1'], 'text order');
    const badOrder = await get(`/zones/${zone.id}/dns_records?order=weight`);
    assert.equal(badOrder.status, 400);
  });

  test('filters: type, plain and dotted name, content, proxied, match=any', async () => {
    const as = await collect(admin.dns.records.list({ zone_id: zone.id, type: 'A', per_page: 100 }), N);
    assert.equal(as.length, N / 10);
    const exact = assertOk(await get(`/zones/${zone.id}/dns_records?name=r0042.${zone.name}`));
    assert.deepEqual(exact.map((r) => r.name), [`r0042.${zone.name}`]);
    const sdkExact = await collect(admin.dns.records.list({ zone_id: zone.id, name: { exact: `R0042.${zone.name}` } }));
    assert.deepEqual(sdkExact.map((r) => r.id), exact.map((r) => r.id), 'name.exact, case-insensitive');
    const starts = await collect(admin.dns.records.list({ zone_id: zone.id, name: { startswith: 'r012' }, per_page: 100 }), N);
    assert.equal(starts.length, 10);
    const contains = await collect(admin.dns.records.list({ zone_id: zone.id, content: { contains: 'value-99' }, per_page: 100 }), N);
    assert.deepEqual(contains.map((r) => r.content).sort(), ['value-99', 'value-991', 'value-992', 'value-993', 'value-994', 'value-995', 'value-996', 'value-997', 'value-998', 'value-999']);
    const proxied = await collect(admin.dns.records.list({ zone_id: zone.id, proxied: true, per_page: 100 }), N);
    assert.equal(proxied.length, N / 20);
    assert.ok(proxied.every((r) => r.proxied));
    const any = assertOk(await get(`/zones/${zone.id}/dns_records?match=any&name=r0001.${zone.name}&content=value-2&per_page=50`));
    assert.deepEqual(any.map((r) => r.name).sort(), [`r0001.${zone.name}`, `r0002.${zone.name}`]);
    const all = assertOk(await get(`/zones/${zone.id}/dns_records?match=all&name=r0001.${zone.name}&content=value-2`));
    assert.deepEqual(all, []);
    const like = assertOk(await get(`/zones/${zone.id}/dns_records?name.contains=%25`));
    assert.deepEqual(like, [], '% is a character, not a wildcard');
  });
});

describe('DNS records: permissions', () => {
  let zone;
  let other;
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'dns-perm');
    other = await createZone(admin, cleanup, A, 'dns-perm-other');
    await admin.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'seen', content: 'x' });
  });
  const denied = (p) => expectApiError(p, 403, NO_PERMISSION_CODES);

  test('DNS Read on one zone: list and get there, nothing else', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.DNS_READ], { [zoneRes(zone.id)]: '*' })] });
    const c = tokenClient(srv.apiBase, t.value);
    const rows = await collect(c.dns.records.list({ zone_id: zone.id }));
    assert.equal(rows.length, 1);
    await c.dns.records.get(rows[0].id, { zone_id: zone.id });
    await denied(c.dns.records.create({ zone_id: zone.id, type: 'TXT', name: 'no', content: 'x' }));
    await denied(c.dns.records.delete(rows[0].id, { zone_id: zone.id }));
    await denied(c.dns.records.list({ zone_id: other.id }).then((p) => p.result));
  });

  test('the seeds\' "Edit zone DNS" grant: DNS Write on the chosen zone only', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.DNS_WRITE], { [zoneRes(zone.id)]: '*' })] });
    const c = tokenClient(srv.apiBase, t.value);
    const r = await c.dns.records.create({ zone_id: zone.id, type: 'A', name: 'edit', content: '192.0.2.55' });
    await c.dns.records.edit(r.id, { zone_id: zone.id, content: '192.0.2.56' });
    await c.dns.records.delete(r.id, { zone_id: zone.id });
    await denied(c.dns.records.create({ zone_id: other.id, type: 'A', name: 'edit', content: '192.0.2.55' }));
    await denied(c.zones.edit({ zone_id: zone.id, paused: true }));
  });
});

describe('DNS records: BIND export and import', () => {
  let from;
  let to;
  before(async () => {
    from = await createZone(admin, cleanup, A, 'dns-export');
    to = await createZone(admin, cleanup, A, 'dns-import');
    const z = from.id;
    await admin.dns.records.create({ zone_id: z, type: 'A', name: '@', content: '192.0.2.1', proxied: true, ttl: 1 });
    await admin.dns.records.create({ zone_id: z, type: 'CNAME', name: 'www', content: from.name, ttl: 300 });
    await admin.dns.records.create({ zone_id: z, type: 'MX', name: '@', content: 'mx.example.net', priority: 5, ttl: 3600 });
    await admin.dns.records.create({ zone_id: z, type: 'TXT', name: '@', content: `v=spf1 ${'x'.repeat(300)} "q" ~all`, ttl: 600 });
    await admin.dns.records.create({ zone_id: z, type: 'SRV', name: '_sip._tcp', data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.net' } });
    await admin.dns.records.create({ zone_id: z, type: 'CAA', name: '@', data: { flags: 0, tag: 'issue', value: 'letsencrypt.org' } });
    await admin.dns.records.create({ zone_id: z, type: 'LOC', name: 'office', data: { lat_degrees: 31, lat_minutes: 58, lat_seconds: 52.1, lat_direction: 'S', long_degrees: 115, long_minutes: 49, long_seconds: 11.7, long_direction: 'E', altitude: -20.5, size: 10, precision_horz: 10, precision_vert: 2 } });
    await admin.dns.records.create({ zone_id: z, type: 'OPENPGPKEY', name: 'key._openpgpkey', content: 'mDMEZ2Vx9hYJKwYBBAHaRw8BAQdAoU0QH3xqyUOD2DLvBChgqa8LTC8pGnScmsT+rEbN7Ce0' });
  });

  const shape = (r) => ({ type: r.type, name: r.name.slice(0, -(r.zone_name.length)), content: r.content.replaceAll(r.zone_name, 'ZONE'), ttl: r.ttl, proxied: r.proxied, priority: r.priority ?? null });
  const sorted = (rs) => rs.map(shape).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

  test('export is a BIND file; importing it elsewhere recreates the same records', async () => {
    const text = await admin.dns.records.export({ zone_id: from.id });
    assert.equal(typeof text, 'string');
    assert.match(text, new RegExp(`^${from.name.replaceAll('.', '\\.')}\\.\\t1\\tIN\\tA\\t192\\.0\\.2\\.1 ; cf_tags=cf-proxied:true$`, 'm'));
    assert.match(text, /\tIN\tSOA\t/);
    const res = await raw(srv.apiBase, 'GET', `/zones/${from.id}/dns_records/export`, { token: B.api_token });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain/);

    const zoneFile = text.replaceAll(`${from.name}.`, `${to.name}.`);
    const done = await admin.dns.records.import({ zone_id: to.id, file: await Cloudflare.toFile(Buffer.from(zoneFile), 'zone.txt') });
    assert.deepEqual(done, { recs_added: 8, total_records_parsed: 8 });
    assert.match(text, /\tIN\tLOC\t31 58 52\.100 S 115 49 11\.700 E -20\.50 10\.00 10\.00 2\.00$/m);
    const a = await collect(admin.dns.records.list({ zone_id: from.id }));
    const b = await collect(admin.dns.records.list({ zone_id: to.id }));
    assert.deepEqual(sorted(b), sorted(a));
    // Importing again adds nothing: every record is identical to one already there.
    const again = await admin.dns.records.import({ zone_id: to.id, file: await Cloudflare.toFile(Buffer.from(zoneFile), 'zone.txt') });
    assert.deepEqual(again, { recs_added: 0, total_records_parsed: 8 });
  });

  test('import: proxied=true proxies what can be; a malformed file is refused whole, naming its line', async () => {
    const zone = await createZone(admin, cleanup, A, 'dns-import2');
    const file = `$ORIGIN ${zone.name}.\n$TTL 3600\n@ IN A 192.0.2.7\ntxt IN TXT "hello"\nother.invalid. IN A 192.0.2.8\n`;
    const done = await admin.dns.records.import({ zone_id: zone.id, file: await Cloudflare.toFile(Buffer.from(file), 'z.txt'), proxied: true });
    assert.deepEqual(done, { recs_added: 2, total_records_parsed: 3 }, 'a record outside the zone is skipped');
    const rows = await collect(admin.dns.records.list({ zone_id: zone.id }));
    assert.equal(rows.find((r) => r.type === 'A').proxied, true);
    assert.equal(rows.find((r) => r.type === 'TXT').proxied, false);
    assert.equal(rows.find((r) => r.type === 'A').ttl, 3600);
    const err = await expectApiError(admin.dns.records.import({ zone_id: zone.id, file: await Cloudflare.toFile(Buffer.from('ok IN A 192.0.2.1\nbad IN A\n'), 'z.txt') }), 400, [1004]);
    assert.match(JSON.stringify(err.errors), /line 2/);
    assert.equal((await collect(admin.dns.records.list({ zone_id: zone.id }))).length, 2, 'nothing of the bad file was added');
    await expectApiError(admin.dns.records.import({ zone_id: zone.id, proxied: true }), 400);
  });
});

describe('SSL/TLS certificate packs', () => {
  let zone;
  before(async () => {
    zone = await createZone(admin, cleanup, A, 'ssl');
  });

  test('a pending zone has a universal pack pending validation; active once the zone is', async () => {
    const pending = await collect(admin.ssl.certificatePacks.list({ zone_id: zone.id, status: 'all' }));
    assert.equal(pending.length, 1);
    assert.equal(pending[0].type, 'universal');
    assert.equal(pending[0].status, 'pending_validation');
    assert.deepEqual(await collect(admin.ssl.certificatePacks.list({ zone_id: zone.id })), [], 'without status=all: active packs only');
    await admin.zones.activationCheck.trigger({ zone_id: zone.id });
    const active = await collect(admin.ssl.certificatePacks.list({ zone_id: zone.id }));
    assert.equal(active.length, 1);
    assert.equal(active[0].id, pending[0].id, 'the same pack, now active');
    assert.equal(active[0].status, 'active');
    assert.equal(active[0].certificates[0].status, 'active');
    const one = await admin.ssl.certificatePacks.get(active[0].id, { zone_id: zone.id });
    assert.equal(one.id, active[0].id);
  });

  test('order an advanced pack: issued with its hosts; refusals name the field; delete', async () => {
    const pack = await admin.ssl.certificatePacks.create({
      zone_id: zone.id, type: 'advanced', hosts: [zone.name, `*.${zone.name}`, `api.${zone.name}`],
      validation_method: 'txt', validity_days: 30, certificate_authority: 'google', cloudflare_branding: false,
    });
    assert.equal(pack.type, 'advanced');
    assert.equal(pack.validity_days, 30);
    assert.equal(pack.certificate_authority, 'google');
    assert.deepEqual(pack.certificates[0].hosts, [zone.name, `*.${zone.name}`, `api.${zone.name}`]);
    const days = (Date.parse(pack.certificates[0].expires_on) - Date.parse(pack.certificates[0].uploaded_on)) / 86400e3;
    assert.ok(days > 29.9 && days <= 30, `validity ${days} days`);
    for (const [body, word] of [
      [{ hosts: ['other.example'] }, 'hosts'],
      [{ validity_days: 31 }, 'validity_days'],
      [{ validation_method: 'dns' }, 'validation_method'],
      [{ certificate_authority: 'digicert' }, 'certificate_authority'],
      [{ type: 'universal' }, 'type'],
    ]) {
      const err = await expectApiError(admin.ssl.certificatePacks.create({
        zone_id: zone.id, type: 'advanced', hosts: [zone.name], validation_method: 'txt', validity_days: 90, certificate_authority: 'lets_encrypt', ...body,
      }), 400);
      assert.match(JSON.stringify(err.errors), new RegExp(word));
    }
    const all = await collect(admin.ssl.certificatePacks.list({ zone_id: zone.id, status: 'all' }));
    assert.equal(all.length, 2);
    const universal = all.find((p) => p.type === 'universal');
    await expectApiError(admin.ssl.certificatePacks.delete(universal.id, { zone_id: zone.id }), 400);
    await admin.ssl.certificatePacks.delete(pack.id, { zone_id: zone.id });
    await expectApiError(admin.ssl.certificatePacks.get(pack.id, { zone_id: zone.id }), 404);
  });

  test('SSL Read on the zone lists packs but cannot order; DNS Write cannot read them', async () => {
    const read = tokenClient(srv.apiBase, (await createUserToken(admin, cleanup, { policies: [allow([PG.SSL_READ], { [zoneRes(zone.id)]: '*' })] })).value);
    assert.ok((await collect(read.ssl.certificatePacks.list({ zone_id: zone.id, status: 'all' }))).length >= 1);
    await expectApiError(read.ssl.certificatePacks.create({ zone_id: zone.id, type: 'advanced', hosts: [zone.name], validation_method: 'txt', validity_days: 90, certificate_authority: 'lets_encrypt' }), 403, NO_PERMISSION_CODES);
    const dns = tokenClient(srv.apiBase, (await createUserToken(admin, cleanup, { policies: [allow([PG.DNS_WRITE], { [zoneRes(zone.id)]: '*' })] })).value);
    await expectApiError(dns.ssl.certificatePacks.list({ zone_id: zone.id }).then((p) => p.result), 403, NO_PERMISSION_CODES);
  });
});
