// Account members, roles and invites (issue 5 §4), and the Nubis-only admin API that adds users
// (§5): an owner invites a second user, who sees the invite at /user/invites and accepts it with
// seed 004's exact request (X-Auth-Email / X-Auth-Key, curl's form content type), and then acts in
// the account within the role given, through the same policy evaluator as tokens.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import {
  Cleanup,
  HEX32,
  PG,
  ROLE,
  allZonesRes,
  allow,
  assertFail,
  assertOk,
  collect,
  createZone,
  expectApiError,
  keyClient,
  raw,
  tokenClient,
  uniqueName,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);

const ownerKey = { 'X-Auth-Email': B.email, 'X-Auth-Key': B.global_api_key };
const keyHeaders = (u) => ({ 'X-Auth-Email': u.email, 'X-Auth-Key': u.global_api_key });
const newEmail = (label) => `${uniqueName(label)}@example.com`;

async function createUser(email, password) {
  const res = await raw(srv.apiBase, 'POST', '/nubis/users', {
    headers: ownerKey,
    json: password === undefined ? { email } : { email, password },
  });
  const u = assertOk(res);
  assert.match(u.id, HEX32);
  return u;
}

const members = new Set();
after(async () => {
  for (const id of members) {
    await admin.accounts.members.delete(id, { account_id: B.account_id }).catch(() => {});
  }
  await cleanup.run();
});

async function invite(email, roles, extra = {}) {
  const m = await admin.accounts.members.create({ account_id: B.account_id, email, roles, ...extra });
  members.add(m.id);
  return m;
}

describe('the Nubis admin API (users)', () => {
  test('the instance admin adds a user: secrets shown once, the key works at once', async () => {
    const email = newEmail('admin-api');
    const u = await createUser(email.toUpperCase(), 'correct horse battery');
    assert.equal(u.email, email);
    assert.equal(u.password, 'correct horse battery');
    assert.equal(typeof u.global_api_key, 'string');
    const me = await keyClient(srv.apiBase, email, u.global_api_key).user.get();
    assert.equal(me.id, u.id);
    // And a first token, to manage tokens with (/user/tokens takes tokens only).
    const tok = tokenClient(srv.apiBase, u.api_token);
    assert.equal((await tok.user.tokens.verify()).id, u.api_token_id);
    assert.deepEqual((await collect(tok.user.tokens.list())).map((t) => t.id), [u.api_token_id]);
    // A new user reaches no account until invited.
    assert.deepEqual(await collect(keyClient(srv.apiBase, email, u.global_api_key).accounts.list()), []);
    const list = assertOk(await raw(srv.apiBase, 'GET', '/nubis/users?per_page=1000', { headers: ownerKey }));
    const row = list.find((x) => x.id === u.id);
    assert.deepEqual(Object.keys(row).sort(), ['created_on', 'email', 'id']);
    assert.ok(list.some((x) => x.id === B.user_id));
    assert.ok(!JSON.stringify(list).includes(u.global_api_key));
  });

  test('refusals: not the instance admin, tokens, bad bodies, a taken e-mail', async () => {
    const other = await createUser(newEmail('not-admin'));
    for (const headers of [keyHeaders(other), { Authorization: `Bearer ${B.api_token}` }]) {
      assertFail(await raw(srv.apiBase, 'POST', '/nubis/users', { headers, json: { email: newEmail('x') } }), 403, 9109);
      assertFail(await raw(srv.apiBase, 'GET', '/nubis/users', { headers }), 403, 9109);
    }
    assertFail(await raw(srv.apiBase, 'POST', '/nubis/users', { json: { email: newEmail('x') } }), 400);
    const post = (json) => raw(srv.apiBase, 'POST', '/nubis/users', { headers: ownerKey, json });
    assertFail(await post({ email: 'not-an-email' }), 400, 1001);
    assertFail(await post({}), 400, 1001);
    assertFail(await post({ email: newEmail('short'), password: 'short' }), 400, 1001);
    assertFail(await post({ email: newEmail('x'), role: 'root' }), 400, 1001);
    assertFail(await post({ email: other.email.toUpperCase() }), 400, 1001);
  });
});

describe('roles', () => {
  test('accounts.roles.list and get: the three account-wide roles with their permissions', async () => {
    const roles = await collect(admin.accounts.roles.list({ account_id: B.account_id }));
    assert.deepEqual(roles.map((r) => r.id).sort(), Object.values(ROLE).sort());
    const ro = await admin.accounts.roles.get(ROLE.READ_ONLY, { account_id: B.account_id });
    assert.equal(ro.name, 'Administrator Read Only');
    assert.deepEqual(ro.permissions.dns, { read: true, write: false });
    const super_ = roles.find((r) => r.id === ROLE.SUPER);
    assert.equal(super_.name, 'Super Administrator - All Privileges');
    assert.deepEqual(super_.permissions.organization, { read: true, write: true });
    const adm = roles.find((r) => r.id === ROLE.ADMIN);
    assert.deepEqual(adm.permissions.organization, { read: true, write: false });
    assert.deepEqual(adm.permissions.dns_records, { read: true, write: true });
    await expectApiError(admin.accounts.roles.get('0'.repeat(32), { account_id: B.account_id }), 404, 1003);
  });

  test('the owner is the account\'s Super Administrator', async () => {
    const ms = await collect(admin.memberships.list());
    const mine = ms.find((m) => m.account.id === B.account_id);
    assert.deepEqual(mine.roles, ['Super Administrator - All Privileges']);
    assert.deepEqual(mine.permissions.billing, { read: true, write: true });
  });
});

describe('an invite, accepted with the seed\'s request', () => {
  let user, zone, inv, key;
  before(async () => {
    user = await createUser(newEmail('invitee'));
    key = keyClient(srv.apiBase, user.email, user.global_api_key);
    zone = await createZone(admin, cleanup, B.account_id, 'members');
  });

  test('the owner invites by e-mail: a pending member with the role', async () => {
    const m = await invite(user.email, [ROLE.READ_ONLY]);
    assert.match(m.id, HEX32);
    assert.equal(m.status, 'pending');
    assert.equal(m.email, user.email);
    // Pending: the account is not told whether the e-mail has a user (found in review).
    assert.equal(m.user.id, null);
    assert.deepEqual(m.roles.map((r) => r.id), [ROLE.READ_ONLY]);
    const got = await admin.accounts.members.get(m.id, { account_id: B.account_id });
    assert.deepEqual(got, m);
    inv = m;
  });

  test('before accepting, the account is out of reach', async () => {
    await expectApiError(key.accounts.get({ account_id: B.account_id }), 403, 10000);
    assert.deepEqual(await collect(key.accounts.list()), []);
    await expectApiError(key.dns.records.list({ zone_id: zone.id }), 400, 7003);
  });

  test('the invited user sees it at /user/invites', async () => {
    const list = await collect(key.user.invites.list());
    const it = list.find((i) => i.id === inv.id);
    assert.ok(it, JSON.stringify(list));
    assert.equal(it.status, 'pending');
    assert.equal(it.organization_id, B.account_id);
    assert.equal(typeof it.organization_name, 'string');
    assert.equal(it.invited_member_id, user.id);
    assert.equal(it.invited_member_email, user.email);
    assert.equal(it.invited_by, B.email);
    assert.deepEqual(it.roles, ['Administrator Read Only']);
    const days = (Date.parse(it.expires_on) - Date.parse(it.invited_on)) / 86400e3;
    assert.equal(days, 7);
    assert.deepEqual(await key.user.invites.get(inv.id), it);
    // The user object lists the account as invited.
    const orgs = (await key.user.get()).organizations;
    assert.deepEqual(orgs.map((o) => [o.id, o.status, o.roles]), [[B.account_id, 'invited', ['Administrator Read Only']]]);
    // Nobody else's to read.
    await expectApiError(keyClient(srv.apiBase, B.email, B.global_api_key).user.invites.get(inv.id), 404, 1003);
  });

  test('seed 004: PATCH /user/invites/{id} with X-Auth-Email/X-Auth-Key and curl --data', async () => {
    // curl --request PATCH ".../user/invites/{id}" --header "X-Auth-Email: <EMAIL>"
    //      --header "X-Auth-Key: <API_KEY>" --data "{""status"": ""accepted""}"
    // (cmd.exe's doubled quotes reach the server as {"status": "accepted"}, with curl's default
    // Content-Type for --data.)
    const res = await raw(srv.apiBase, 'PATCH', `/user/invites/${inv.id}`, {
      headers: { ...keyHeaders(user), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '{"status": "accepted"}',
    });
    const r = assertOk(res);
    assert.equal(r.id, inv.id);
    assert.equal(r.status, 'accepted');
    assert.equal(r.organization_id, B.account_id);
    assert.deepEqual(res.body.messages, []);
  });

  test('the member now sees the membership and reads the account within its role', async () => {
    const ms = await collect(key.memberships.list());
    assert.equal(ms.length, 1);
    assert.equal(ms[0].id, inv.id);
    assert.equal(ms[0].status, 'accepted');
    assert.deepEqual(ms[0].roles, ['Administrator Read Only']);
    assert.deepEqual(ms[0].permissions.dns_records, { read: true, write: false });
    const [org] = (await key.user.get()).organizations;
    assert.equal(org.status, 'member');
    assert.ok(org.permissions.includes('#dns_records:read') && !org.permissions.includes('#dns_records:edit'), JSON.stringify(org));
    assert.equal((await key.accounts.get({ account_id: B.account_id })).id, B.account_id);
    assert.ok((await collect(key.zones.list())).some((z) => z.id === zone.id));
    await collect(key.dns.records.list({ zone_id: zone.id }));
    const m = await admin.accounts.members.get(inv.id, { account_id: B.account_id });
    assert.equal(m.status, 'accepted');
  });

  test('read-only: writes are refused, whatever the credential', async () => {
    const rec = { zone_id: zone.id, type: 'A', name: 'ro', content: '192.0.2.1', ttl: 1 };
    await expectApiError(key.dns.records.create(rec), 403, 10000);
    await expectApiError(key.accounts.members.create({ account_id: B.account_id, email: newEmail('x'), roles: [ROLE.ADMIN] }), 403, 10000);
    // A token the member mints (with its first token, from user creation) with DNS Write on
    // every zone is capped by the member's role.
    const t = await tokenClient(srv.apiBase, user.api_token).user.tokens.create({
      name: uniqueName('member-token'),
      policies: [allow([PG.DNS_WRITE, PG.DNS_READ], { [allZonesRes]: '*' })],
    });
    const tok = tokenClient(srv.apiBase, t.value);
    await collect(tok.dns.records.list({ zone_id: zone.id }));
    await expectApiError(tok.dns.records.create(rec), 403, 10000);
    await tokenClient(srv.apiBase, user.api_token).user.tokens.delete(t.id);
  });

  test('Administrator: writes DNS, but manages neither members nor the account', async () => {
    const m = await admin.accounts.members.update(inv.id, { account_id: B.account_id, roles: [{ id: ROLE.ADMIN }] });
    assert.deepEqual(m.roles.map((r) => r.name), ['Administrator']);
    const r = await key.dns.records.create({ zone_id: zone.id, type: 'A', name: 'admin', content: '192.0.2.2', ttl: 1 });
    assert.equal(r.name, `admin.${zone.name}`);
    // Members can be read (Account Settings Read), not managed (Account Settings Write).
    assert.ok((await collect(key.accounts.members.list({ account_id: B.account_id }))).length >= 2);
    await expectApiError(key.accounts.members.create({ account_id: B.account_id, email: newEmail('x'), roles: [ROLE.ADMIN] }), 403, 10000);
    await expectApiError(key.accounts.members.delete(inv.id, { account_id: B.account_id }), 403, 10000);
    await expectApiError(key.accounts.update({ account_id: B.account_id, name: 'taken over' }), 403, 10000);
  });

  test('Administrator: account tokens only within the role (no way to Super Administrator)', async () => {
    // Found in review: an account-owned token is not capped by any member's roles when used, so
    // minting or rolling one must stay within the minter's roles.
    const acctTokens = (c) => c.accounts.tokens;
    const settingsWrite = { name: uniqueName('esc'), policies: [allow([PG.ACCOUNT_SETTINGS_WRITE], { [`com.cloudflare.api.account.${B.account_id}`]: '*' })] };
    await expectApiError(acctTokens(key).create({ account_id: B.account_id, ...settingsWrite }), 403, 9109);
    const viaToken = tokenClient(srv.apiBase, user.api_token);
    await expectApiError(acctTokens(viaToken).create({ account_id: B.account_id, ...settingsWrite }), 403, 9109);
    const dns = await acctTokens(key).create({
      account_id: B.account_id,
      name: uniqueName('admin-dns'),
      policies: [allow([PG.DNS_WRITE], { [`com.cloudflare.api.account.${B.account_id}`]: { 'com.cloudflare.api.account.zone.*': '*' } })],
    });
    assert.equal(typeof dns.value, 'string');
    // The owner's account token with Account Settings Write: the Administrator may not roll it
    // (rolling hands over its secret).
    const owners = await admin.accounts.tokens.create({ account_id: B.account_id, ...settingsWrite });
    await expectApiError(acctTokens(key).value.update(owners.id, { account_id: B.account_id }), 403, 9109);
    await admin.accounts.tokens.delete(owners.id, { account_id: B.account_id });
    await admin.accounts.tokens.delete(dns.id, { account_id: B.account_id });
  });

  test('Super Administrator: manages members', async () => {
    await admin.accounts.members.update(inv.id, { account_id: B.account_id, roles: [{ id: ROLE.SUPER }] });
    const listed = await collect(key.accounts.members.list({ account_id: B.account_id }));
    assert.ok(listed.some((x) => x.id === inv.id));
    await admin.accounts.members.update(inv.id, { account_id: B.account_id, roles: [{ id: ROLE.READ_ONLY }] });
  });

  test('removed: the access ends at once', async () => {
    const res = await admin.accounts.members.delete(inv.id, { account_id: B.account_id });
    assert.equal(res.id, inv.id);
    members.delete(inv.id);
    await expectApiError(key.accounts.get({ account_id: B.account_id }), 403, 10000);
    await expectApiError(admin.accounts.members.get(inv.id, { account_id: B.account_id }), 404, 1003);
    assert.deepEqual(await collect(key.memberships.list()), []);
  });
});

describe('invites to an e-mail with no user yet, rejecting, leaving', () => {
  test('the invite waits for the user; the user rejects it; a new invite is accepted by PUT /memberships', async () => {
    const email = newEmail('later');
    const m = await invite(email, [ROLE.ADMIN]);
    assert.equal(m.status, 'pending');
    assert.equal(m.user.id, null);
    assert.equal(m.user.email, email);
    const user = await createUser(email);
    const key = keyClient(srv.apiBase, email, user.global_api_key);
    const [it] = await collect(key.user.invites.list());
    assert.equal(it.id, m.id);
    assert.equal(it.invited_member_id, user.id);

    const rejected = await key.user.invites.edit(m.id, { status: 'rejected' });
    assert.equal(rejected.status, 'rejected');
    await expectApiError(key.user.invites.edit(m.id, { status: 'accepted' }), 400, 1001);
    await expectApiError(key.accounts.get({ account_id: B.account_id }), 403, 10000);

    // A rejected invite may be sent again.
    const again = await invite(email, [ROLE.READ_ONLY]);
    assert.notEqual(again.id, m.id);
    const ms = await collect(key.memberships.list({ status: 'pending' }));
    assert.deepEqual(ms.map((x) => x.id), [again.id]);
    const put = await key.memberships.update(again.id, { status: 'accepted' });
    assert.equal(put.status, 'accepted');
    assert.deepEqual(put.roles, ['Administrator Read Only']);
    assert.equal((await key.accounts.get({ account_id: B.account_id })).id, B.account_id);

    // Leaving the account.
    assert.equal((await key.memberships.delete(again.id)).id, again.id);
    members.delete(again.id);
    await expectApiError(key.accounts.get({ account_id: B.account_id }), 403, 10000);
  });

  test('direct add (status accepted) of an existing user', async () => {
    const user = await createUser(newEmail('direct'));
    const m = await invite(user.email, [ROLE.READ_ONLY], { status: 'accepted' });
    assert.equal(m.status, 'accepted');
    const key = keyClient(srv.apiBase, user.email, user.global_api_key);
    assert.equal((await key.accounts.get({ account_id: B.account_id })).id, B.account_id);
  });
});

describe('member refusals', () => {
  test('bodies: duplicate, unknown role, direct add without a user, policies, bad e-mail', async () => {
    const email = newEmail('dup');
    await invite(email, [ROLE.ADMIN]);
    const create = (body) => admin.accounts.members.create({ account_id: B.account_id, ...body });
    await expectApiError(create({ email: email.toUpperCase(), roles: [ROLE.ADMIN] }), 400, 1001);
    await expectApiError(create({ email: newEmail('r'), roles: ['0'.repeat(32)] }), 400, 1001);
    await expectApiError(create({ email: newEmail('r'), roles: [] }), 400, 1001);
    await expectApiError(create({ email: newEmail('r') }), 400, 1001);
    await expectApiError(create({ email: 'nobody', roles: [ROLE.ADMIN] }), 400, 1001);
    await expectApiError(create({ email: newEmail('r'), roles: [ROLE.ADMIN], status: 'accepted' }), 400, 1001);
    await expectApiError(create({ email: newEmail('r'), roles: [ROLE.ADMIN], status: 'rejected' }), 400, 1001);
    await expectApiError(create({ email: newEmail('p'), policies: [{ access: 'allow', permission_groups: [], resource_groups: [] }] }), 501, 7000);
  });

  test('the last Super Administrator stays', async () => {
    const all = await collect(admin.accounts.members.list({ account_id: B.account_id, per_page: 50 }));
    const owner = all.find((m) => m.user.id === B.user_id);
    assert.deepEqual(owner.roles.map((r) => r.id), [ROLE.SUPER]);
    await expectApiError(admin.accounts.members.delete(owner.id, { account_id: B.account_id }), 400, 1001);
    await expectApiError(admin.accounts.members.update(owner.id, { account_id: B.account_id, roles: [{ id: ROLE.ADMIN }] }), 400, 1001);
    await expectApiError(admin.memberships.delete(owner.id), 400, 1001);
    assert.equal((await admin.accounts.members.get(owner.id, { account_id: B.account_id })).status, 'accepted');
  });

  test('unknown ids and someone else\'s invite', async () => {
    const none = '0'.repeat(32);
    await expectApiError(admin.accounts.members.get(none, { account_id: B.account_id }), 404, 1003);
    await expectApiError(admin.accounts.members.delete(none, { account_id: B.account_id }), 404, 1003);
    await expectApiError(admin.user.invites.get(none), 404, 1003);
    await expectApiError(admin.user.invites.edit(none, { status: 'accepted' }), 404, 1003);
    const m = await invite(newEmail('theirs'), [ROLE.ADMIN]);
    await expectApiError(admin.user.invites.edit(m.id, { status: 'accepted' }), 404, 1003);
    await expectApiError(admin.memberships.update(m.id, { status: 'accepted' }), 404, 1003);
  });

  test('invite answers: only accepted or rejected', async () => {
    const user = await createUser(newEmail('answer'));
    const m = await invite(user.email, [ROLE.ADMIN]);
    const patch = (body) => raw(srv.apiBase, 'PATCH', `/user/invites/${m.id}`, { headers: keyHeaders(user), json: body });
    assertFail(await patch({ status: 'maybe' }), 400, 1001);
    assertFail(await patch({}), 400, 1001);
    assertFail(await patch({ status: 'accepted', extra: 1 }), 400, 1001);
    assertFail(await raw(srv.apiBase, 'PATCH', `/user/invites/${m.id}`, { headers: { ...keyHeaders(user), 'Content-Type': 'application/json' }, body: '{"status":' }), 400, 6007);
  });

  test('members list: pages, status filter, order', async () => {
    for (let i = 0; i < 6; i++) await invite(newEmail(`page${i}`), [ROLE.READ_ONLY]);
    const all = await collect(admin.accounts.members.list({ account_id: B.account_id, per_page: 5 }));
    assert.equal(new Set(all.map((m) => m.id)).size, all.length);
    assert.ok(all.length >= 7);
    const pending = await collect(admin.accounts.members.list({ account_id: B.account_id, status: 'pending' }));
    assert.ok(pending.length >= 6 && pending.every((m) => m.status === 'pending'));
    const byEmail = await collect(admin.accounts.members.list({ account_id: B.account_id, order: 'user.email', direction: 'desc' }));
    const emails = byEmail.map((m) => m.user.email);
    assert.deepEqual(emails, [...emails].sort().reverse());
    const page2 = await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}/members?per_page=5&page=2`, { token: B.api_token });
    assert.equal(page2.body.result_info.page, 2);
    assert.equal(page2.body.result_info.total_count, all.length);
    assertFail(await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}/members?status=gone`, { token: B.api_token }), 400, 1001);
  });
});
