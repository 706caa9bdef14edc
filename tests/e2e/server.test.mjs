// The server's start-up contract on a data dir of its own: server.json, bootstrap.json, /healthz,
// configuration through the environment, persistence across a restart, X-Forwarded-For without a
// trusted proxy, and the 50-tokens-per-user quota.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DOCS_EXAMPLE_TOKEN, liveSharedServer, sharedServer, startServer } from './lib/server.mjs';
import {
  HEX32,
  PG,
  allow,
  assertFail,
  assertOk,
  collect,
  expectApiError,
  raw,
  tokenClient,
  uniqueZoneName,
  zoneRes,
} from './lib/api.mjs';

const BOOTSTRAP_KEYS = [
  'email',
  'password',
  'global_api_key',
  'api_token',
  'api_token_id',
  'user_id',
  'account_id',
  'account_hash',
  'api_base_url',
  'delivery_base_url',
];

describe('the shared server started by run.sh', () => {
  test('server.json, bootstrap.json and /healthz', async () => {
    const srv = await liveSharedServer();
    const info = JSON.parse(fs.readFileSync(path.join(srv.dataDir, 'server.json'), 'utf8'));
    assert.equal(info.api_base_url, srv.apiBase);
    assert.match(info.api_base_url, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    assert.match(info.delivery_base_url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(info.delivery_base_url).port, new URL(info.api_base_url).port);
    assert.equal(typeof info.pid, 'number');
    assert.doesNotThrow(() => process.kill(info.pid, 0), `server.json pid ${info.pid} is not a live process`);
    const h = await fetch(`${srv.origin}/healthz`);
    assert.equal(h.status, 200);
    const B = srv.bootstrap;
    for (const k of BOOTSTRAP_KEYS) assert.ok(k in B, `bootstrap.json lacks ${k}`);
    assert.equal(B.api_token, DOCS_EXAMPLE_TOKEN, 'NUBIS_ADMIN_API_TOKEN was not honoured');
    assert.equal(B.email, 'admin@nubis.local', 'default NUBIS_ADMIN_EMAIL');
    assert.match(B.api_base_url, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
    assert.match(B.delivery_base_url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const mode = fs.statSync(path.join(srv.dataDir, 'bootstrap.json')).mode & 0o777;
    assert.equal(mode, 0o600, `bootstrap.json mode ${mode.toString(8)}`);
  });
});

describe('a fresh server with its own data dir', () => {
  let s;
  const email = 'ops@example.com';
  before(async () => {
    s = await startServer({ env: { NUBIS_ADMIN_EMAIL: email } });
  });
  after(async () => {
    if (s) await s.stop();
  });

  test('writes server.json and a 0600 bootstrap.json with a generated token', async () => {
    assert.equal(s.serverJson.pid, s.pid);
    const B = s.bootstrap();
    for (const k of BOOTSTRAP_KEYS) assert.ok(k in B, `bootstrap.json lacks ${k}`);
    assert.equal(B.email, email, 'NUBIS_ADMIN_EMAIL not honoured');
    assert.match(B.user_id, HEX32);
    assert.match(B.account_id, HEX32);
    assert.match(B.api_token_id, HEX32);
    assert.match(B.api_token, /^[A-Za-z0-9_-]{40,}$/);
    assert.notEqual(B.api_token, DOCS_EXAMPLE_TOKEN, 'a token preset elsewhere leaked into a fresh server');
    assert.equal(B.api_base_url, s.apiBase);
    assert.equal(B.delivery_base_url, s.deliveryBase);
    assert.equal(typeof B.password, 'string');
    assert.ok(B.password.length > 0);
    assert.equal(fs.statSync(path.join(s.dataDir, 'bootstrap.json')).mode & 0o777, 0o600);
    const c = tokenClient(s.apiBase, B.api_token);
    const v = await c.user.tokens.verify();
    assert.equal(v.id, B.api_token_id);
    const u = await c.user.get();
    assert.equal(u.email, email);
    assert.equal(u.id, B.user_id);
    const accounts = await collect(c.accounts.list());
    assert.deepEqual(accounts.map((a) => a.id), [B.account_id]);
  });

  test('two servers are isolated from each other', async () => {
    const shared = sharedServer();
    const res = await raw(s.apiBase, 'GET', '/user/tokens/verify', { token: shared.bootstrap.api_token });
    assertFail(res, 401, 1000);
  });

  test('X-Forwarded-For is ignored when no proxy is trusted', async () => {
    const B = s.bootstrap();
    const admin = tokenClient(s.apiBase, B.api_token);
    const z = await admin.zones.create({ account: { id: B.account_id }, name: uniqueZoneName('xff') });
    const t = await admin.user.tokens.create({
      name: 'xff-untrusted',
      policies: [allow([PG.ZONE_READ], { [zoneRes(z.id)]: '*' })],
      condition: { request_ip: { in: ['10.0.0.0/8'] } },
    });
    const spoofing = tokenClient(s.apiBase, t.value, { defaultHeaders: { 'X-Forwarded-For': '10.1.2.3' } });
    await expectApiError(spoofing.zones.get({ zone_id: z.id }), 403, 9109);
    const honest = await admin.user.tokens.create({
      name: 'xff-untrusted-2',
      policies: [allow([PG.ZONE_READ], { [zoneRes(z.id)]: '*' })],
      condition: { request_ip: { not_in: ['127.0.0.1/32'] } },
    });
    const spoof2 = tokenClient(s.apiBase, honest.value, { defaultHeaders: { 'X-Forwarded-For': '198.51.100.1' } });
    await expectApiError(spoof2.zones.get({ zone_id: z.id }), 403, 9109);
    await admin.user.tokens.delete(t.id);
    await admin.user.tokens.delete(honest.id);
  });

  test('at most 50 user tokens per user', async () => {
    const B = s.bootstrap();
    const admin = tokenClient(s.apiBase, B.api_token);
    const count = async () => (await raw(s.apiBase, 'GET', '/user/tokens?per_page=5', { token: B.api_token })).body.result_info.total_count;
    const start = await count();
    assert.ok(start < 50);
    const policies = [allow([PG.USER_DETAILS_READ], { [`com.cloudflare.api.user.${B.user_id}`]: '*' })];
    for (let i = start; i < 50; i++) await admin.user.tokens.create({ name: `quota-${i}`, policies });
    assert.equal(await count(), 50);
    await expectApiError(admin.user.tokens.create({ name: 'quota-51', policies }), '4xx');
    assert.equal(await count(), 50);
    // Deleting one frees a slot.
    const some = (await admin.user.tokens.list({ per_page: 50 })).result.find((t) => t.name.startsWith('quota-'));
    await admin.user.tokens.delete(some.id);
    const again = await admin.user.tokens.create({ name: 'quota-again', policies });
    assert.equal(typeof again.value, 'string');
    for (const t of await collect(admin.user.tokens.list({ per_page: 50 }))) {
      if (t.name.startsWith('quota-')) await admin.user.tokens.delete(t.id);
    }
    assert.equal(await count(), start);
  });

  test('state survives a restart; bootstrap is not regenerated', async () => {
    const B = s.bootstrap();
    const admin = tokenClient(s.apiBase, B.api_token);
    const z = await admin.zones.create({ account: { id: B.account_id }, name: uniqueZoneName('persist') });
    const t = await admin.user.tokens.create({ name: 'persist', policies: [allow([PG.ZONE_READ], { [zoneRes(z.id)]: '*' })] });
    const bootstrapBefore = fs.readFileSync(path.join(s.dataDir, 'bootstrap.json'), 'utf8');
    const dataDir = s.dataDir;
    await s.stop({ keepData: true });
    const s2 = await startServer({ dataDir, env: { NUBIS_ADMIN_EMAIL: email } });
    try {
      assert.equal(fs.readFileSync(path.join(dataDir, 'bootstrap.json'), 'utf8'), bootstrapBefore);
      const admin2 = tokenClient(s2.apiBase, B.api_token);
      assert.equal((await admin2.user.tokens.verify()).id, B.api_token_id);
      assert.equal((await admin2.zones.get({ zone_id: z.id })).name, z.name);
      const c = tokenClient(s2.apiBase, t.value);
      assert.equal((await c.user.tokens.verify()).id, t.id);
      assert.equal((await c.zones.get({ zone_id: z.id })).id, z.id);
      const res = await raw(s2.apiBase, 'GET', `/user/tokens/${t.id}`, { token: B.api_token });
      assert.equal(assertOk(res).name, 'persist');
    } finally {
      await s2.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      s = null;
    }
  });
});
