// Token policies: what a limited token can and cannot reach, deny over allow, and no privilege
// escalation through token creation or update.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cleanup,
  NO_PERMISSION_CODES,
  PG,
  accountRes,
  allAccountsRes,
  allZonesRes,
  allow,
  assertFail,
  collect,
  createUserToken,
  createZone,
  deny,
  expectApiError,
  raw,
  tokenClient,
  uniqueName,
  userRes,
  zoneRes,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, A);
let zoneA;
let zoneB;

before(async () => {
  zoneA = await createZone(admin, cleanup, A, 'perm-a');
  zoneB = await createZone(admin, cleanup, A, 'perm-b');
});
after(() => cleanup.run());

const denied = (p) => expectApiError(p, 403, NO_PERMISSION_CODES);
const client = (t) => tokenClient(srv.apiBase, t.value);

describe('a token limited to one zone\'s DNS Read', () => {
  let t;
  let c;
  before(async () => {
    t = await createUserToken(admin, cleanup, { policies: [allow([PG.DNS_READ], { [zoneRes(zoneA.id)]: '*' })] });
    c = client(t);
  });

  test('is a valid token (verify works)', async () => {
    const v = await c.user.tokens.verify();
    assert.equal(v.id, t.id);
    assert.equal(v.status, 'active');
  });

  test('cannot GET its own zone (DNS Read is not Zone Read)', async () => {
    await denied(c.zones.get({ zone_id: zoneA.id }));
  });

  test('cannot GET another zone', async () => {
    await denied(c.zones.get({ zone_id: zoneB.id }));
  });

  test('cannot read /user', async () => {
    await denied(c.user.get());
  });

  test('cannot read /accounts/{id}', async () => {
    await denied(c.accounts.get({ account_id: A }));
  });

  test('cannot list or create tokens', async () => {
    await denied(c.user.tokens.list().then((p) => p.result));
    await denied(
      c.user.tokens.create({ name: uniqueName('e2e-esc'), policies: [allow([PG.DNS_READ], { [zoneRes(zoneA.id)]: '*' })] }),
    );
  });

  test('cannot delete its zone or create zones', async () => {
    await denied(c.zones.delete({ zone_id: zoneA.id }));
    await expectApiError(c.zones.create({ account: { id: A }, name: `e2e-nope-${t.id.slice(0, 8)}.com` }), 403, NO_PERMISSION_CODES);
    assert.equal((await admin.zones.get({ zone_id: zoneA.id })).id, zoneA.id);
  });

  test('raw refusal is a 403 envelope', async () => {
    const res = await raw(srv.apiBase, 'GET', `/zones/${zoneA.id}`, { token: t.value });
    assertFail(res, 403, NO_PERMISSION_CODES);
  });
});

describe('a zone-Read token', () => {
  test('can get that zone but not another', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' })] });
    const c = client(t);
    const z = await c.zones.get({ zone_id: zoneA.id });
    assert.equal(z.id, zoneA.id);
    assert.equal(z.name, zoneA.name);
    await denied(c.zones.get({ zone_id: zoneB.id }));
  });

  test('zones list shows only the zones it reaches', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' })] });
    const zones = await collect(client(t).zones.list({ per_page: 50 }));
    const ids = zones.map((z) => z.id);
    assert.ok(ids.includes(zoneA.id), 'reachable zone missing');
    assert.ok(!ids.includes(zoneB.id), 'unreachable zone listed');
  });

  test('cannot delete the zone it can read', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' })] });
    await denied(client(t).zones.delete({ zone_id: zoneA.id }));
    assert.equal((await admin.zones.get({ zone_id: zoneA.id })).id, zoneA.id);
  });

  test('all zones of one account (nested resource form)', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [allow([PG.ZONE_READ], { [accountRes(A)]: { [allZonesRes]: '*' } })],
    });
    const c = client(t);
    assert.equal((await c.zones.get({ zone_id: zoneA.id })).id, zoneA.id);
    assert.equal((await c.zones.get({ zone_id: zoneB.id })).id, zoneB.id);
    await denied(c.accounts.get({ account_id: A }));
  });
});

describe('account-scoped Account Settings Read', () => {
  test('can GET /accounts/{id} but not PUT it', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [allow([PG.ACCOUNT_SETTINGS_READ], { [accountRes(A)]: '*' })],
    });
    const c = client(t);
    const acct = await c.accounts.get({ account_id: A });
    assert.equal(acct.id, A);
    await denied(c.accounts.update({ account_id: A, id: A, name: 'hijacked', type: acct.type }));
    assert.equal((await admin.accounts.get({ account_id: A })).name, acct.name, 'refused PUT changed the account');
    const listed = await collect(c.accounts.list());
    assert.ok(listed.some((a) => a.id === A), 'GET /accounts must list the account the token reaches');
    await denied(c.zones.get({ zone_id: zoneA.id }));
    await denied(c.user.get());
  });

  test('Account Settings Write can PUT the account name', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [allow([PG.ACCOUNT_SETTINGS_WRITE], { [accountRes(A)]: '*' })],
    });
    const before = await admin.accounts.get({ account_id: A });
    const c = client(t);
    const renamed = await c.accounts.update({ account_id: A, id: A, name: `${before.name} (e2e)`, type: before.type });
    assert.equal(renamed.name, `${before.name} (e2e)`);
    await admin.accounts.update({ account_id: A, id: A, name: before.name, type: before.type });
    assert.equal((await admin.accounts.get({ account_id: A })).name, before.name);
  });
});

describe('user-scoped groups', () => {
  test('User Details Read can GET /user but not PATCH it', async () => {
    const t = await createUserToken(admin, cleanup, { policies: [allow([PG.USER_DETAILS_READ], { [userRes(B.user_id)]: '*' })] });
    const c = client(t);
    const u = await c.user.get();
    assert.equal(u.id, B.user_id);
    await denied(c.user.edit({ first_name: 'Mallory' }));
    assert.notEqual((await admin.user.get()).first_name, 'Mallory');
  });

  test('Memberships Read can list memberships; API Tokens Read can list but not create tokens', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [allow([PG.MEMBERSHIPS_READ, PG.API_TOKENS_READ], { [userRes(B.user_id)]: '*' })],
    });
    const c = client(t);
    const ms = await collect(c.memberships.list());
    assert.ok(ms.some((m) => m.account && m.account.id === A));
    const tokens = await collect(c.user.tokens.list({ per_page: 50 }));
    assert.ok(tokens.some((x) => x.id === t.id));
    await denied(
      c.user.tokens.create({ name: uniqueName('e2e-ro'), policies: [allow([PG.MEMBERSHIPS_READ], { [userRes(B.user_id)]: '*' })] }),
    );
    await denied(c.user.tokens.delete(t.id));
    await denied(c.user.get());
  });
});

describe('deny beats allow', () => {
  test('allow Zone Read on all zones + deny on zone B: A readable, B refused', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [allow([PG.ZONE_READ], { [allZonesRes]: '*' }), deny([PG.ZONE_READ], { [zoneRes(zoneB.id)]: '*' })],
    });
    const c = client(t);
    assert.equal((await c.zones.get({ zone_id: zoneA.id })).id, zoneA.id);
    await denied(c.zones.get({ zone_id: zoneB.id }));
    const listed = (await collect(c.zones.list({ per_page: 50 }))).map((z) => z.id);
    assert.ok(listed.includes(zoneA.id));
    assert.ok(!listed.includes(zoneB.id), 'denied zone still listed');
  });

  test('deny listed before allow still wins', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [deny([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' }), allow([PG.ZONE_READ], { [zoneRes(zoneA.id)]: '*' })],
    });
    await denied(client(t).zones.get({ zone_id: zoneA.id }));
  });

  test('allow on all accounts + deny on the account: refused', async () => {
    const t = await createUserToken(admin, cleanup, {
      policies: [
        allow([PG.ACCOUNT_SETTINGS_READ], { [allAccountsRes]: '*' }),
        deny([PG.ACCOUNT_SETTINGS_READ], { [accountRes(A)]: '*' }),
      ],
    });
    await denied(client(t).accounts.get({ account_id: A }));
  });
});

describe('no escalation through token management', () => {
  let creator;
  let c;
  const dnsReadA = () => [allow([PG.DNS_READ], { [zoneRes(zoneA.id)]: '*' })];
  before(async () => {
    creator = await createUserToken(admin, cleanup, {
      policies: [
        allow([PG.API_TOKENS_WRITE], { [userRes(B.user_id)]: '*' }),
        allow([PG.DNS_READ], { [zoneRes(zoneA.id)]: '*' }),
      ],
    });
    c = client(creator);
  });

  test('cannot create a token with DNS Write on zone A', async () => {
    await expectApiError(
      c.user.tokens.create({ name: uniqueName('e2e-esc-w'), policies: [allow([PG.DNS_WRITE], { [zoneRes(zoneA.id)]: '*' })] }),
      403,
    );
  });

  test('cannot create a token on zone B', async () => {
    await expectApiError(
      c.user.tokens.create({ name: uniqueName('e2e-esc-b'), policies: [allow([PG.DNS_READ], { [zoneRes(zoneB.id)]: '*' })] }),
      403,
    );
  });

  test('cannot create a token on all zones or with groups it lacks', async () => {
    await expectApiError(
      c.user.tokens.create({ name: uniqueName('e2e-esc-all'), policies: [allow([PG.DNS_READ], { [allZonesRes]: '*' })] }),
      403,
    );
    await expectApiError(
      c.user.tokens.create({ name: uniqueName('e2e-esc-ur'), policies: [allow([PG.USER_DETAILS_READ], { [userRes(B.user_id)]: '*' })] }),
      403,
    );
  });

  test('none of the refused creations left a token behind', async () => {
    const all = await collect(admin.user.tokens.list({ per_page: 50 }));
    assert.ok(!all.some((x) => x.name.startsWith('e2e-esc-')), JSON.stringify(all.map((x) => x.name)));
  });

  test('can create a narrower token (DNS Read on zone A), which works', async () => {
    const narrow = cleanup.userToken(await c.user.tokens.create({ name: uniqueName('e2e-narrow'), policies: dnsReadA() }));
    assert.equal(typeof narrow.value, 'string');
    const v = await tokenClient(srv.apiBase, narrow.value).user.tokens.verify();
    assert.equal(v.id, narrow.id);
    // The new token belongs to the same user.
    assert.equal((await admin.user.tokens.get(narrow.id)).id, narrow.id);
  });

  test('cannot broaden an existing token through update', async () => {
    const narrow = cleanup.userToken(await c.user.tokens.create({ name: uniqueName('e2e-narrow2'), policies: dnsReadA() }));
    await expectApiError(
      c.user.tokens.update(narrow.id, { name: narrow.name, policies: [allow([PG.DNS_WRITE], { [zoneRes(zoneA.id)]: '*' })] }),
      403,
    );
    await expectApiError(
      c.user.tokens.update(narrow.id, { name: narrow.name, policies: [allow([PG.DNS_READ], { [zoneRes(zoneB.id)]: '*' })] }),
      403,
    );
    const got = await admin.user.tokens.get(narrow.id);
    assert.deepEqual(
      got.policies.map((p) => [p.effect, p.permission_groups.map((g) => g.id), p.resources]),
      [['allow', [PG.DNS_READ], { [zoneRes(zoneA.id)]: '*' }]],
    );
  });

  test('cannot roll a broader token to obtain its secret', async () => {
    const broad = await createUserToken(admin, cleanup, {
      name: uniqueName('e2e-broad'),
      policies: [allow([PG.DNS_WRITE, PG.ZONE_READ], { [allZonesRes]: '*' })],
    });
    await expectApiError(c.user.tokens.value.update(broad.id), 403);
    // The broad token's secret must be untouched by the refused roll.
    assert.equal((await tokenClient(srv.apiBase, broad.value).user.tokens.verify()).id, broad.id);
  });
});
