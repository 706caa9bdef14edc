// Zone settings (issue 5 §1): the basic settings read and edited through the official SDK
// (client.zones.settings.get / edit) and the raw list and bulk edit, guarded by Zone Settings
// Read/Write; a setting Nubis does not know is refused with Cloudflare's 1006.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import { Cleanup, assertFail, assertOk, createUserToken, createZone, expectApiError, raw, tokenClient, allow, zoneRes } from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
after(() => cleanup.run());

const ZONE_SETTINGS_READ = '517b21aee92c4d89936c976ba6e4be55';
const ZONE_SETTINGS_WRITE = '3030687196b94b638145a3953da2b699';

describe('zone settings', () => {
  let zone;
  before(async () => {
    zone = await createZone(admin, cleanup, B.account_id, 'settings');
  });

  test('a new zone has the defaults; get one by id', async () => {
    const all = assertOk(await raw(srv.apiBase, 'GET', `/zones/${zone.id}/settings`, { token: B.api_token }));
    const byId = Object.fromEntries(all.map((s) => [s.id, s]));
    assert.equal(byId.always_use_https.value, 'off');
    assert.equal(byId.ssl.value, 'full');
    assert.equal(byId.min_tls_version.value, '1.0');
    assert.equal(byId.browser_cache_ttl.value, 14400);
    assert.equal(byId.ssl.modified_on, null);
    assert.equal(byId.ssl.editable, true);
    const one = await admin.zones.settings.get('always_use_https', { zone_id: zone.id });
    assert.deepEqual(one, { id: 'always_use_https', value: 'off', editable: true, modified_on: null });
  });

  test('edit one and read it back; edit several at once', async () => {
    const edited = await admin.zones.settings.edit('always_use_https', { zone_id: zone.id, value: 'on' });
    assert.equal(edited.value, 'on');
    assert.ok(!Number.isNaN(Date.parse(edited.modified_on)));
    assert.equal((await admin.zones.settings.get('always_use_https', { zone_id: zone.id })).value, 'on');
    const res = assertOk(await raw(srv.apiBase, 'PATCH', `/zones/${zone.id}/settings`, {
      token: B.api_token,
      json: { items: [{ id: 'ssl', value: 'strict' }, { id: 'browser_cache_ttl', value: 7200 }] },
    }));
    assert.deepEqual(res.map((s) => [s.id, s.value]), [['ssl', 'strict'], ['browser_cache_ttl', 7200]]);
    assert.equal((await admin.zones.settings.get('ssl', { zone_id: zone.id })).value, 'strict');
  });

  test('refusals: unknown setting 1006, bad values 1001, all or nothing', async () => {
    await expectApiError(admin.zones.settings.get('warp_drive', { zone_id: zone.id }), 400, 1006);
    await expectApiError(admin.zones.settings.edit('warp_drive', { zone_id: zone.id, value: 'on' }), 400, 1006);
    await expectApiError(admin.zones.settings.edit('ssl', { zone_id: zone.id, value: 'maybe' }), 400, 1001);
    await expectApiError(admin.zones.settings.edit('browser_cache_ttl', { zone_id: zone.id, value: -5 }), 400, 1001);
    await expectApiError(admin.zones.settings.edit('ssl', { zone_id: zone.id }), 400, 1001);
    assertFail(await raw(srv.apiBase, 'PATCH', `/zones/${zone.id}/settings`, {
      token: B.api_token,
      json: { items: [{ id: 'ipv6', value: 'off' }, { id: 'ssl', value: 'nope' }] },
    }), 400, 1001);
    assert.equal((await admin.zones.settings.get('ipv6', { zone_id: zone.id })).value, 'on', 'nothing of a refused batch is kept');
    assertFail(await raw(srv.apiBase, 'PATCH', `/zones/${zone.id}/settings`, { token: B.api_token, json: {} }), 400, 1001);
  });

  test('Zone Settings Read reads, Write edits, on the zone granted only', async () => {
    const other = await createZone(admin, cleanup, B.account_id, 'settings2');
    const ro = tokenClient(srv.apiBase, (await createUserToken(admin, cleanup, { policies: [allow([ZONE_SETTINGS_READ], { [zoneRes(zone.id)]: '*' })] })).value);
    assert.equal((await ro.zones.settings.get('ssl', { zone_id: zone.id })).id, 'ssl');
    await expectApiError(ro.zones.settings.edit('ssl', { zone_id: zone.id, value: 'off' }), 403, [10000, 9109]);
    await expectApiError(ro.zones.settings.get('ssl', { zone_id: other.id }), 403, [10000, 9109]);
    const rw = tokenClient(srv.apiBase, (await createUserToken(admin, cleanup, { policies: [allow([ZONE_SETTINGS_WRITE], { [zoneRes(zone.id)]: '*' })] })).value);
    assert.equal((await rw.zones.settings.edit('ssl', { zone_id: zone.id, value: 'flexible' })).value, 'flexible');
  });
});
