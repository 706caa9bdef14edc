// API tokens end to end with the official SDK: lifecycle, pagination, roll, verify, TTL, IP
// conditions, permission groups and account-owned tokens.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer, sharedFetch } from './lib/server.mjs';
import {
  Cleanup,
  HEX32,
  PG,
  SCOPE,
  accountRes,
  allAccountsRes,
  allZonesRes,
  allow,
  assertFail,
  assertOk,
  bogusTokenSecret,
  collect,
  createUserToken,
  createZone,
  expectApiError,
  ipCondition,
  raw,
  recordingFetch,
  rfc3339,
  sleep,
  tokenClient,
  uniqueName,
  userRes,
  zoneRes,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
let zoneA;
let zoneB;

before(async () => {
  zoneA = await createZone(admin, cleanup, B.account_id, 'tok-a');
  zoneB = await createZone(admin, cleanup, B.account_id, 'tok-b');
});
after(() => cleanup.run());

const SECRET_RE = /^[A-Za-z0-9_-]{40,}$/;
const VERIFY_MESSAGE = { code: 10000, message: 'This API Token is valid and active', type: null };

// DNS Write on one zone, plus Zone Read on it so the token has something to call in this milestone.
const zoneDnsPolicies = (zoneId) => [allow([PG.DNS_WRITE, PG.ZONE_READ], { [zoneRes(zoneId)]: '*' })];
const zoneReadPolicies = (zoneId) => [allow([PG.ZONE_READ], { [zoneRes(zoneId)]: '*' })];

function assertDate(value, what) {
  assert.equal(typeof value, 'string', `${what} must be a string, got ${JSON.stringify(value)}`);
  assert.ok(!Number.isNaN(Date.parse(value)), `${what} must be an RFC 3339 date, got ${value}`);
}

// The token may verify and may read the zone.
async function assertUsable(secret, zoneId, extra = {}) {
  const c = tokenClient(srv.apiBase, secret, extra);
  const v = await c.user.tokens.verify();
  assert.equal(v.status, 'active');
  if (zoneId) {
    const z = await c.zones.get({ zone_id: zoneId });
    assert.equal(z.id, zoneId);
  }
  return v;
}

// The token is refused as a credential: 401/1000 on verify, 403/9109 elsewhere.
async function assertRefusedCredential(secret, zoneId) {
  const c = tokenClient(srv.apiBase, secret);
  const err = await expectApiError(c.user.tokens.verify(), 401, 1000);
  assert.equal(err.errors[0].message, 'Invalid API Token');
  if (zoneId) await expectApiError(c.zones.get({ zone_id: zoneId }), 403, 9109);
}

function policyGroupIds(policy) {
  return policy.permission_groups.map((g) => g.id).sort();
}

describe('token lifecycle', () => {
  test('create returns the token with its secret, policies on one zone', async () => {
    const name = uniqueName('e2e-life');
    const t = await createUserToken(admin, cleanup, { name, policies: zoneDnsPolicies(zoneA.id) });
    assert.match(t.id, HEX32);
    assert.equal(t.name, name);
    assert.equal(t.status, 'active');
    assert.match(t.value, SECRET_RE);
    assertDate(t.issued_on, 'issued_on');
    assertDate(t.modified_on, 'modified_on');
    assert.ok(Math.abs(Date.parse(t.issued_on) - Date.now()) < 5 * 60_000, `issued_on ${t.issued_on} is not now`);
    assert.equal(t.policies.length, 1);
    const p = t.policies[0];
    assert.match(p.id, HEX32);
    assert.equal(p.effect, 'allow');
    assert.deepEqual(policyGroupIds(p), [PG.DNS_WRITE, PG.ZONE_READ].sort());
    const names = Object.fromEntries(p.permission_groups.map((g) => [g.id, g.name]));
    assert.equal(names[PG.DNS_WRITE], 'DNS Write');
    assert.equal(names[PG.ZONE_READ], 'Zone Read');
    assert.deepEqual(p.resources, { [zoneRes(zoneA.id)]: '*' });
    await assertUsable(t.value, zoneA.id);
  });

  test('the secret is shown once: absent from get, list and update responses', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneDnsPolicies(zoneA.id) });
    const got = await admin.user.tokens.get(t.id);
    assert.equal(got.id, t.id);
    assert.equal(got.name, t.name);
    assert.equal(got.status, 'active');
    assert.ok(!('value' in got), `get exposes the secret: ${JSON.stringify(got)}`);
    assert.deepEqual(got.policies, t.policies);
    const page = await admin.user.tokens.list({ per_page: 50 });
    const listed = page.result.find((x) => x.id === t.id);
    assert.ok(listed, 'new token missing from the list');
    for (const item of page.result) assert.ok(!('value' in item), `list exposes a secret: ${JSON.stringify(item)}`);
    assert.ok(!JSON.stringify(page.result).includes(t.value), 'the secret appears somewhere in the list');
    const upd = await admin.user.tokens.update(t.id, { name: t.name, policies: zoneDnsPolicies(zoneA.id) });
    assert.ok(!('value' in upd), `update exposes the secret: ${JSON.stringify(upd)}`);
    const rawGet = await raw(srv.apiBase, 'GET', `/user/tokens/${t.id}`, { token: B.api_token });
    assertOk(rawGet);
    assert.ok(!rawGet.text.includes(t.value), 'raw GET body contains the secret');
  });

  test('get / update / delete of an unknown token id are 4xx envelopes', async () => {
    const id = '0123456789abcdef0123456789abcdef';
    await expectApiError(admin.user.tokens.get(id), '4xx');
    await expectApiError(admin.user.tokens.update(id, { name: 'x', policies: zoneReadPolicies(zoneA.id) }), '4xx');
    await expectApiError(admin.user.tokens.delete(id), '4xx');
  });

  test('update (PUT) is a full replacement', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: zoneDnsPolicies(zoneA.id),
      condition: { request_ip: { in: ['10.0.0.0/8'] } },
    });
    assert.deepEqual(ipCondition(t)?.in, ['10.0.0.0/8'], `create must echo the condition: ${JSON.stringify(t)}`);
    await sleep(1100); // so modified_on can move on a seconds-precision clock
    const newName = uniqueName('e2e-renamed');
    const upd = await admin.user.tokens.update(t.id, { name: newName, policies: zoneReadPolicies(zoneB.id) });
    assert.equal(upd.id, t.id);
    assert.equal(upd.name, newName);
    assert.equal(upd.status, 'active');
    assert.equal(upd.policies.length, 1);
    assert.deepEqual(policyGroupIds(upd.policies[0]), [PG.ZONE_READ]);
    assert.deepEqual(upd.policies[0].resources, { [zoneRes(zoneB.id)]: '*' });
    const cond = ipCondition(upd);
    assert.ok(
      cond === undefined || ((cond.in ?? []).length === 0 && (cond.not_in ?? []).length === 0),
      `a PUT without condition must drop the old condition, got ${JSON.stringify(upd.condition)}`,
    );
    assert.ok(Date.parse(upd.modified_on) > Date.parse(t.modified_on), 'modified_on did not advance');
    assert.equal(Date.parse(upd.issued_on), Date.parse(t.issued_on), 'issued_on must not change');
    const got = await admin.user.tokens.get(t.id);
    assert.equal(got.name, newName);
    assert.deepEqual(got.policies, upd.policies);
    // The replacement took effect: the secret still works, now for zone B and no longer zone A.
    const c = tokenClient(srv.apiBase, t.value);
    assert.equal((await c.zones.get({ zone_id: zoneB.id })).id, zoneB.id);
    await expectApiError(c.zones.get({ zone_id: zoneA.id }), 403, [10000, 9109]);
  });

  test('update without name or policies is rejected (both are required)', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    await expectApiError(admin.user.tokens.update(t.id, { policies: zoneReadPolicies(zoneA.id) }), 400);
    await expectApiError(admin.user.tokens.update(t.id, { name: 'no-policies' }), 400);
    const got = await admin.user.tokens.get(t.id);
    assert.equal(got.name, t.name, 'a rejected update must not change the token');
  });

  test('disabled token is refused, re-enabled token works again', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    await assertUsable(t.value, zoneA.id);
    const off = await admin.user.tokens.update(t.id, {
      name: t.name,
      policies: zoneReadPolicies(zoneA.id),
      status: 'disabled',
    });
    assert.equal(off.status, 'disabled');
    assert.equal((await admin.user.tokens.get(t.id)).status, 'disabled');
    await assertRefusedCredential(t.value, zoneA.id);
    const on = await admin.user.tokens.update(t.id, {
      name: t.name,
      policies: zoneReadPolicies(zoneA.id),
      status: 'active',
    });
    assert.equal(on.status, 'active');
    await assertUsable(t.value, zoneA.id);
  });

  test('roll: new secret works, old one is refused at once, id and policies unchanged', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneDnsPolicies(zoneA.id) });
    await assertUsable(t.value, zoneA.id);
    const fresh = await admin.user.tokens.value.update(t.id); // PUT with no body
    assert.equal(typeof fresh, 'string', `roll must return the bare secret string, got ${JSON.stringify(fresh)}`);
    assert.match(fresh, SECRET_RE);
    assert.notEqual(fresh, t.value);
    await assertRefusedCredential(t.value, zoneA.id);
    const v = await assertUsable(fresh, zoneA.id);
    assert.equal(v.id, t.id);
    const got = await admin.user.tokens.get(t.id);
    assert.equal(got.id, t.id);
    assert.equal(got.name, t.name);
    assert.deepEqual(got.policies, t.policies);
    assert.ok(!('value' in got));
  });

  test('roll over raw HTTP: empty body and {} body', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    const r1 = await raw(srv.apiBase, 'PUT', `/user/tokens/${t.id}/value`, { token: B.api_token });
    const s1 = assertOk(r1);
    assert.equal(typeof s1, 'string');
    assert.match(s1, SECRET_RE);
    const r2 = await raw(srv.apiBase, 'PUT', `/user/tokens/${t.id}/value`, { token: B.api_token, json: {} });
    const s2 = assertOk(r2);
    assert.equal(typeof s2, 'string');
    assert.notEqual(s1, s2);
    await assertRefusedCredential(s1);
    await assertUsable(s2, zoneA.id);
  });

  test('delete returns {id}; the token is gone and its secret refused', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    const del = await admin.user.tokens.delete(t.id);
    assert.deepEqual(del, { id: t.id });
    await expectApiError(admin.user.tokens.get(t.id), '4xx');
    const all = await collect(admin.user.tokens.list({ per_page: 50 }));
    assert.ok(!all.some((x) => x.id === t.id), 'deleted token still listed');
    await assertRefusedCredential(t.value, zoneA.id);
    await expectApiError(admin.user.tokens.delete(t.id), '4xx');
  });

  test('raw DELETE answers 200 with a JSON envelope, never 204', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    const res = await raw(srv.apiBase, 'DELETE', `/user/tokens/${t.id}`, { token: B.api_token });
    assert.deepEqual(assertOk(res), { id: t.id });
  });
});

describe('create validation', () => {
  test('missing name, missing policies, unknown permission group, bad JSON: 400', async () => {
    await expectApiError(admin.user.tokens.create({ policies: zoneReadPolicies(zoneA.id) }), 400);
    await expectApiError(admin.user.tokens.create({ name: uniqueName('e2e-nopol') }), 400);
    await expectApiError(
      admin.user.tokens.create({
        name: uniqueName('e2e-badpg'),
        policies: [allow(['ffffffffffffffffffffffffffffffff'], { [zoneRes(zoneA.id)]: '*' })],
      }),
      400,
    );
    await expectApiError(admin.user.tokens.create({ name: 'x'.repeat(121), policies: zoneReadPolicies(zoneA.id) }), 400);
    // Only the user itself can be referenced as a user resource.
    await expectApiError(
      admin.user.tokens.create({
        name: uniqueName('e2e-otheruser'),
        policies: [allow([PG.USER_DETAILS_READ], { [userRes('0123456789abcdef0123456789abcdef')]: '*' })],
      }),
      '4xx',
    );
    const bad = await raw(srv.apiBase, 'POST', '/user/tokens', {
      token: B.api_token,
      headers: { 'Content-Type': 'application/json' },
      body: '{"name": "broken", "policies": [',
    });
    assertFail(bad, 400);
    // None of these may have created a token.
    const all = await collect(admin.user.tokens.list({ per_page: 50 }));
    assert.ok(
      !all.some((x) => x.name === 'broken' || /^e2e-(nopol|badpg|otheruser)/.test(x.name)),
      JSON.stringify(all.map((x) => x.name)),
    );
  });

  test('a 120-character name and a non-ASCII name are kept exactly', async () => {
    const long = 'n'.repeat(120);
    const t1 = await createUserToken(admin, cleanup, { name: long, policies: zoneReadPolicies(zoneA.id) });
    assert.equal((await admin.user.tokens.get(t1.id)).name, long);
    const fancy = `Zoë's “DNS” token ✓ ${uniqueName('u')}`;
    const t2 = await createUserToken(admin, cleanup, { name: fancy, policies: zoneReadPolicies(zoneA.id) });
    assert.equal(t2.name, fancy);
    assert.equal((await admin.user.tokens.get(t2.id)).name, fancy);
  });
});

describe('list and pagination', () => {
  test('for await over > 20 tokens at per_page 5 visits every token exactly once', async () => {
    const before = (await raw(srv.apiBase, 'GET', '/user/tokens?per_page=50', { token: B.api_token })).body;
    const existing = before.result_info.total_count;
    const want = Math.max(0, 22 - existing);
    assert.ok(existing + want <= 50, `too many tokens already (${existing})`);
    const mine = [];
    for (let i = 0; i < want; i++) {
      mine.push(await createUserToken(admin, cleanup, { name: `e2e-page-${i}`, policies: zoneReadPolicies(zoneA.id) }));
    }
    const total = existing + want;
    assert.ok(total > 20);

    const log = [];
    const c = tokenClient(srv.apiBase, B.api_token, { fetch: recordingFetch(log) });
    const items = await collect(c.user.tokens.list({ per_page: 5 }), 100);
    const ids = items.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, 'a token was yielded twice');
    assert.equal(ids.length, total);
    for (const t of mine) assert.ok(ids.includes(t.id), `token ${t.id} never yielded`);
    assert.ok(ids.includes(B.api_token_id), 'bootstrap token missing from the list');
    for (const t of items) assert.ok(!('value' in t));
    // The SDK asks for one page past the end and stops on the empty page.
    const pages = Math.ceil(total / 5);
    assert.equal(log.length, pages + 1, `requests: ${log.map((l) => l.url).join(' ')}`);
    assert.match(log[0].url, /per_page=5/);
    assert.match(log.at(-1).url, new RegExp(`page=${pages + 1}`));

    // result_info as raw clients read it.
    const p1 = await raw(srv.apiBase, 'GET', '/user/tokens?page=1&per_page=5', { token: B.api_token });
    assert.equal(assertOk(p1).length, 5);
    assert.deepEqual(
      {
        page: p1.body.result_info.page,
        per_page: p1.body.result_info.per_page,
        count: p1.body.result_info.count,
        total_count: p1.body.result_info.total_count,
      },
      { page: 1, per_page: 5, count: 5, total_count: total },
    );
    if ('total_pages' in p1.body.result_info) assert.equal(p1.body.result_info.total_pages, pages);
    const last = await raw(srv.apiBase, 'GET', `/user/tokens?page=${pages}&per_page=5`, { token: B.api_token });
    assert.equal(assertOk(last).length, total - 5 * (pages - 1));
    assert.equal(last.body.result_info.count, total - 5 * (pages - 1));
    const past = await raw(srv.apiBase, 'GET', `/user/tokens?page=${pages + 3}&per_page=5`, { token: B.api_token });
    assert.deepEqual(assertOk(past), []);
    assert.equal(past.body.result_info.count, 0);
    assert.equal(past.body.result_info.total_count, total);

    // direction=asc and direction=desc list the same tokens.
    const asc = await collect(admin.user.tokens.list({ per_page: 50, direction: 'asc' }));
    const desc = await collect(admin.user.tokens.list({ per_page: 50, direction: 'desc' }));
    assert.deepEqual(asc.map((t) => t.id).sort(), ids.slice().sort());
    assert.deepEqual(desc.map((t) => t.id).sort(), ids.slice().sort());

    for (const t of mine) {
      assert.deepEqual(await admin.user.tokens.delete(t.id), { id: t.id });
      cleanup.userTokens.delete(t.id);
    }
  });
});

describe('concurrency', () => {
  test('ten concurrent creates give ten distinct working tokens', async () => {
    const made = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        createUserToken(admin, cleanup, { name: uniqueName(`e2e-conc-${i}`), policies: zoneReadPolicies(zoneA.id) }),
      ),
    );
    assert.equal(new Set(made.map((t) => t.id)).size, 10);
    assert.equal(new Set(made.map((t) => t.value)).size, 10);
    const verified = await Promise.all(made.map((t) => tokenClient(srv.apiBase, t.value).user.tokens.verify()));
    assert.deepEqual(verified.map((v) => v.id), made.map((t) => t.id));
    const dels = await Promise.all(made.map((t) => admin.user.tokens.delete(t.id)));
    assert.deepEqual(dels, made.map((t) => ({ id: t.id })));
    for (const t of made) cleanup.userTokens.delete(t.id);
  });
});

describe('verify', () => {
  test('SDK verify returns {id, status: active}', async () => {
    const v = await admin.user.tokens.verify();
    assert.equal(v.id, B.api_token_id);
    assert.equal(v.status, 'active');
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    const v2 = await tokenClient(srv.apiBase, t.value).user.tokens.verify();
    assert.equal(v2.id, t.id);
    assert.equal(v2.status, 'active');
  });

  test('raw verify like the documented curl gives exactly the documented JSON', async () => {
    const t = await createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id) });
    // curl "https://api.cloudflare.com/client/v4/user/tokens/verify" -H "Authorization: Bearer <API_TOKEN>"
    const res = await sharedFetch(`${srv.apiBase}/user/tokens/verify`, {
      headers: { 'User-Agent': 'curl/8.5.0', Accept: '*/*', Authorization: `Bearer ${t.value}` },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /application\/json/);
    const body = await res.json();
    assert.deepEqual(body, {
      result: { id: t.id, status: 'active' },
      success: true,
      errors: [],
      messages: [VERIFY_MESSAGE],
    });
  });

  test('verify with a TTL echoes not_before / expires_on', async () => {
    const nb = rfc3339(Date.now() - 3600_000);
    const exp = rfc3339(Date.now() + 3600_000);
    const t = await createUserToken(admin, cleanup, {
      policies: zoneReadPolicies(zoneA.id),
      not_before: nb,
      expires_on: exp,
    });
    assert.equal(Date.parse(t.not_before), Date.parse(nb));
    assert.equal(Date.parse(t.expires_on), Date.parse(exp));
    const res = await raw(srv.apiBase, 'GET', '/user/tokens/verify', { token: t.value });
    const r = assertOk(res);
    assert.equal(r.id, t.id);
    assert.equal(r.status, 'active');
    assert.equal(Date.parse(r.not_before), Date.parse(nb));
    assert.equal(Date.parse(r.expires_on), Date.parse(exp));
    assert.deepEqual(res.body.messages, [VERIFY_MESSAGE]);
  });

  test('unknown token: 401/1000 on verify, 403/9109 elsewhere', async () => {
    await assertRefusedCredential(bogusTokenSecret(), zoneA.id);
    const res = await raw(srv.apiBase, 'GET', '/user', { token: bogusTokenSecret() });
    assertFail(res, 403, 9109);
  });
});

describe('TTL', () => {
  test('not_before in the future: refused', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: zoneReadPolicies(zoneA.id),
      not_before: rfc3339(Date.now() + 3600_000),
    });
    await assertRefusedCredential(t.value, zoneA.id);
  });

  test('expires_on in the past: refused', async () => {
    let t;
    try {
      t = await createUserToken(admin, cleanup, {
        policies: zoneReadPolicies(zoneA.id),
        expires_on: rfc3339(Date.now() - 3600_000),
      });
    } catch (e) {
      // Refusing to create an already-expired token is acceptable too, but only as a 400.
      assert.ok(e instanceof Error && e.status === 400, `create failed with ${e && e.message}`);
      return;
    }
    await assertRefusedCredential(t.value, zoneA.id);
  });

  test('a token becomes usable at not_before and unusable at expires_on', async () => {
    const nbMs = Math.ceil(Date.now() / 1000) * 1000 + 3000;
    const expMs = nbMs + 3000;
    const t = await createUserToken(admin, cleanup, {
      policies: zoneReadPolicies(zoneA.id),
      not_before: rfc3339(nbMs),
      expires_on: rfc3339(expMs),
    });
    await assertRefusedCredential(t.value, zoneA.id);
    await sleep(nbMs - Date.now() + 600);
    await assertUsable(t.value, zoneA.id);
    await sleep(expMs - Date.now() + 600);
    await assertRefusedCredential(t.value, zoneA.id);
  });
});

describe('IP condition', () => {
  const mk = (condition) => createUserToken(admin, cleanup, { policies: zoneReadPolicies(zoneA.id), condition });
  const viaIp = (secret, ip) => tokenClient(srv.apiBase, secret, { defaultHeaders: { 'X-Forwarded-For': ip } });

  test('in [10.0.0.0/8] is refused from 127.0.0.1 with 9109', async () => {
    const t = await mk({ request_ip: { in: ['10.0.0.0/8'] } });
    await expectApiError(tokenClient(srv.apiBase, t.value).zones.get({ zone_id: zoneA.id }), 403, 9109);
  });

  test('in [127.0.0.1/32] works from 127.0.0.1', async () => {
    const t = await mk({ request_ip: { in: ['127.0.0.1/32'] } });
    await assertUsable(t.value, zoneA.id);
  });

  test('not_in carves an exception out of in', async () => {
    const t = await mk({ request_ip: { in: ['10.0.0.0/8'], not_in: ['10.9.0.0/16'] } });
    const cond = ipCondition(await admin.user.tokens.get(t.id));
    assert.deepEqual(cond, { in: ['10.0.0.0/8'], not_in: ['10.9.0.0/16'] });
    assert.equal((await viaIp(t.value, '10.1.2.3').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
    await expectApiError(viaIp(t.value, '10.9.1.1').zones.get({ zone_id: zoneA.id }), 403, 9109);
    await expectApiError(viaIp(t.value, '192.0.2.1').zones.get({ zone_id: zoneA.id }), 403, 9109);
  });

  test('not_in alone refuses the listed address and allows others', async () => {
    const t = await mk({ request_ip: { not_in: ['127.0.0.1/32'] } });
    await expectApiError(tokenClient(srv.apiBase, t.value).zones.get({ zone_id: zoneA.id }), 403, 9109);
    assert.equal((await viaIp(t.value, '198.51.100.7').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
  });

  test('X-Forwarded-For from the trusted proxy (127.0.0.1) is honoured', async () => {
    const t = await mk({ request_ip: { in: ['10.0.0.0/8'] } });
    assert.equal((await viaIp(t.value, '10.20.30.40').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
    await expectApiError(viaIp(t.value, '11.0.0.1').zones.get({ zone_id: zoneA.id }), 403, 9109);
  });

  test('X-Forwarded-For: only the hop the trusted proxy saw counts (no spoofing via the left entries)', async () => {
    const t = await mk({ request_ip: { in: ['10.0.0.0/8'] } });
    // The client forged "10.1.2.3"; the trusted proxy appended the real peer 192.0.2.7.
    await expectApiError(viaIp(t.value, '10.1.2.3, 192.0.2.7').zones.get({ zone_id: zoneA.id }), 403, 9109);
    assert.equal((await viaIp(t.value, '192.0.2.7, 10.1.2.3').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
  });

  test('IPv6 ranges', async () => {
    const t = await mk({ request_ip: { in: ['2001:db8::/32'] } });
    assert.equal((await viaIp(t.value, '2001:db8::1').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
    await expectApiError(viaIp(t.value, '2001:db9::1').zones.get({ zone_id: zoneA.id }), 403, 9109);
  });

  test('the documented wire key "request.ip" works like the SDK\'s request_ip', async () => {
    const res = await raw(srv.apiBase, 'POST', '/user/tokens', {
      token: B.api_token,
      json: {
        name: uniqueName('e2e-dotted-ip'),
        policies: zoneReadPolicies(zoneA.id),
        condition: { 'request.ip': { in: ['10.0.0.0/8'] } },
      },
    });
    const t = cleanup.userToken(assertOk(res));
    assert.deepEqual(ipCondition(t)?.in, ['10.0.0.0/8']);
    await expectApiError(tokenClient(srv.apiBase, t.value).zones.get({ zone_id: zoneA.id }), 403, 9109);
    assert.equal((await viaIp(t.value, '10.0.0.9').zones.get({ zone_id: zoneA.id })).id, zoneA.id);
  });
});

describe('permission groups', () => {
  test('user permission groups carry the real Cloudflare ids, names and scopes', async () => {
    const groups = await collect(admin.user.tokens.permissionGroups.list());
    assert.ok(groups.length >= 16, `only ${groups.length} groups`);
    const byId = new Map(groups.map((g) => [g.id, g]));
    assert.equal(byId.size, groups.length, 'duplicate ids');
    for (const g of groups) {
      assert.match(g.id, HEX32);
      assert.equal(typeof g.name, 'string');
      assert.ok(Array.isArray(g.scopes) && g.scopes.length > 0, `scopes of ${JSON.stringify(g)}`);
    }
    const expect = [
      [PG.DNS_WRITE, 'DNS Write', SCOPE.zone],
      [PG.DNS_READ, 'DNS Read', SCOPE.zone],
      [PG.ZONE_READ, 'Zone Read', SCOPE.zone],
      [PG.ZONE_WRITE, 'Zone Write', SCOPE.zone],
      [PG.API_TOKENS_READ, 'API Tokens Read', SCOPE.user],
      [PG.API_TOKENS_WRITE, 'API Tokens Write', SCOPE.user],
      [PG.USER_DETAILS_READ, 'User Details Read', SCOPE.user],
      [PG.MEMBERSHIPS_READ, 'Memberships Read', SCOPE.user],
      [PG.ACCOUNT_SETTINGS_READ, 'Account Settings Read', SCOPE.account],
      [PG.ACCOUNT_SETTINGS_WRITE, 'Account Settings Write', SCOPE.account],
    ];
    for (const [id, name, scope] of expect) {
      const g = byId.get(id);
      assert.ok(g, `permission group ${name} (${id}) missing`);
      assert.equal(g.name, name);
      assert.ok(g.scopes.includes(scope), `${name} scopes ${JSON.stringify(g.scopes)}`);
    }
  });

  test('name and scope filters', async () => {
    const byName = await collect(admin.user.tokens.permissionGroups.list({ name: 'DNS Write' }));
    assert.deepEqual(byName.map((g) => g.id), [PG.DNS_WRITE]);
    const userScoped = await collect(admin.user.tokens.permissionGroups.list({ scope: SCOPE.user }));
    assert.ok(userScoped.length > 0);
    for (const g of userScoped) assert.ok(g.scopes.includes(SCOPE.user), JSON.stringify(g));
    assert.ok(userScoped.some((g) => g.id === PG.API_TOKENS_WRITE));
    assert.ok(!userScoped.some((g) => g.id === PG.DNS_WRITE));
  });

  test('the bootstrap token holds every permission group on all accounts, all zones and the user', async () => {
    const groups = await collect(admin.user.tokens.permissionGroups.list());
    const bt = await admin.user.tokens.get(B.api_token_id);
    assert.equal(bt.name, 'Bootstrap token');
    assert.equal(bt.status, 'active');
    const held = new Set(bt.policies.filter((p) => p.effect === 'allow').flatMap((p) => p.permission_groups.map((g) => g.id)));
    for (const g of groups) assert.ok(held.has(g.id), `bootstrap token lacks ${g.name}`);
    const keys = new Set(bt.policies.flatMap((p) => Object.keys(p.resources)));
    assert.ok(keys.has(allAccountsRes), `resources ${JSON.stringify([...keys])}`);
    assert.ok(keys.has(allZonesRes), `resources ${JSON.stringify([...keys])}`);
    assert.ok(keys.has(userRes(B.user_id)), `resources ${JSON.stringify([...keys])}`);
  });
});

describe('account-owned tokens', () => {
  const A = B.account_id;
  const acctPolicies = () => [
    allow([PG.ACCOUNT_SETTINGS_READ], { [accountRes(A)]: '*' }),
    allow([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' }),
  ];

  test('account permission groups: account and zone scopes only', async () => {
    const groups = await collect(admin.accounts.tokens.permissionGroups.list({ account_id: A }));
    assert.ok(groups.length > 0);
    for (const g of groups) {
      assert.match(g.id, HEX32);
      assert.ok(!g.scopes.includes(SCOPE.user), `user-scoped group offered to account tokens: ${JSON.stringify(g)}`);
    }
    const ids = new Set(groups.map((g) => g.id));
    for (const id of [PG.ACCOUNT_SETTINGS_READ, PG.DNS_WRITE, PG.ZONE_READ]) assert.ok(ids.has(id), `missing ${id}`);
    assert.ok(!ids.has(PG.API_TOKENS_WRITE));
  });

  test('full lifecycle: create, verify at the account endpoint only, get, list, update, roll, delete', async () => {
    const name = uniqueName('e2e-acct');
    const t = cleanup.accountToken(await admin.accounts.tokens.create({ account_id: A, name, policies: acctPolicies() }));
    assert.match(t.id, HEX32);
    assert.equal(t.name, name);
    assert.equal(t.status, 'active');
    assert.match(t.value, SECRET_RE);

    const c = tokenClient(srv.apiBase, t.value);
    const v = await c.accounts.tokens.verify({ account_id: A });
    assert.equal(v.id, t.id);
    assert.equal(v.status, 'active');
    const vr = await raw(srv.apiBase, 'GET', `/accounts/${A}/tokens/verify`, { token: t.value });
    assert.deepEqual(assertOk(vr), { id: t.id, status: 'active' });
    assert.deepEqual(vr.body.messages, [VERIFY_MESSAGE]);
    const userVerify = await expectApiError(c.user.tokens.verify(), 401, 1000);
    assert.equal(userVerify.errors[0].message, 'Invalid API Token');

    assert.equal((await c.accounts.get({ account_id: A })).id, A);
    assert.equal((await c.zones.get({ zone_id: zoneA.id })).id, zoneA.id);

    const got = await admin.accounts.tokens.get(t.id, { account_id: A });
    assert.equal(got.name, name);
    assert.ok(!('value' in got));
    const listed = await collect(admin.accounts.tokens.list({ account_id: A, per_page: 50 }));
    assert.ok(listed.some((x) => x.id === t.id));
    const userListed = await collect(admin.user.tokens.list({ per_page: 50 }));
    assert.ok(!userListed.some((x) => x.id === t.id), 'account token shows up among user tokens');

    const upd = await admin.accounts.tokens.update(t.id, {
      account_id: A,
      name: `${name}-2`,
      policies: acctPolicies(),
      status: 'disabled',
    });
    assert.equal(upd.name, `${name}-2`);
    assert.equal(upd.status, 'disabled');
    await expectApiError(c.accounts.tokens.verify({ account_id: A }), 401, 1000);
    await admin.accounts.tokens.update(t.id, { account_id: A, name: `${name}-2`, policies: acctPolicies(), status: 'active' });

    const fresh = await admin.accounts.tokens.value.update(t.id, { account_id: A });
    assert.equal(typeof fresh, 'string');
    assert.match(fresh, SECRET_RE);
    await expectApiError(c.accounts.tokens.verify({ account_id: A }), 401, 1000);
    const c2 = tokenClient(srv.apiBase, fresh);
    assert.equal((await c2.accounts.tokens.verify({ account_id: A })).id, t.id);

    assert.deepEqual(await admin.accounts.tokens.delete(t.id, { account_id: A }), { id: t.id });
    cleanup.accountTokens.delete(t.id);
    await expectApiError(c2.accounts.tokens.verify({ account_id: A }), 401, 1000);
    await expectApiError(admin.accounts.tokens.get(t.id, { account_id: A }), '4xx');
  });

  test('account tokens cannot hold user-scoped permission groups', async () => {
    await expectApiError(
      admin.accounts.tokens.create({
        account_id: A,
        name: uniqueName('e2e-acct-user'),
        policies: [allow([PG.API_TOKENS_WRITE], { [userRes(B.user_id)]: '*' })],
      }),
      '4xx',
    );
  });

  test('GET /accounts refuses account-owned tokens (400 / 1001)', async () => {
    const t = cleanup.accountToken(
      await admin.accounts.tokens.create({ account_id: A, name: uniqueName('e2e-acct-list'), policies: acctPolicies() }),
    );
    const res = await raw(srv.apiBase, 'GET', '/accounts', { token: t.value });
    assertFail(res, 400, 1001);
  });
});
