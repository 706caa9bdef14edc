// /user, /accounts, /memberships and /zones through the SDK (bootstrap token), plus raw checks of
// the list envelopes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cleanup,
  HEX32,
  assertFail,
  assertOk,
  collect,
  expectApiError,
  randHex,
  raw,
  recordingFetch,
  tokenClient,
  uniqueZoneName,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, A);
after(() => cleanup.run());

const get = (p) => raw(srv.apiBase, 'GET', p, { token: B.api_token });

function assertResultInfo(ri, { page, per_page, count, total_count }) {
  assert.ok(ri && typeof ri === 'object', 'result_info missing');
  if (page !== undefined) assert.equal(ri.page, page);
  if (per_page !== undefined) assert.equal(ri.per_page, per_page);
  if (count !== undefined) assert.equal(ri.count, count);
  if (total_count !== undefined) assert.equal(ri.total_count, total_count);
  for (const k of ['page', 'per_page', 'count', 'total_count']) assert.equal(typeof ri[k], 'number', `result_info.${k}`);
  if ('total_pages' in ri) assert.equal(ri.total_pages, Math.ceil(ri.total_count / ri.per_page));
}

describe('envelope everywhere', () => {
  test('unknown route and unsupported method: 4xx JSON envelope', async () => {
    assertFail(await get('/no/such/route'), '4xx');
    assertFail(await raw(srv.apiBase, 'POST', '/user', { token: B.api_token, json: {} }), '4xx');
    assertFail(await raw(srv.apiBase, 'DELETE', '/accounts', { token: B.api_token }), '4xx');
  });
});

describe('user', () => {
  test('user.get returns the bootstrap user', async () => {
    const u = await admin.user.get();
    assert.equal(u.id, B.user_id);
    assert.match(u.id, HEX32);
    assert.equal(u.email, B.email);
  });

  test('user.edit changes only the fields sent (PATCH)', async () => {
    const orig = await admin.user.get();
    try {
      const e1 = await admin.user.edit({ first_name: 'Ada', last_name: 'Lovelace', country: 'GB' });
      assert.equal(e1.first_name, 'Ada');
      assert.equal(e1.last_name, 'Lovelace');
      assert.equal(e1.country, 'GB');
      assert.equal(e1.id, B.user_id);
      assert.equal(e1.email, B.email);
      const e2 = await admin.user.edit({ telephone: '+44 20 7946 0000' });
      assert.equal(e2.telephone, '+44 20 7946 0000');
      assert.equal(e2.first_name, 'Ada', 'a PATCH of telephone must keep first_name');
      const u = await admin.user.get();
      assert.equal(u.first_name, 'Ada');
      assert.equal(u.telephone, '+44 20 7946 0000');
    } finally {
      await admin.user.edit({
        first_name: orig.first_name ?? null,
        last_name: orig.last_name ?? null,
        country: orig.country ?? null,
        telephone: orig.telephone ?? null,
      });
    }
    const back = await admin.user.get();
    assert.equal(back.first_name ?? null, orig.first_name ?? null);
  });

  test('user.edit rejects over-long fields', async () => {
    await expectApiError(admin.user.edit({ first_name: 'x'.repeat(61) }), 400);
  });

  test('the email cannot be changed through PATCH /user', async () => {
    const res = await raw(srv.apiBase, 'PATCH', '/user', { token: B.api_token, json: { email: 'evil@example.com' } });
    assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `HTTP ${res.status}`);
    assert.equal((await admin.user.get()).email, B.email);
  });
});

describe('accounts', () => {
  test('accounts.list includes the bootstrap account with id, name, type', async () => {
    const list = await collect(admin.accounts.list());
    const a = list.find((x) => x.id === A);
    assert.ok(a, JSON.stringify(list));
    assert.equal(typeof a.name, 'string');
    assert.ok(['standard', 'enterprise'].includes(a.type), `type ${a.type}`);
    const res = await get('/accounts?page=1&per_page=5');
    const result = assertOk(res);
    assert.ok(Array.isArray(result));
    assertResultInfo(res.body.result_info, { page: 1, per_page: 5, count: result.length });
    const past = await get('/accounts?page=99&per_page=5');
    assert.deepEqual(assertOk(past), []);
  });

  test('accounts.list name filter', async () => {
    const a = await admin.accounts.get({ account_id: A });
    const hit = await collect(admin.accounts.list({ name: a.name }));
    assert.ok(hit.some((x) => x.id === A));
    const miss = await collect(admin.accounts.list({ name: `no-such-account-${randHex()}` }));
    assert.deepEqual(miss, []);
  });

  test('accounts.get and accounts.update (name)', async () => {
    const a = await admin.accounts.get({ account_id: A });
    assert.equal(a.id, A);
    assert.ok(['standard', 'enterprise'].includes(a.type));
    const newName = `E2E account ${randHex(6)}`;
    try {
      const upd = await admin.accounts.update({ account_id: A, id: A, name: newName, type: a.type });
      assert.equal(upd.id, A);
      assert.equal(upd.name, newName);
      assert.equal((await admin.accounts.get({ account_id: A })).name, newName);
      const ms = await collect(admin.memberships.list());
      const m = ms.find((x) => x.account && x.account.id === A);
      assert.equal(m.account.name, newName, 'membership must show the renamed account');
    } finally {
      await admin.accounts.update({ account_id: A, id: A, name: a.name, type: a.type });
    }
    assert.equal((await admin.accounts.get({ account_id: A })).name, a.name);
  });

  test('accounts.update without a name is rejected', async () => {
    await expectApiError(admin.accounts.update({ account_id: A, id: A }), 400);
  });

  test('unknown account id: 4xx envelope', async () => {
    const res = await get(`/accounts/${randHex(32)}`);
    assertFail(res, '4xx');
    await expectApiError(admin.accounts.get({ account_id: randHex(32) }), '4xx');
  });
});

describe('memberships', () => {
  test('memberships.list and memberships.get', async () => {
    const ms = await collect(admin.memberships.list());
    const m = ms.find((x) => x.account && x.account.id === A);
    assert.ok(m, JSON.stringify(ms));
    assert.match(m.id, HEX32);
    assert.equal(m.status, 'accepted');
    const one = await admin.memberships.get(m.id);
    assert.equal(one.id, m.id);
    assert.equal(one.account.id, A);
    assert.equal(one.status, 'accepted');
    const res = await get('/memberships?page=1&per_page=5');
    assertOk(res);
    assertResultInfo(res.body.result_info, { page: 1, per_page: 5 });
  });

  test('memberships.list filters by account.name and status', async () => {
    const a = await admin.accounts.get({ account_id: A });
    const hit = await collect(admin.memberships.list({ account: { name: a.name } }));
    assert.ok(hit.some((m) => m.account.id === A));
    const miss = await collect(admin.memberships.list({ account: { name: `nope-${randHex()}` } }));
    assert.deepEqual(miss, []);
    const accepted = await collect(admin.memberships.list({ status: 'accepted' }));
    assert.ok(accepted.some((m) => m.account.id === A));
    const pending = await collect(admin.memberships.list({ status: 'pending' }));
    assert.ok(!pending.some((m) => m.account.id === A));
  });

  test('unknown membership id: 4xx envelope', async () => {
    await expectApiError(admin.memberships.get(randHex(32)), '4xx');
  });
});

describe('zones', () => {
  const run = randHex(6);
  const made = [];
  before(async () => {
    // Seven zones whose names sort in a known order.
    for (const letter of 'abcdefg') {
      const name = `e2e-list-${run}-${letter}.com`;
      made.push(cleanup.zone(await admin.zones.create({ account: { id: A }, name })));
    }
  });

  test('create returns a Cloudflare-shaped zone', async () => {
    const z = made[0];
    assert.match(z.id, HEX32);
    assert.equal(z.name, `e2e-list-${run}-a.com`);
    assert.equal(z.account.id, A);
    assert.equal(typeof z.account.name, 'string');
    for (const k of ['owner', 'plan', 'meta']) assert.equal(typeof z[k], 'object', `${k}: ${JSON.stringify(z)}`);
    assert.ok(Array.isArray(z.name_servers) && z.name_servers.length > 0, 'name_servers');
    for (const k of ['activated_on', 'original_dnshost', 'original_name_servers', 'original_registrar']) {
      assert.ok(k in z, `${k} must be present (may be null)`);
    }
    assert.ok(!Number.isNaN(Date.parse(z.created_on)), 'created_on');
    assert.ok(!Number.isNaN(Date.parse(z.modified_on)), 'modified_on');
    assert.equal(typeof z.development_mode, 'number');
    assert.ok(['initializing', 'pending', 'active', 'moved'].includes(z.status), `status ${z.status}`);
    assert.equal(z.type, 'full');
    assert.equal(typeof z.paused, 'boolean');
  });

  test('edit: paused and type change and stay changed; what Nubis cannot do is refused by name', async () => {
    const id = made[2].id;
    const paused = await admin.zones.edit({ zone_id: id, paused: true });
    assert.equal(paused.id, id);
    assert.equal(paused.paused, true);
    const partial = await admin.zones.edit({ zone_id: id, type: 'partial' });
    assert.equal(partial.type, 'partial');
    assert.equal(partial.paused, true, 'an edit of one field keeps the others');
    assert.ok(Date.parse(partial.modified_on) >= Date.parse(made[2].modified_on));
    const again = await admin.zones.get({ zone_id: id });
    assert.equal(again.paused, true);
    assert.equal(again.type, 'partial');
    await admin.zones.edit({ zone_id: id, paused: false, type: 'full' });
    for (const [body, word] of [
      [{ type: 'secondary' }, 'secondary'],
      [{ type: 'bogus' }, 'type'],
      [{ vanity_name_servers: ['ns1.example.com'] }, 'vanity_name_servers'],
      [{ plan: { id: randHex(32) } }, 'plan'],
      [{ paused: 'yes' }, 'paused'],
    ]) {
      const err = await expectApiError(admin.zones.edit({ zone_id: id, ...body }), 400);
      assert.match(JSON.stringify(err.errors), new RegExp(word), JSON.stringify(err.errors));
    }
    assert.equal((await admin.zones.get({ zone_id: id })).type, 'full', 'a refused edit changes nothing');
    await expectApiError(admin.zones.edit({ zone_id: randHex(32), paused: true }), '4xx');
  });

  test('activation check: a pending zone becomes active, with activated_on', async () => {
    const id = made[4].id;
    assert.equal((await admin.zones.get({ zone_id: id })).status, 'pending');
    const res = await admin.zones.activationCheck.trigger({ zone_id: id });
    assert.equal(res.id, id);
    const z = await admin.zones.get({ zone_id: id });
    assert.equal(z.status, 'active');
    assert.ok(!Number.isNaN(Date.parse(z.activated_on)), `activated_on ${z.activated_on}`);
    // Again: still active, activated_on unchanged.
    await admin.zones.activationCheck.trigger({ zone_id: id });
    assert.equal((await admin.zones.get({ zone_id: id })).activated_on, z.activated_on);
    await expectApiError(admin.zones.activationCheck.trigger({ zone_id: randHex(32) }), '4xx');
  });

  test('get returns the same zone', async () => {
    const z = await admin.zones.get({ zone_id: made[1].id });
    assert.equal(z.id, made[1].id);
    assert.equal(z.name, made[1].name);
    assert.equal(z.account.id, A);
  });

  test('list filters: name, account.id, account.name, status', async () => {
    const byName = await collect(admin.zones.list({ name: made[2].name }));
    assert.deepEqual(byName.map((z) => z.id), [made[2].id]);
    const res = await get(`/zones?name=${made[2].name}`); // plain query as curl users write it
    assert.deepEqual(assertOk(res).map((z) => z.id), [made[2].id]);
    assertResultInfo(res.body.result_info, { page: 1, count: 1, total_count: 1 });

    const byAcct = await collect(admin.zones.list({ account: { id: A }, per_page: 50 }));
    for (const m of made) assert.ok(byAcct.some((z) => z.id === m.id), `${m.name} missing in account.id filter`);
    assert.ok(byAcct.every((z) => z.account.id === A));
    const otherAcct = await collect(admin.zones.list({ account: { id: randHex(32) } }));
    assert.deepEqual(otherAcct, []);

    const acctName = (await admin.accounts.get({ account_id: A })).name;
    const byAcctName = await collect(admin.zones.list({ account: { name: acctName }, per_page: 50 }));
    assert.ok(made.every((m) => byAcctName.some((z) => z.id === m.id)), 'account.name filter');
    const noAcctName = await collect(admin.zones.list({ account: { name: `nope-${randHex()}` } }));
    assert.deepEqual(noAcctName, []);

    const st = made[3].status;
    const sameStatus = await collect(admin.zones.list({ status: st, per_page: 50 }));
    assert.ok(sameStatus.some((z) => z.id === made[3].id));
    assert.ok(sameStatus.every((z) => z.status === st));
    const other = st === 'active' ? 'pending' : 'active';
    const otherStatus = await collect(admin.zones.list({ status: other, per_page: 50 }));
    assert.ok(!otherStatus.some((z) => z.id === made[3].id));
    assert.ok(otherStatus.every((z) => z.status === other));
  });

  test('name filter operators: contains:, starts_with:, ends_with:', async () => {
    const expected = made.map((z) => z.id).sort();
    const contains = await collect(admin.zones.list({ name: `contains:-${run}-`, per_page: 50 }));
    assert.deepEqual(contains.map((z) => z.id).sort(), expected);
    const starts = await collect(admin.zones.list({ name: `starts_with:e2e-list-${run}`, per_page: 50 }));
    assert.deepEqual(starts.map((z) => z.id).sort(), expected);
    const ends = await collect(admin.zones.list({ name: `ends_with:${run}-g.com`, per_page: 50 }));
    assert.deepEqual(ends.map((z) => z.id), [made[6].id]);
  });

  test('pagination: for await at per_page 5 and result_info', async () => {
    const total = assertOk(await get(`/zones?account.id=${A}&per_page=50`)).length;
    const first = await get(`/zones?account.id=${A}&per_page=50`);
    assert.equal(first.body.result_info.total_count, total);
    assert.ok(total >= 7);
    const log = [];
    const c = tokenClient(srv.apiBase, B.api_token, { fetch: recordingFetch(log) });
    const items = await collect(c.zones.list({ account: { id: A }, per_page: 5 }), 200);
    const ids = items.map((z) => z.id);
    assert.equal(ids.length, total);
    assert.equal(new Set(ids).size, total, 'duplicates across pages');
    assert.equal(log.length, Math.ceil(total / 5) + 1, log.map((l) => l.url).join(' '));
    const p1 = await get(`/zones?account.id=${A}&per_page=5&page=1`);
    assert.equal(assertOk(p1).length, 5);
    assertResultInfo(p1.body.result_info, { page: 1, per_page: 5, count: 5, total_count: total });
    const p2 = await get(`/zones?account.id=${A}&per_page=5&page=2`);
    assertResultInfo(p2.body.result_info, { page: 2, per_page: 5, count: Math.min(5, total - 5), total_count: total });
    const p1ids = p1.body.result.map((z) => z.id);
    assert.ok(p2.body.result.every((z) => !p1ids.includes(z.id)), 'page 2 repeats page 1');
    const past = await get(`/zones?account.id=${A}&per_page=5&page=${Math.ceil(total / 5) + 2}`);
    assert.deepEqual(assertOk(past), []);
  });

  test('order=name with direction asc / desc', async () => {
    const mine = (list) => list.filter((z) => z.name.startsWith(`e2e-list-${run}-`)).map((z) => z.name);
    const expected = made.map((z) => z.name);
    const asc = await collect(admin.zones.list({ order: 'name', direction: 'asc', per_page: 50 }));
    assert.deepEqual(mine(asc), expected);
    const names = asc.map((z) => z.name);
    assert.deepEqual(names, names.slice().sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), 'asc not sorted');
    const desc = await collect(admin.zones.list({ order: 'name', direction: 'desc', per_page: 50 }));
    assert.deepEqual(mine(desc), expected.slice().reverse());
  });

  test('duplicate zone name: 400 code 1061, no retries', async () => {
    const log = [];
    const c = tokenClient(srv.apiBase, B.api_token, { fetch: recordingFetch(log), maxRetries: 2 });
    const err = await expectApiError(c.zones.create({ account: { id: A }, name: made[0].name }), 400, 1061);
    assert.match(err.errors[0].message, new RegExp(made[0].name.replace(/\./g, '\\.')));
    assert.equal(log.length, 1, 'a 400 must not be retried');
    const same = await collect(admin.zones.list({ name: made[0].name }));
    assert.equal(same.length, 1);
  });

  test('racing creates of one name: exactly one zone, the others 400 / 1061', async () => {
    const name = uniqueZoneName('race');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => admin.zones.create({ account: { id: A }, name })),
    );
    const won = results.filter((r) => r.status === 'fulfilled').map((r) => cleanup.zone(r.value));
    assert.equal(won.length, 1, `winners: ${JSON.stringify(won.map((z) => z.id))}`);
    for (const r of results.filter((x) => x.status === 'rejected')) {
      assert.equal(r.reason.status, 400, String(r.reason));
      assert.equal(r.reason.errors[0].code, 1061, String(r.reason));
    }
    assert.deepEqual((await collect(admin.zones.list({ name }))).map((z) => z.id), [won[0].id]);
  });

  test('invalid zone name and unknown account are rejected', async () => {
    await expectApiError(admin.zones.create({ account: { id: A }, name: 'not a domain' }), 400);
    const ghost = uniqueZoneName('ghost');
    await expectApiError(admin.zones.create({ account: { id: randHex(32) }, name: ghost }), '4xx');
    assert.deepEqual(await collect(admin.zones.list({ name: ghost })), []);
    await expectApiError(admin.zones.create({ name: uniqueZoneName('noacct') }), 400);
  });

  test('get of an unknown zone id: 4xx JSON envelope', async () => {
    const res = await get(`/zones/${randHex(32)}`);
    assertFail(res, '4xx');
    await expectApiError(admin.zones.get({ zone_id: randHex(32) }), '4xx');
    const bad = await get('/zones/not-a-zone-id');
    assertFail(bad, '4xx');
  });

  test('delete returns {id}; the zone is gone', async () => {
    const z = cleanup.zone(await admin.zones.create({ account: { id: A }, name: uniqueZoneName('del') }));
    assert.deepEqual(await admin.zones.delete({ zone_id: z.id }), { id: z.id });
    cleanup.zones.delete(z.id);
    await expectApiError(admin.zones.get({ zone_id: z.id }), '4xx');
    assert.deepEqual(await collect(admin.zones.list({ name: z.name })), []);
    await expectApiError(admin.zones.delete({ zone_id: z.id }), '4xx');
    // The name is free again.
    const again = cleanup.zone(await admin.zones.create({ account: { id: A }, name: z.name }));
    assert.notEqual(again.id, z.id);
  });

  test('raw DELETE answers 200 with an envelope', async () => {
    const z = cleanup.zone(await admin.zones.create({ account: { id: A }, name: uniqueZoneName('rawdel') }));
    const res = await raw(srv.apiBase, 'DELETE', `/zones/${z.id}`, { token: B.api_token });
    assert.deepEqual(assertOk(res), { id: z.id });
    cleanup.zones.delete(z.id);
  });
});
