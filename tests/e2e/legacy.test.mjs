// Legacy Global API Key auth (X-Auth-Email + X-Auth-Key) and credential-header validation.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cleanup,
  HEX32,
  PG,
  allow,
  assertFail,
  assertOk,
  collect,
  expectApiError,
  keyClient,
  raw,
  tokenClient,
  uniqueName,
  uniqueZoneName,
  zoneRes,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
after(() => cleanup.run());

const legacy = () => keyClient(srv.apiBase, B.email, B.global_api_key);
const keyHeaders = (email = B.email, key = B.global_api_key) => ({ 'X-Auth-Email': email, 'X-Auth-Key': key });

// Same length and alphabet as the real key, one character different.
function wrongKey(key) {
  const i = Math.floor(key.length / 2);
  const ch = key[i];
  const alphabet = /[0-9a-f]/.test(ch) ? '0123456789abcdef' : 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const repl = alphabet[(alphabet.indexOf(ch) + 1) % alphabet.length];
  return key.slice(0, i) + repl + key.slice(i + 1);
}

describe('Global API Key through the SDK', () => {
  test('bootstrap.json carries the key and the email', () => {
    assert.equal(typeof B.global_api_key, 'string');
    assert.ok(B.global_api_key.length >= 37, `global key too short: ${B.global_api_key.length}`);
    assert.match(B.email, /^[^@\s]+@[^@\s]+$/);
  });

  test('user.get acts as the user', async () => {
    const u = await legacy().user.get();
    assert.equal(u.id, B.user_id);
    assert.equal(u.email, B.email);
  });

  test('accounts.list and accounts.get', async () => {
    const accounts = await collect(legacy().accounts.list());
    const mine = accounts.find((a) => a.id === B.account_id);
    assert.ok(mine, `account ${B.account_id} not listed: ${JSON.stringify(accounts)}`);
    assert.equal(typeof mine.name, 'string');
    assert.equal((await legacy().accounts.get({ account_id: B.account_id })).id, B.account_id);
  });

  test('zones create, list, get, delete', async () => {
    const c = legacy();
    const name = uniqueZoneName('legacy');
    const z = cleanup.zone(await c.zones.create({ account: { id: B.account_id }, name, type: 'full' }));
    assert.match(z.id, HEX32);
    assert.equal(z.name, name);
    assert.equal(z.account.id, B.account_id);
    const listed = await collect(c.zones.list({ name }));
    assert.deepEqual(listed.map((x) => x.id), [z.id]);
    assert.equal((await c.zones.get({ zone_id: z.id })).name, name);
    assert.deepEqual(await c.zones.delete({ zone_id: z.id }), { id: z.id });
    cleanup.zones.delete(z.id);
    await expectApiError(c.zones.get({ zone_id: z.id }), '4xx');
  });

  test('memberships and user edit work with the key', async () => {
    const c = legacy();
    const ms = await collect(c.memberships.list());
    assert.ok(ms.some((m) => m.account && m.account.id === B.account_id));
    const before = await c.user.get();
    const edited = await c.user.edit({ zipcode: '94107' });
    assert.equal(edited.zipcode, '94107');
    await c.user.edit({ zipcode: before.zipcode ?? null });
  });

  test('account-owned token management is not /user/tokens*: the key may use it', async () => {
    const c = legacy();
    const t = cleanup.accountToken(
      await c.accounts.tokens.create({
        account_id: B.account_id,
        name: uniqueName('e2e-acct-by-key'),
        policies: [allow([PG.ACCOUNT_SETTINGS_READ], { [`com.cloudflare.api.account.${B.account_id}`]: '*' })],
      }),
    );
    assert.match(t.id, HEX32);
    assert.equal(typeof t.value, 'string');
    const listed = await collect(c.accounts.tokens.list({ account_id: B.account_id }));
    assert.ok(listed.some((x) => x.id === t.id));
    assert.deepEqual(await c.accounts.tokens.delete(t.id, { account_id: B.account_id }), { id: t.id });
    cleanup.accountTokens.delete(t.id);
  });

  test('/user/tokens* need a token: the key gets a 4xx and no success', async () => {
    const c = legacy();
    await expectApiError(c.user.tokens.verify(), '4xx');
    await expectApiError(c.user.tokens.list().then((p) => p.result), '4xx');
    await expectApiError(
      c.user.tokens.create({
        name: uniqueName('e2e-by-key'),
        policies: [allow([PG.ZONE_READ], { [zoneRes('0123456789abcdef0123456789abcdef')]: '*' })],
      }),
      '4xx',
    );
    // A throwaway token, so that a server wrongly accepting the key cannot roll the bootstrap token.
    const victim = await admin.user.tokens.create({
      name: uniqueName('e2e-key-victim'),
      policies: [allow([PG.USER_DETAILS_READ], { [`com.cloudflare.api.user.${B.user_id}`]: '*' })],
    });
    cleanup.userToken(victim);
    for (const p of ['/user/tokens/verify', '/user/tokens', '/user/tokens/permission_groups', `/user/tokens/${victim.id}`]) {
      assertFail(await raw(srv.apiBase, 'GET', p, { headers: keyHeaders() }), '4xx');
    }
    assertFail(await raw(srv.apiBase, 'PUT', `/user/tokens/${victim.id}/value`, { headers: keyHeaders() }), '4xx');
    assertFail(await raw(srv.apiBase, 'DELETE', `/user/tokens/${victim.id}`, { headers: keyHeaders() }), '4xx');
    assert.equal((await tokenClient(srv.apiBase, victim.value).user.tokens.verify()).id, victim.id);
    const all = await collect(admin.user.tokens.list({ per_page: 50 }));
    assert.ok(!all.some((t) => t.name.startsWith('e2e-by-key')), 'a token was created with the global key');
  });
});

describe('wrong or malformed credentials', () => {
  test('wrong key for the right email: 403', async () => {
    await expectApiError(keyClient(srv.apiBase, B.email, wrongKey(B.global_api_key)).user.get(), 403);
    const res = await raw(srv.apiBase, 'GET', '/user', { headers: keyHeaders(B.email, wrongKey(B.global_api_key)) });
    assertFail(res, 403);
  });

  test('right key for another email: 403', async () => {
    await expectApiError(keyClient(srv.apiBase, 'someone-else@example.com', B.global_api_key).user.get(), 403);
  });

  test('malformed X-Auth-Key: 400 6003 with error_chain 6103', async () => {
    for (const key of ['not a key!', B.api_token]) {
      const err = await expectApiError(keyClient(srv.apiBase, B.email, key).user.get(), 400, 6003);
      const chain = err.errors[0].error_chain;
      assert.ok(Array.isArray(chain), `error_chain missing for key ${JSON.stringify(key)}: ${JSON.stringify(err.error)}`);
      assert.ok(chain.some((e) => e.code === 6103), `no 6103 in ${JSON.stringify(chain)}`);
      const res = await raw(srv.apiBase, 'GET', '/zones', { headers: keyHeaders(B.email, key) });
      const body = assertFail(res, 400, 6003);
      assert.ok(body.errors[0].error_chain.some((e) => e.code === 6103));
    }
  });

  test('malformed X-Auth-Email: 400 6003 with error_chain 6102', async () => {
    const res = await raw(srv.apiBase, 'GET', '/user', { headers: keyHeaders('not-an-email', B.global_api_key) });
    const body = assertFail(res, 400, 6003);
    assert.ok(
      Array.isArray(body.errors[0].error_chain) && body.errors[0].error_chain.some((e) => e.code === 6102),
      JSON.stringify(body),
    );
  });

  test('malformed Authorization header: 400 6003 with error_chain 6111', async () => {
    for (const value of ['Basic Zm9vOmJhcg==', 'Bearer', 'Bearer two words', 'Token abc']) {
      const res = await raw(srv.apiBase, 'GET', '/user/tokens/verify', { headers: { Authorization: value } });
      const body = assertFail(res, 400, 6003);
      const chain = body.errors[0].error_chain;
      assert.ok(Array.isArray(chain) && chain.some((e) => e.code === 6111), `${value}: ${res.text}`);
      assert.equal(body.errors[0].message, 'Invalid request headers');
    }
  });

  test('no credentials at all: 400 9106 (raw fetch)', async () => {
    for (const p of ['/user', '/zones', '/user/tokens/verify', `/accounts/${B.account_id}`]) {
      const res = await raw(srv.apiBase, 'GET', p);
      const body = assertFail(res, 400, 9106);
      assert.match(body.errors[0].message, /Missing X-Auth-Key, X-Auth-Email or Authorization headers/);
    }
  });
});

describe('key results equal token results', () => {
  test('GET /user is the same user through both schemes', async () => {
    const viaKey = assertOk(await raw(srv.apiBase, 'GET', '/user', { headers: keyHeaders() }));
    const viaToken = assertOk(await raw(srv.apiBase, 'GET', '/user', { token: B.api_token }));
    assert.equal(viaKey.id, viaToken.id);
    assert.equal(viaKey.email, viaToken.email);
  });
});
