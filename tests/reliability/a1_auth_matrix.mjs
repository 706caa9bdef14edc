// A1 — auth matrix (RELIABILITY.md §7). For every operation in the served /openapi.json (except
// kind=public) send the request with each credential fault and require the documented refusal:
//
//   F1 no credential                          400 / 9106
//   F2 malformed Authorization (3 variants)   400 / 6003 with error_chain 6111
//   F3 unknown well-formed token              verify: 401 / 1000, else 403 / 9109
//   F4 deleted token                          same as F3
//   F5 rolled-away old secret                 same as F3
//   F6 expired token (expires_on in the past) same as F3
//   F7 not-yet-valid token (not_before future) same as F3
//   F8 token restricted to 10.0.0.0/8          403 / 9109 (on verify 401 / 1000 also accepted)
//   F9 valid token lacking the permission     403 / 10000 or 9109 (kind=groups routes only)
//   L1 X-Auth-Email + wrong well-formed key    403 / 9103; token_only routes 400 / 1001
//   L2 malformed X-Auth-Key                    400 / 6003 with error_chain 6103
//   L3 unknown e-mail + the real key           403 / 9103; token_only routes 400 / 1001
//
// Images routes get real fixtures (an uploaded PNG, a named variant, a signing key) so their
// positive controls reach a 2xx, and bodies that would change state if a fault were admitted
// (multipart uploads, a new variant, a key roll, PATCHes). Public routes (health, and the image
// delivery route GET|HEAD /cdn-cgi/imagedelivery/{path*}) take no credential: they are not in the
// matrix, but get controls of their own (200 without credentials).
//
// F4–F9 run once per token kind the route serves (user tokens, account-owned tokens). Every
// faulty token is otherwise fully privileged, and a positive control per route and kind (the
// same token without the fault, and the real Global API Key) must succeed: that proves each fault
// is what gets the request refused. State (tokens, zones, user, accounts, memberships) is
// snapshotted before and after the matrix and must be unchanged; the auth-failure counters in
// /metrics must have grown by exactly what the matrix produced (O2).

import {
  runScript,
  startServer,
  request,
  apiOk,
  envelopeProblem,
  describe,
  hex32,
  randomSecret,
  clip,
  healthy,
  multipart,
  smallPng,
  uploadImage,
  deliveryOf,
} from './lib.mjs';

const RFC_PAST = '2020-01-01T00:00:00Z';
const RFC_FUTURE = '2099-01-01T00:00:00Z';

function stripVolatile(v) {
  if (Array.isArray(v)) return v.map(stripVolatile);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort()) if (k !== 'last_used_on') o[k] = stripVolatile(v[k]);
    return o;
  }
  return v;
}

function parseMetrics(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^nubis_auth_failures_total\{reason="([^"]*)"\} (\d+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

async function metricsAuth(server) {
  const r = await request(server.port, 'GET', '/metrics');
  return parseMetrics(r.body);
}

runScript('a1_auth_matrix', async (t) => {
  let server = await startServer();
  const crashes = [];
  // After each request: a dead server is a failure of its own (with the request that killed it);
  // restart on the same data dir so the remaining cases still test something.
  const afterRequest = async (what) => {
    await new Promise((r) => setTimeout(r, 0));
    if (server.alive()) return true;
    await server.waitExit(500);
    const info = JSON.stringify(server.exitInfo);
    crashes.push({ what, exit: info });
    t.check(`server survives: ${what}`, false, `server process died (${info}) handling this request; restarting on the same data dir
--- log tail ---
${server.logTail(8)}`);
    server = await server.restart();
    return false;
  };
  const B = server.bootstrap;
  const acct = B.account_id;
  const uid = B.user_id;
  const T = server.token;
  const userKey = `com.cloudflare.api.user.${uid}`;
  const acctKey = `com.cloudflare.api.account.${acct}`;
  const zoneKey = (z) => `com.cloudflare.api.account.zone.${z}`;

  // ---- catalog and routes ------------------------------------------------------------------
  const spec = (await request(server.port, 'GET', '/openapi.json')).json;
  const groupsList = (await apiOk(server, 'GET', '/user/tokens/permission_groups')).result;
  const byName = Object.fromEntries(groupsList.map((g) => [g.name, g.id]));
  const scopeOf = (g) => (g.scopes[0].endsWith('.zone') ? 'zone' : g.scopes[0].endsWith('.account') ? 'account' : 'user');
  const groupsOfScope = (s) => groupsList.filter((g) => scopeOf(g) === s).map((g) => g.id);
  const pg = (ids) => ids.map((id) => ({ id }));

  const routes = [];
  for (const [p, ops] of Object.entries(spec.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const a = op['x-nubis-access'];
      routes.push({ method: m.toUpperCase(), path: p, access: a, params: (op.parameters || []).map((x) => x.name) });
    }
  }
  const apiRoutes = routes.filter((r) => r.access.kind !== 'public');
  t.check('openapi.json lists operations with x-nubis-access', apiRoutes.length >= 20, `found ${apiRoutes.length}`);
  t.measure('routes', apiRoutes.length);

  // ---- fixtures ------------------------------------------------------------------------------
  const mkZone = async (label) =>
    (await apiOk(server, 'POST', '/zones', { body: { name: `a1-${label}-${hex32().slice(0, 10)}-example.com`, account: { id: acct } } })).result.id;
  const zone1 = await mkZone('z1');
  const zone1Name = (await apiOk(server, 'GET', `/zones/${zone1}`)).result.name;
  const zone2 = await mkZone('z2');
  const membershipId = (await apiOk(server, 'GET', '/memberships')).result[0].id;

  // Images fixtures: an uploaded image, a named variant, a signing key (IMAGES.md §A.1).
  const IMG = `/accounts/${acct}/images`;
  const variantBody = (id) => ({ id, options: { fit: 'scale-down', width: 10, height: 10, metadata: 'none' } });
  const mkImage = async (label) => {
    const r = await uploadImage(server, smallPng(8 + (label.length % 5), 8), { filename: `a1-${label}.png` });
    if (r.status !== 200 || !r.json?.success) throw new Error(`uploading the ${label} image fixture: ${r.status} ${clip(r.body, 600)}`);
    return r.json.result.id;
  };
  const mkVariant = async (id) => {
    await apiOk(server, 'POST', `${IMG}/v1/variants`, { body: variantBody(id) });
    return id;
  };
  const mkKey = async (name) => {
    await apiOk(server, 'PUT', `${IMG}/v1/keys/${name}`, { body: {} });
    return name;
  };
  // DNS fixtures: a record of zone1 for the {dns_record_id} routes; fresh ones for deletes.
  const mkRecord = async (label) =>
    (await apiOk(server, 'POST', `/zones/${zone1}/dns_records`, { body: { type: 'TXT', name: `a1-${label}-${hex32().slice(0, 8)}`, content: `a1 ${label}` } })).result.id;
  const pathRecord = await mkRecord('path');
  // SSL fixtures: an advanced pack of zone1 for the {certificate_pack_id} routes; fresh ones for deletes.
  const orderBody = () => ({ type: 'advanced', hosts: [`a1-${hex32().slice(0, 8)}.${zone1Name}`], validation_method: 'txt', validity_days: 90, certificate_authority: 'lets_encrypt' });
  const mkPack = async () => (await apiOk(server, 'POST', `/zones/${zone1}/ssl/certificate_packs/order`, { body: orderBody() })).result.id;
  const pathPack = await mkPack();
  // Member fixtures: an invite (pending member) of the account for the {member_id} routes; fresh
  // ones for deletes. Role ids are Cloudflare's (the same in every account).
  const ROLE_ADMIN = '05784afa30c1afe1440e79d9351c7430';
  const ROLE_READ_ONLY = 'f2b20eaa1a5d4af42b53ac16238c99c7';
  const mkMember = async (label) =>
    (await apiOk(server, 'POST', `/accounts/${acct}/members`, { body: { email: `a1-${label}-${hex32().slice(0, 8)}@example.com`, roles: [ROLE_ADMIN] } })).result.id;
  const pathMember = await mkMember('path');
  const pathImageId = await mkImage('path');
  const pathVariant = await mkVariant('a1path');
  const pathKey = await mkKey('a1path');
  const hash = B.account_hash;

  const bootTok = (await apiOk(server, 'GET', `/user/tokens/${B.api_token_id}`)).result;
  const fullUserPolicies = bootTok.policies.map((p) => ({
    effect: p.effect,
    permission_groups: p.permission_groups.map((g) => ({ id: g.id })),
    resources: p.resources,
  }));
  const fullAcctPolicies = [
    { effect: 'allow', permission_groups: pg(groupsOfScope('account')), resources: { [acctKey]: '*' } },
    { effect: 'allow', permission_groups: pg(groupsOfScope('zone')), resources: { [acctKey]: { 'com.cloudflare.api.account.zone.*': '*' } } },
  ];

  const createTok = async (kind, name, extra, policies) => {
    const prefix = kind === 'user' ? '/user/tokens' : `/accounts/${acct}/tokens`;
    const body = { name, policies: policies ?? (kind === 'user' ? fullUserPolicies : fullAcctPolicies), ...extra };
    const r = await request(server.port, 'POST', `/client/v4${prefix}`, { token: T, body });
    return r;
  };
  const mustCreate = async (kind, name, extra, policies) => {
    const r = await createTok(kind, name, extra, policies);
    if (r.status !== 200 || !r.json?.success) throw new Error(`creating ${kind} token ${name}: ${r.status} ${clip(r.body, 600)}`);
    return { id: r.json.result.id, secret: r.json.result.value };
  };
  const tokPrefix = (kind) => (kind === 'user' ? '/user/tokens' : `/accounts/${acct}/tokens`);

  // Path-parameter fixtures the matrix points at.
  const pathUserTok = await mustCreate('user', 'a1 path user token', {}, [
    { effect: 'allow', permission_groups: pg([byName['User Details Read']]), resources: { [userKey]: '*' } },
  ]);
  const pathAcctTok = await mustCreate('account', 'a1 path account token', {}, [
    { effect: 'allow', permission_groups: pg([byName['Account Settings Read']]), resources: { [acctKey]: '*' } },
  ]);

  // Faulty tokens, per kind.
  const faults = {};
  for (const kind of ['user', 'account']) {
    const f = {};
    const del = await mustCreate(kind, `a1 F4 deleted ${kind}`);
    await apiOk(server, 'DELETE', `${tokPrefix(kind)}/${del.id}`);
    f.F4 = del.secret;
    const rolled = await mustCreate(kind, `a1 F5 rolled ${kind}`);
    await apiOk(server, 'PUT', `${tokPrefix(kind)}/${rolled.id}/value`, { body: {} });
    f.F5 = rolled.secret;
    let exp = await createTok(kind, `a1 F6 expired ${kind}`, { expires_on: RFC_PAST });
    if (exp.status === 200) {
      f.F6 = exp.json.result.value;
    } else {
      // The server refuses a past expires_on: make one that expires in 2 s and wait it out below.
      const soon = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toISOString().replace(/\.\d+Z$/, 'Z');
      f.F6 = (await mustCreate(kind, `a1 F6 expired ${kind}`, { expires_on: soon })).secret;
      f.F6wait = Date.parse(soon) + 1100;
    }
    f.F7 = (await mustCreate(kind, `a1 F7 not yet ${kind}`, { not_before: RFC_FUTURE })).secret;
    f.F8 = (await mustCreate(kind, `a1 F8 ip ${kind}`, { condition: { 'request.ip': { in: ['10.0.0.0/8'] } } })).secret;
    f.control = (await mustCreate(kind, `a1 control ${kind}`)).secret;
    faults[kind] = f;
  }
  const waitUntil = Math.max(faults.user.F6wait || 0, faults.account.F6wait || 0);
  if (waitUntil > Date.now()) await new Promise((r) => setTimeout(r, waitUntil - Date.now()));

  // F9 tokens: every permission except the route's accepted groups on the route's target; the
  // accepted groups themselves only on another zone where the scope allows one.
  const f9Cache = new Map();
  const handlerGroups = { 'POST /zones': ['Zone Write', 'DNS Write'] }; // checked in the handler
  const f9Token = async (route, kind) => {
    let accepted = route.access.groups.map((g) => g.id);
    let scope = route.access.scope;
    const hk = `${route.method} ${route.path}`;
    if (route.access.kind !== 'groups' && handlerGroups[hk]) {
      accepted = handlerGroups[hk].map((n) => byName[n]);
      scope = 'zone';
    }
    const sig = `${kind}|${scope}|${[...accepted].sort().join(',')}`;
    if (f9Cache.has(sig)) return f9Cache.get(sig);
    const minus = (ids) => ids.filter((id) => !accepted.includes(id));
    const policies = [];
    if (kind === 'user') {
      const ug = minus(groupsOfScope('user'));
      if (ug.length) policies.push({ effect: 'allow', permission_groups: pg(ug), resources: { [userKey]: '*' } });
    }
    const ag = minus(groupsOfScope('account'));
    if (ag.length) policies.push({ effect: 'allow', permission_groups: pg(ag), resources: { [acctKey]: '*' } });
    const zg = minus(groupsOfScope('zone'));
    if (zg.length) {
      policies.push({
        effect: 'allow',
        permission_groups: pg(zg),
        resources: kind === 'user' ? { 'com.cloudflare.api.account.zone.*': '*' } : { [acctKey]: { 'com.cloudflare.api.account.zone.*': '*' } },
      });
    }
    if (scope === 'zone') {
      policies.push({ effect: 'allow', permission_groups: pg(accepted), resources: { [zoneKey(zone2)]: '*' } });
    }
    const tok = await mustCreate(kind, `a1 F9 ${sig.slice(0, 60)}`, {}, policies);
    f9Cache.set(sig, tok.secret);
    return tok.secret;
  };

  const applicableKinds = (r) => {
    const k = [];
    if (r.access.user_tokens) k.push('user');
    // Account-owned tokens can never act on the user (scope user) and GET /accounts refuses them
    // by design (API-SURFACE §2.3); elsewhere they are a kind of their own to test.
    if (r.access.account_tokens && r.access.scope !== 'user' && r.path !== '/accounts') k.push('account');
    return k;
  };
  const isVerify = (r) => r.path.endsWith('/tokens/verify');
  // Request options for a body from bodyFor(): JSON, or a multipart form with its Content-Type.
  const sendOpts = (body, headers) => {
    if (body && body.multipart) {
      const m = multipart(body.multipart);
      return { headers: [...headers, ['Content-Type', m.contentType]], body: m.body };
    }
    return { headers, body };
  };
  const bodyText = (body) => (body === undefined ? '' : body && body.multipart ? ` multipart=[${body.multipart.map(([k]) => k).join(',')}]` : ` body=${JSON.stringify(body)}`);
  const hasBody = (r) => ['POST', 'PUT', 'PATCH'].includes(r.method);

  // Bodies that would succeed for a privileged caller (so a wrongly admitted fault shows up as a
  // 2xx and as a state change). A multipart body is {multipart: fields}; see sendOpts().
  let variantSeq = 0;
  // A draft made by a wrongly admitted direct_upload is in no list and no count: fault cases
  // name it with a custom id, and every such id must be unknown after the matrix.
  const draftIds = [];
  const bodyFor = (r, control = false) => {
    const key = `${r.method} ${r.path}`;
    switch (key) {
      case 'POST /accounts/{account_id}/images/v1':
        return { multipart: [['file', { bytes: smallPng(9, 7), filename: 'a1-upload.png', type: 'image/png' }], ['metadata', '{"a1":"upload"}']] };
      case 'POST /accounts/{account_id}/images/v2/direct_upload': {
        if (control) return { multipart: [] };
        const id = `a1-draft-${draftIds.length + 1}-${hex32().slice(0, 8)}`;
        draftIds.push(id);
        return { multipart: [['id', id]] };
      }
      case 'POST /accounts/{account_id}/images/v1/variants':
        return variantBody(`a1v${++variantSeq}`);
      case 'PATCH /accounts/{account_id}/images/v1/variants/{variant_id}':
        return { options: { fit: 'cover', width: 11, height: 11, metadata: 'none' }, neverRequireSignedURLs: true };
      case 'PATCH /accounts/{account_id}/images/v1/{image_id}':
        return { metadata: { a1: 'mutated' }, requireSignedURLs: true };
      case 'PATCH /accounts/{account_id}/images/v1/config':
        return { flexible_variants: true, browser_ttl: 7777 };
      case 'PUT /accounts/{account_id}/images/v1/keys/{signing_key_name}':
        return {};
      case 'POST /user/tokens':
      case 'PUT /user/tokens/{token_id}':
        return { name: 'a1 must not exist', policies: [{ effect: 'allow', permission_groups: pg([byName['User Details Read']]), resources: { [userKey]: '*' } }] };
      case 'POST /accounts/{account_id}/tokens':
      case 'PUT /accounts/{account_id}/tokens/{token_id}':
        return { name: 'a1 must not exist', policies: [{ effect: 'allow', permission_groups: pg([byName['Account Settings Read']]), resources: { [acctKey]: '*' } }] };
      case 'PUT /user/tokens/{token_id}/value':
      case 'PUT /accounts/{account_id}/tokens/{token_id}/value':
        return {};
      case 'PATCH /user':
        return { first_name: 'A1Mutated' };
      case 'PUT /accounts/{account_id}':
        return { name: 'A1 mutated account' };
      case 'POST /zones':
        return { name: `a1-mut-${hex32().slice(0, 12)}-example.com`, account: { id: acct } };
      case 'PATCH /zones/{zone_id}':
        return { paused: true };
      case 'PATCH /zones/{zone_id}/settings/{setting_id}':
        return { value: 'strict' };
      case 'PATCH /zones/{zone_id}/settings':
        return { items: [{ id: 'min_tls_version', value: '1.2' }] };
      case 'POST /accounts/{account_id}/members':
        return { email: `a1-mut-${hex32().slice(0, 12)}@example.com`, roles: [ROLE_ADMIN] };
      case 'PUT /accounts/{account_id}/members/{member_id}':
        return { roles: [{ id: ROLE_READ_ONLY }] };
      case 'PATCH /user/invites/{invite_id}':
      case 'PUT /memberships/{membership_id}':
        return { status: 'accepted' };
      case 'POST /nubis/users':
        return { email: `a1-user-${hex32().slice(0, 12)}@example.com` };
      case 'POST /zones/{zone_id}/ssl/certificate_packs/order':
        return orderBody();
      case 'POST /zones/{zone_id}/dns_records/import':
        return { multipart: [['file', { bytes: Buffer.from(`a1-imp-${hex32().slice(0, 12)} IN TXT "a1 import"\n`), filename: 'zone.txt', type: 'text/plain' }]] };
      case 'POST /zones/{zone_id}/dns_records':
        return { type: 'TXT', name: `a1-mut-${hex32().slice(0, 12)}`, content: 'a1 must not exist' };
      case 'PUT /zones/{zone_id}/dns_records/{dns_record_id}':
        return { type: 'TXT', name: `a1-put-${hex32().slice(0, 12)}`, content: 'a1 mutated' };
      case 'PATCH /zones/{zone_id}/dns_records/{dns_record_id}':
        return { ttl: 120 + Math.floor(Math.random() * 1000) };
      default:
        return hasBody(r) ? {} : undefined;
    }
  };

  const defaultParams = {
    account_id: acct,
    zone_id: zone1,
    membership_id: membershipId,
    image_id: pathImageId,
    dns_record_id: pathRecord,
    certificate_pack_id: pathPack,
    member_id: pathMember,
    setting_id: 'ssl',
    role_id: ROLE_ADMIN,
    // The bootstrap user can hold no invite (it owns the only account an A1 server has): the
    // invite routes answer "Invite not found" past the credential check (see handlerAnswers).
    invite_id: '0'.repeat(32),
    variant_id: pathVariant,
    signing_key_name: pathKey,
    path: `${hash}/${pathImageId}/public`,
  };
  const fillPath = (r, params = {}) => {
    let missing = null;
    const p = r.path.replace(/\{([^}*]+)\*?\}/g, (_, name) => {
      if (params[name]) return params[name];
      if (name === 'token_id') return r.path.startsWith('/user/') ? pathUserTok.id : pathAcctTok.id;
      if (defaultParams[name]) return defaultParams[name];
      missing = name;
      return hex32();
    });
    return { target: `/client/v4${p}`, missing };
  };

  // Fresh objects for the positive controls of mutating routes (made before the snapshot).
  // The instance-admin routes take the admin's Global API Key only: a valid token is refused there
  // like a token lacking a permission (F9), so their only positive control is the key.
  const controlKinds = (r) => (r.access.kind === 'instance_admin' ? ['key']
    : [...applicableKinds(r), ...(r.access.token_only ? [] : ['key'])]);
  // Controls answered by the handler, past the credential check, with a fixed refusal instead of
  // a 200: A1's server has one user in one account, so there is no invite for it to read or
  // answer, and its own membership is the account's last Super Administrator (which stays).
  const handlerAnswers = {
    'GET /user/invites/{invite_id}': { status: 404, code: 1003 },
    'PATCH /user/invites/{invite_id}': { status: 404, code: 1003 },
    'DELETE /memberships/{membership_id}': { status: 400, code: 1001 },
  };
  const controlParams = new Map();
  for (const r of apiRoutes) {
    if (!['PUT', 'DELETE', 'PATCH'].includes(r.method)) continue;
    for (const k of controlKinds(r)) {
      const params = {};
      if (r.params.includes('token_id')) {
        const fam = r.path.startsWith('/user/') ? 'user' : 'account';
        params.token_id = (await mustCreate(fam, `a1 control target ${r.method} ${k}`, {}, fam === 'user'
          ? [{ effect: 'allow', permission_groups: pg([byName['User Details Read']]), resources: { [userKey]: '*' } }]
          : [{ effect: 'allow', permission_groups: pg([byName['Account Settings Read']]), resources: { [acctKey]: '*' } }])).id;
      }
      if (r.path === '/zones/{zone_id}' && r.method === 'DELETE') params.zone_id = await mkZone(`ctl-${k}`);
      if (r.params.includes('image_id') && r.method === 'DELETE') params.image_id = await mkImage(`ctl-${k}`);
      if (r.params.includes('dns_record_id') && r.method === 'DELETE') params.dns_record_id = await mkRecord(`ctl-${k}`);
      if (r.params.includes('certificate_pack_id') && r.method === 'DELETE') params.certificate_pack_id = await mkPack();
      if (r.params.includes('member_id') && r.method === 'DELETE') params.member_id = await mkMember(`ctl-${k}`);
      if (r.params.includes('variant_id') && r.method === 'DELETE') params.variant_id = await mkVariant(`a1ctl${k}`);
      if (r.params.includes('signing_key_name')) params.signing_key_name = r.method === 'DELETE' ? await mkKey(`a1del${k}`) : `a1put${k}`;
      controlParams.set(`${r.method} ${r.path} ${k}`, params);
    }
  }

  // F9 tokens up front (they count towards the snapshot).
  for (const r of apiRoutes) {
    const hk = `${r.method} ${r.path}`;
    if (r.access.kind === 'groups' || r.access.kind === 'instance_admin' || handlerGroups[hk]) for (const k of applicableKinds(r)) await f9Token(r, k);
  }

  // ---- snapshot ------------------------------------------------------------------------------
  const snapshot = async () => {
    const parts = {};
    for (const p of [
      '/user/tokens?per_page=50&include_expired=true',
      `/accounts/${acct}/tokens?per_page=50&include_expired=true`,
      '/zones?per_page=50',
      `/zones/${zone1}/dns_records?per_page=500`,
      `/zones/${zone1}/ssl/certificate_packs?status=all&per_page=50`,
      `/accounts/${acct}/members?per_page=50`,
      `/zones/${zone1}/settings`,
      '/user',
      '/accounts',
      `/accounts/${acct}`,
      '/memberships',
      `${IMG}/v1/stats`,
      `${IMG}/v1?per_page=100`,
      `${IMG}/v2?per_page=100`,
      `${IMG}/v1/${pathImageId}`,
      `${IMG}/v1/variants`,
      `${IMG}/v1/keys`,
    ]) {
      parts[p] = stripVolatile((await apiOk(server, 'GET', p)).result);
    }
    // Account config has no GET: its effects show on delivery (browser_ttl in Cache-Control,
    // flexible_variants in whether an options URL is served).
    const dl = deliveryOf(server);
    const pub = await request(dl.port, 'GET', `/${hash}/${pathImageId}/public`);
    const flex = await request(dl.port, 'GET', `/${hash}/${pathImageId}/w=5`);
    parts['delivery (config)'] = { public: [pub.status, pub.headers['cache-control']], flexible: flex.status };
    return parts;
  };
  const before = await snapshot();
  const metricsBefore = await metricsAuth(server);

  // ---- the matrix ----------------------------------------------------------------------------
  const expectedReasons = {};
  const addReason = (r) => {
    expectedReasons[r] = (expectedReasons[r] || 0) + 1;
  };
  let executed = 0;
  const perFault = {};

  const runCase = async (route, fault, headers, expect, reason) => {
    const { target, missing } = fillPath(route);
    if (missing) {
      t.check(`${route.method} ${route.path}: A1 can fill path parameter {${missing}}`, false, 'unknown path parameter; teach a1_auth_matrix.mjs about it');
      return;
    }
    const body = bodyFor(route);
    const r = await request(server.port, route.method, target, sendOpts(body, headers)).catch((e) => ({ status: undefined, body: String(e) }));
    await afterRequest(`${route.method} ${target} (${fault})`);
    executed++;
    perFault[fault] = (perFault[fault] || 0) + 1;
    if (reason) addReason(reason);
    const e0 = r.json?.errors?.[0];
    const problems = [];
    if (r.status === undefined) problems.push('no response');
    else if (r.status >= 200 && r.status < 300) problems.push('2xx for a faulty credential');
    const env = r.json ? envelopeProblem(r.json) : 'body is not JSON';
    if (env) problems.push(`envelope: ${env}`);
    const okStatus = expect.some((x) => x.status === r.status && x.code === e0?.code && (!x.chain || (e0?.error_chain || []).some((c) => c.code === x.chain)));
    if (!okStatus) problems.push(`expected ${expect.map((x) => `${x.status}/${x.code}${x.chain ? `+chain ${x.chain}` : ''}`).join(' or ')}, got ${r.status}/${e0?.code}${e0?.error_chain ? `+chain ${e0.error_chain.map((c) => c.code).join(',')}` : ''}`);
    const hdrText = headers.map(([k, v]) => `${k}: ${v}`).join(' | ');
    t.check(`${route.method} ${route.path} ${fault}`, problems.length === 0, () => `${problems.join('; ')}\n${describe(`${route.method} ${target} [${hdrText}]${bodyText(body)}`, r)}`);
  };

  const badToken = (r) => (isVerify(r) ? [{ status: 401, code: 1000 }] : [{ status: 403, code: 9109 }]);
  const unknownSecret = randomSecret(40);
  const wrongKey = hex32().slice(0, 32) + hex32().slice(0, 5); // 37 lowercase hex
  for (const route of apiRoutes) {
    const keyExpect = route.access.token_only ? [{ status: 400, code: 1001 }] : [{ status: 403, code: 9103 }];
    const keyReason = route.access.token_only ? 'key_on_token_route' : 'unknown_key';
    await runCase(route, 'F1 no credential', [], [{ status: 400, code: 9106 }], 'malformed_or_missing');
    await runCase(route, 'F2a wrong scheme', [['Authorization', `Basic ${Buffer.from(`${B.email}:${B.global_api_key}`).toString('base64')}`]], [{ status: 400, code: 6003, chain: 6111 }], 'malformed_or_missing');
    await runCase(route, 'F2b empty bearer', [['Authorization', 'Bearer ']], [{ status: 400, code: 6003, chain: 6111 }], 'malformed_or_missing');
    await runCase(route, 'F2c two Authorization headers', [['Authorization', `Bearer ${T}`], ['Authorization', `Bearer ${T}`]], [{ status: 400, code: 6003, chain: 6111 }], 'malformed_or_missing');
    await runCase(route, 'F3 unknown token', [['Authorization', `Bearer ${unknownSecret}`]], badToken(route), 'unknown_token');
    for (const kind of applicableKinds(route)) {
      const f = faults[kind];
      await runCase(route, `F4 deleted ${kind} token`, [['Authorization', `Bearer ${f.F4}`]], badToken(route), 'unknown_token');
      await runCase(route, `F5 rolled-away ${kind} secret`, [['Authorization', `Bearer ${f.F5}`]], badToken(route), 'unknown_token');
      await runCase(route, `F6 expired ${kind} token`, [['Authorization', `Bearer ${f.F6}`]], badToken(route), 'expired');
      await runCase(route, `F7 not-yet-valid ${kind} token`, [['Authorization', `Bearer ${f.F7}`]], badToken(route), 'not_yet_valid');
      await runCase(route, `F8 IP-restricted ${kind} token`, [['Authorization', `Bearer ${f.F8}`]],
        isVerify(route) ? [{ status: 403, code: 9109 }, { status: 401, code: 1000 }] : [{ status: 403, code: 9109 }], 'ip_not_allowed');
      const hk = `${route.method} ${route.path}`;
      if (route.access.kind === 'groups' || route.access.kind === 'instance_admin' || handlerGroups[hk]) {
        const tok = await f9Token(route, kind);
        // Handler-level checks (POST /zones) are not counted by the dispatcher's "permission" metric.
        await runCase(route, `F9 ${kind} token lacking the permission`, [['Authorization', `Bearer ${tok}`]], [{ status: 403, code: 10000 }, { status: 403, code: 9109 }], route.access.kind === 'groups' || route.access.kind === 'instance_admin' ? 'permission' : null);
      } else {
        t.skip(`${route.method} ${route.path} F9 ${kind}`, 'kind=authenticated: no permission group to lack');
      }
    }
    await runCase(route, 'L1 wrong global key', [['X-Auth-Email', B.email], ['X-Auth-Key', wrongKey]], keyExpect, keyReason);
    await runCase(route, 'L2 malformed global key', [['X-Auth-Email', B.email], ['X-Auth-Key', 'not-a-key!']], [{ status: 400, code: 6003, chain: 6103 }], 'malformed_or_missing');
    await runCase(route, 'L3 unknown e-mail with the real key', [['X-Auth-Email', `nobody-${hex32().slice(0, 6)}@example.com`], ['X-Auth-Key', B.global_api_key]], keyExpect, keyReason);
  }
  t.measure('matrix_cases_executed', executed);
  t.measure('per_fault', perFault);
  console.log(`A1: ${apiRoutes.length} routes, ${executed} route×fault cases executed`);

  // ---- after: state and metrics --------------------------------------------------------------
  const metricsAfter = await metricsAuth(server);
  const after = await snapshot();
  for (const k of Object.keys(before)) {
    const a = JSON.stringify(before[k]);
    const b = JSON.stringify(after[k]);
    t.check(`state unchanged: GET ${k}`, a === b, () => `before: ${clip(a, 1500)}\nafter:  ${clip(b, 1500)}`);
  }
  let draftsFound = [];
  for (const id of draftIds) {
    const g = await request(server.port, 'GET', `/client/v4${IMG}/v1/${id}`, { token: T });
    if (g.status !== 404) draftsFound.push(`${id}: ${g.status}`);
  }
  t.check(`state unchanged: none of the ${draftIds.length} direct_upload drafts named by refused requests exists`, draftIds.length > 0 && draftsFound.length === 0, draftsFound.join('; ') || 'no direct_upload cases ran');
  const reasons = new Set([...Object.keys(expectedReasons), ...Object.keys(metricsAfter), ...Object.keys(metricsBefore)]);
  for (const reason of [...reasons].sort()) {
    const got = (metricsAfter[reason] || 0) - (metricsBefore[reason] || 0);
    const want = expectedReasons[reason] || 0;
    t.check(`O2: nubis_auth_failures_total{reason="${reason}"} grew by exactly ${want}`, got === want, `grew by ${got}, expected ${want}`);
  }

  // ---- positive controls ---------------------------------------------------------------------
  // The same tokens without their fault, and the real Global API Key, get through: so each
  // refusal above was caused by the fault. Order: reads, then writes, then deletes.
  const order = { GET: 0, POST: 1, PATCH: 1, PUT: 2, DELETE: 3 };
  const ctlRoutes = [...apiRoutes].sort((a, b) => order[a.method] - order[b.method]);
  for (const route of ctlRoutes) {
    for (const k of controlKinds(route)) {
      const params = controlParams.get(`${route.method} ${route.path} ${k}`) || {};
      const { target } = fillPath(route, params);
      const headers = k === 'key' ? [['X-Auth-Email', B.email], ['X-Auth-Key', B.global_api_key]] : [['Authorization', `Bearer ${faults[k].control}`]];
      const body = bodyFor(route, true);
      const r = await request(server.port, route.method, target, sendOpts(body, headers)).catch((e) => ({ body: String(e) }));
      await afterRequest(`control ${route.method} ${target} with ${k}${bodyText(body)}`);
      // The blob route answers the original bytes, not an envelope.
      // The DNS export answers a BIND file.
      const answer = handlerAnswers[`${route.method} ${route.path}`];
      const ok = answer ? r.status === answer.status && r.json?.errors?.[0]?.code === answer.code
        : route.path.endsWith('/blob') ? r.status === 200 && /^image\/png/.test(r.headers?.['content-type'] || '')
        : route.path.endsWith('/dns_records/export') ? r.status === 200 && /^text\/plain/.test(r.headers?.['content-type'] || '') && /\tIN\tSOA\t/.test(r.body || '')
          : r.status === 200 && r.json?.success === true;
      t.check(`control: ${route.method} ${route.path} with a valid ${k === 'key' ? 'Global API Key' : `${k} token`} → ${answer ? `${answer.status}/${answer.code} from the handler` : 200}`, ok,
        () => describe(`${route.method} ${target}${bodyText(body)}`, r));
    }
  }

  // Public routes: no credential needed (health, and image delivery on the API port, the
  // custom-domain form /cdn-cgi/imagedelivery/<hash>/<id>/<variant>). pathImageId is private now
  // (the PATCH control set requireSignedURLs), so deliver a fresh public image.
  const pubImage = await mkImage('public');
  for (const [method, target, want] of [
    ['GET', '/healthz', 200],
    ['GET', '/readyz', 200],
    ['GET', `/cdn-cgi/imagedelivery/${hash}/${pubImage}/public`, 200],
    ['HEAD', `/cdn-cgi/imagedelivery/${hash}/${pubImage}/public`, 200],
    ['GET', `/cdn-cgi/imagedelivery/${hash}/${pubImage}/no-such-variant`, 404],
  ]) {
    const r = await request(server.port, method, target).catch((e) => ({ body: String(e) }));
    await afterRequest(`public ${method} ${target}`);
    const problems = [];
    if (r.status !== want) problems.push(`expected ${want}, got ${r.status}`);
    if (want === 200 && target.startsWith('/cdn-cgi/') && !/^image\//.test(r.headers?.['content-type'] || '')) problems.push(`Content-Type ${r.headers?.['content-type']}`);
    if (method === 'HEAD' && r.body) problems.push(`HEAD answer with a body of ${r.body.length} chars`);
    t.check(`public route: ${method} ${target.replace(pubImage, '{id}').replace(hash, '{hash}')} without credentials → ${want}`, problems.length === 0, () => `${problems.join('; ')}\n${describe(`${method} ${target}`, r)}`);
  }

  t.measure('crashes', crashes);
  t.check('server healthy after A1', await healthy(server), server.logTail());
  const pidOk = server.alive() && server.serverJson.pid === server.pid;
  t.check('server process still alive with the same PID (since the last restart)', pidOk, JSON.stringify(server.exitInfo));
  const stopped = await server.stop();
  t.check('server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
});
