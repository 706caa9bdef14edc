// The token-related curl lines of the seed documents (/work/shared/seeds/*.txt), sent with fetch
// exactly as written: same method, headers and body, only the host replaced by the Nubis API base
// and the <PLACEHOLDERS> filled in. run.sh presets the bootstrap token to the docs' example token
// (YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T), so the lines quoting it work verbatim.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCS_EXAMPLE_TOKEN, liveSharedServer, sharedFetch } from './lib/server.mjs';
import {
  Cleanup,
  PG,
  allow,
  assertFail,
  assertJsonEnvelope,
  createUserToken,
  createZone,
  tokenClient,
  zoneRes,
} from './lib/api.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
let zone;
let zoneToken; // a token created like the docs' "Edit zone DNS" template (+ Zone Read to read the zone)

before(async () => {
  zone = await createZone(admin, cleanup, B.account_id, 'seed');
  zoneToken = await createUserToken(admin, cleanup, {
    policies: [allow([PG.DNS_WRITE, PG.ZONE_READ], { [zoneRes(zone.id)]: '*' })],
  });
});
after(() => cleanup.run());

// What curl itself adds to every request.
const CURL = { 'User-Agent': 'curl/8.5.0', Accept: '*/*' };
const CF = 'https://api.cloudflare.com/client/v4';
// Replaces the Cloudflare host by the Nubis base.
const url = (cfUrl) => {
  assert.ok(cfUrl.startsWith(CF), cfUrl);
  return srv.apiBase + cfUrl.slice(CF.length);
};

async function send(cfUrl, { method = 'GET', headers = {}, body } = {}) {
  const res = await sharedFetch(url(cfUrl), { method, headers: { ...CURL, ...headers }, body });
  const text = await res.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') || '', text, body: parsed, headers: res.headers };
}

const VERIFY_BODY = (id) => ({
  result: { id, status: 'active' },
  success: true,
  errors: [],
  messages: [{ code: 10000, message: 'This API Token is valid and active', type: null }],
});

test('run.sh preset the bootstrap token to the docs example token', () => {
  assert.equal(B.api_token, DOCS_EXAMPLE_TOKEN);
});

describe('seed 002 (api quickstart)', () => {
  // curl -X GET "https://api.cloudflare.com/client/v4/zones/<ACCOUNT_ID>" \
  //   -H "Content-Type:application/json" \
  //   -H "Authorization: Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T"
  test('GET /zones/<id> with Content-Type on a bodyless GET and the docs token', async () => {
    const res = await send(`${CF}/zones/${zone.id}`, {
      method: 'GET',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T' },
    });
    assert.equal(res.status, 200, res.text);
    assertJsonEnvelope(res);
    assert.equal(res.body.success, true);
    assert.equal(res.body.result.id, zone.id);
    assert.equal(res.body.result.name, zone.name);
  });

  test('the literal placeholder target (an account id where a zone id belongs) is a 4xx envelope', async () => {
    const res = await send(`${CF}/zones/${B.account_id}`, {
      method: 'GET',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T' },
    });
    assertFail(res, '4xx');
  });
});

describe('seed 003 (create an API token, verify)', () => {
  // $ curl "https://api.cloudflare.com/client/v4/user/tokens/verify" \
  //      -H "Authorization: Bearer <API_TOKEN>"
  test('verify with the bootstrap token returns exactly the documented JSON', async () => {
    const res = await send(`${CF}/user/tokens/verify`, { headers: { Authorization: `Bearer ${B.api_token}` } });
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType, /application\/json/);
    assert.deepEqual(res.body, VERIFY_BODY(B.api_token_id));
  });

  test('verify with a freshly created "Edit zone DNS" token returns exactly the documented JSON', async () => {
    const res = await send(`${CF}/user/tokens/verify`, { headers: { Authorization: `Bearer ${zoneToken.value}` } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, VERIFY_BODY(zoneToken.id));
  });

  test('verify with a token that does not exist: 401 1000 Invalid API Token', async () => {
    const res = await send(`${CF}/user/tokens/verify`, {
      headers: { Authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    const body = assertFail(res, 401, 1000);
    assert.equal(body.errors[0].message, 'Invalid API Token');
  });
});

describe('seed 004 (make API calls)', () => {
  // curl "https://api.cloudflare.com/client/v4/zones/{zone_id}" \
  // --header "Authorization: Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T"
  test('GET /zones/{zone_id} with the docs token', async () => {
    const res = await send(`${CF}/zones/${zone.id}`, {
      headers: { Authorization: 'Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T' },
    });
    assert.equal(res.status, 200, res.text);
    assertJsonEnvelope(res);
    assert.equal(res.body.result.id, zone.id);
  });

  // curl "https://api.cloudflare.com/client/v4/zones/{zone_id}" \
  // --header "Authorization: Bearer <API_TOKEN>" | jq .
  test('GET /zones/{zone_id} with a zone token; the output is valid JSON for jq', async () => {
    const res = await send(`${CF}/zones/${zone.id}`, { headers: { Authorization: `Bearer ${zoneToken.value}` } });
    assert.equal(res.status, 200, res.text);
    assert.doesNotThrow(() => JSON.parse(res.text));
    assert.equal(res.body.success, true);
    assert.equal(res.body.result.id, zone.id);
  });

  // Pagination paragraph: "per_page=xx" / "page=x" and result_info {count, page, per_page, total_count}.
  test('documented pagination fields on a token-authenticated list', async () => {
    const res = await send(`${CF}/zones?per_page=5&page=1`, {
      headers: { Authorization: 'Bearer YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T' },
    });
    assert.equal(res.status, 200, res.text);
    const ri = res.body.result_info;
    for (const k of ['count', 'page', 'per_page', 'total_count']) assert.equal(typeof ri[k], 'number', k);
    assert.equal(ri.page, 1);
    assert.equal(ri.per_page, 5);
    assert.equal(ri.count, res.body.result.length);
  });

  // C:\>curl --request PATCH "https://api.cloudflare.com/client/v4/user/invites/{id}" --header "X-Auth-Email: <EMAIL>"
  //   --header "X-Auth-Key: <API_KEY>" --data "{""status"": ""accepted""}"
  // PS C:\> curl.exe --request PATCH "https://api.cloudflare.com/client/v4/user/invites/{id}"
  //   --header "Authorization: Bearer <API_TOKEN>" --data '{\"status\": \"accepted\"}'
  // Both reach the server as {"status": "accepted"} with curl's --data Content-Type
  // (application/x-www-form-urlencoded). <EMAIL>, <API_KEY> and <API_TOKEN> are the invited user's:
  // each variant gets a user of its own (the Nubis admin API) and an invite from the owner.
  const variants = [
    ['email + key', (u) => ({ 'X-Auth-Email': u.email, 'X-Auth-Key': u.global_api_key })],
    ['Bearer token', (u) => ({ Authorization: `Bearer ${u.api_token}` })],
  ];
  for (const [label, h] of variants) {
    test(`PATCH /user/invites/{id} (${label}) accepts the invite`, async () => {
      const email = `seed-invite-${Math.random().toString(16).slice(2, 10)}@example.com`;
      const made = await send(`${CF}/nubis/users`, {
        method: 'POST',
        headers: { 'X-Auth-Email': B.email, 'X-Auth-Key': B.global_api_key, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      assert.equal(made.status, 200, made.text);
      const user = made.body.result;
      const invite = await admin.accounts.members.create({ account_id: B.account_id, email, roles: ['f2b20eaa1a5d4af42b53ac16238c99c7'] });
      try {
        const res = await send(`${CF}/user/invites/${invite.id}`, {
          method: 'PATCH',
          headers: { ...h(user), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: '{"status": "accepted"}',
        });
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.success, true);
        assert.deepEqual(res.body.errors, []);
        assert.equal(res.body.result.id, invite.id);
        assert.equal(res.body.result.status, 'accepted');
        assert.equal(res.body.result.organization_id, B.account_id);
        const member = await admin.accounts.members.get(invite.id, { account_id: B.account_id });
        assert.equal(member.status, 'accepted');
      } finally {
        await admin.accounts.members.delete(invite.id, { account_id: B.account_id }).catch(() => {});
      }
    });
  }
});

// PS C:\> Invoke-RestMethod -URI 'https://api.cloudflare.com/client/v4/zones/{zone_id}/ssl/certificate_packs?ssl_status=all'
//   -Method 'GET' -ContentType 'application/json' -Headers @{'X-Auth-Email'='<EMAIL>';'X-Auth-Key'='<API_KEY>'}
// Invoke-RestMethod sends the -ContentType header on a GET; the answer is the seed's shape.
describe('seed 004 (certificate packs, PowerShell)', () => {
  test('GET …/ssl/certificate_packs?ssl_status=all with e-mail + key lists the universal pack', async () => {
    const res = await send(`${CF}/zones/${zone.id}/ssl/certificate_packs?ssl_status=all`, {
      headers: { 'Content-Type': 'application/json', 'X-Auth-Email': B.email, 'X-Auth-Key': B.global_api_key, 'User-Agent': 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1' },
    });
    assert.equal(res.status, 200, res.text);
    assertJsonEnvelope(res);
    const [pack] = res.body.result;
    assert.equal(res.body.result.length, 1);
    assert.equal(pack.type, 'universal');
    assert.deepEqual([...pack.hosts].sort(), [`*.${zone.name}`, zone.name].sort());
    assert.equal(pack.primary_certificate, pack.certificates[0].id);
    for (const k of ['id', 'status', 'created_on', 'validity_days', 'validation_method', 'certificate_authority']) assert.ok(k in pack, k);
    const cert = pack.certificates[0];
    for (const k of ['issuer', 'signature', 'status', 'bundle_method', 'zone_id', 'uploaded_on', 'modified_on', 'expires_on', 'priority']) assert.ok(k in cert, k);
    assert.equal(cert.signature, 'ECDSAWithSHA384');
    assert.equal(cert.zone_id, zone.id);
    assert.ok(Date.parse(cert.expires_on) - Date.parse(cert.uploaded_on) >= 89 * 86400e3);
    const ri = res.body.result_info;
    assert.deepEqual(ri, { page: 1, per_page: 20, count: 1, total_count: 1, total_pages: 1 });
  });
});

// Seeds 000 and 001 (curl -X POST ".../accounts/<ACCOUNT_ID>/images/v1" -H "Authorization: Bearer
// <API_TOKEN>" -F file=@...) are in images.test.mjs.
