// Shared helpers for the end-to-end suite: SDK clients, raw HTTP, error assertions, permission-group
// ids, resource strings and a clean-up registry.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import Cloudflare from 'cloudflare';
import { sharedFetch } from './server.mjs';

export { Cloudflare };

// Real Cloudflare permission-group ids (/work/shared/reference/permission-groups.json).
export const PG = Object.freeze({
  API_TOKENS_READ: '0cc3a61731504c89b99ec1be78b77aa0',
  API_TOKENS_WRITE: '686d18d5ac6c441c867cbf6771e58a0a',
  MEMBERSHIPS_READ: '3518d0f75557482e952c6762d3e64903',
  MEMBERSHIPS_WRITE: '9201bc6f42d440968aaab0c6f17ebb1d',
  USER_DETAILS_READ: '8acbe5bb0d54464ab867149d7f7cf8ac',
  USER_DETAILS_WRITE: '55a5e17cc99e4a3fa1f3432d262f2e55',
  ACCOUNT_SETTINGS_READ: 'c1fde68c7bcc44588cbb6ddbc16d6480',
  ACCOUNT_SETTINGS_WRITE: '1af1fa2adc104452b74a9a3364202f20',
  ACCOUNT_API_TOKENS_READ: 'eb56a6953c034b9d97dd838155666f06',
  ACCOUNT_API_TOKENS_WRITE: '5bc3f8b21c554832afc660159ab75fa4',
  IMAGES_READ: '0cf6473ad41449e7b7b743d14fc20c60',
  IMAGES_WRITE: '618ec6c64a3a42f8b08bdcb147ded4e4',
  ZONE_READ: 'c8fed203ed3043cba015a93ad1616f1f',
  ZONE_WRITE: 'e6d2666161e84845a636613608cee8d5',
  DNS_READ: '82e64a83756745bbbb1c9c2701bf816b',
  DNS_WRITE: '4755a26eedb94da69e1066d98aa820be',
  SSL_READ: '7b7216b327b04b8fbc8f524e1f9b7531',
  SSL_WRITE: 'c03055bc037c4ea9afb9a9f104b7b721',
});

// Cloudflare's account role ids (the same in every account).
export const ROLE = Object.freeze({
  SUPER: '33666b9c79b9a5273fc7344ff42f953d',
  ADMIN: '05784afa30c1afe1440e79d9351c7430',
  READ_ONLY: 'f2b20eaa1a5d4af42b53ac16238c99c7',
});

export const SCOPE = Object.freeze({
  user: 'com.cloudflare.api.user',
  account: 'com.cloudflare.api.account',
  zone: 'com.cloudflare.api.account.zone',
});

// Codes the contract allows for "authenticated, but this token may not do that".
export const NO_PERMISSION_CODES = [10000, 9109];

export const HEX32 = /^[0-9a-f]{32}$/;

// Resource keys (API-SURFACE §3.2).
export const zoneRes = (zoneId) => `${SCOPE.zone}.${zoneId}`;
export const allZonesRes = `${SCOPE.zone}.*`;
export const accountRes = (accountId) => `${SCOPE.account}.${accountId}`;
export const allAccountsRes = `${SCOPE.account}.*`;
export const userRes = (userId) => `${SCOPE.user}.${userId}`;

export const allow = (groupIds, resources) => ({
  effect: 'allow',
  permission_groups: groupIds.map((id) => ({ id })),
  resources,
});
export const deny = (groupIds, resources) => ({
  effect: 'deny',
  permission_groups: groupIds.map((id) => ({ id })),
  resources,
});

export const randHex = (n = 8) => crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
export const uniqueName = (prefix) => `${prefix}-${randHex(10)}`;
// Lower-case, matches Cloudflare's zone-name pattern.
export const uniqueZoneName = (label = 'z') => `e2e-${label}-${randHex(10)}.com`;

// RFC 3339 UTC without fractional seconds, the format Cloudflare uses for token times.
export const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

// A 40-character secret of the token alphabet that no server has issued.
export const bogusTokenSecret = () =>
  crypto.randomBytes(30).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').slice(0, 40);

const SDK_DEFAULTS = { maxRetries: 0, timeout: 15_000, fetch: sharedFetch };

// An SDK client that sends exactly one credential: the bearer token. null for the other credentials
// keeps the SDK from picking any up from CLOUDFLARE_* environment variables.
export function tokenClient(apiBase, token, extra = {}) {
  return new Cloudflare({
    ...SDK_DEFAULTS,
    baseURL: apiBase,
    apiToken: token,
    apiEmail: null,
    apiKey: null,
    userServiceKey: null,
    ...extra,
  });
}

// An SDK client using the legacy Global API Key (X-Auth-Email + X-Auth-Key).
export function keyClient(apiBase, email, key, extra = {}) {
  return new Cloudflare({
    ...SDK_DEFAULTS,
    baseURL: apiBase,
    apiToken: null,
    apiEmail: email,
    apiKey: key,
    userServiceKey: null,
    ...extra,
  });
}

// A fetch wrapper that records every request the SDK makes (method + URL).
export function recordingFetch(log) {
  return async (url, init) => {
    log.push({ method: (init && init.method) || 'GET', url: String(url) });
    return sharedFetch(url, init);
  };
}

// Raw HTTP. `p` is a path below the API base ("/user/tokens") or a full URL. `token` adds a bearer
// Authorization header; `json` sends a JSON body; `body` sends a raw body. Returns
// {status, headers, text, body (parsed JSON or undefined), contentType}.
export async function raw(apiBase, method, p, { token, headers = {}, json, body } = {}) {
  const url = /^https?:\/\//.test(p) ? p : apiBase + p;
  const h = { ...headers };
  if (token !== undefined) h.Authorization = `Bearer ${token}`;
  let payload = body;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const res = await sharedFetch(url, { method, headers: h, body: payload, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let parsed;
  try {
    parsed = text.length ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return {
    status: res.status,
    headers: res.headers,
    contentType: res.headers.get('content-type') || '',
    text,
    body: parsed,
  };
}

const describeRes = (res) => `HTTP ${res.status} ${res.text.slice(0, 600)}`;

export function assertJsonEnvelope(res) {
  assert.match(res.contentType, /application\/json/, `content-type of ${describeRes(res)}`);
  assert.ok(res.body && typeof res.body === 'object', `JSON object body expected: ${describeRes(res)}`);
  assert.equal(typeof res.body.success, 'boolean', `envelope.success: ${describeRes(res)}`);
  assert.ok(Array.isArray(res.body.errors), `envelope.errors: ${describeRes(res)}`);
  assert.ok(Array.isArray(res.body.messages), `envelope.messages: ${describeRes(res)}`);
}

// Asserts a 200 success envelope and returns body.result.
export function assertOk(res, status = 200) {
  assert.equal(res.status, status, `expected HTTP ${status}, got ${describeRes(res)}`);
  assertJsonEnvelope(res);
  assert.equal(res.body.success, true, describeRes(res));
  assert.deepEqual(res.body.errors, [], describeRes(res));
  assert.ok('result' in res.body, `result missing: ${describeRes(res)}`);
  return res.body.result;
}

function statusMatches(actual, expected) {
  if (expected === undefined) return true;
  if (expected === '4xx') return actual >= 400 && actual < 500;
  if (Array.isArray(expected)) return expected.includes(actual);
  return actual === expected;
}

function codesMatch(errors, codes) {
  if (codes === undefined) return true;
  const list = Array.isArray(codes) ? codes : [codes];
  return Array.isArray(errors) && errors.length > 0 && list.includes(errors[0].code);
}

// Asserts a failure envelope: HTTP status (number, list or '4xx'), success:false, errors[0].code in
// codes (number or list), result null/absent. Returns the body.
export function assertFail(res, status, codes) {
  assert.ok(statusMatches(res.status, status), `expected HTTP ${JSON.stringify(status)}, got ${describeRes(res)}`);
  assertJsonEnvelope(res);
  assert.equal(res.body.success, false, describeRes(res));
  assert.ok(res.body.errors.length > 0, `errors[] empty: ${describeRes(res)}`);
  for (const e of res.body.errors) {
    assert.equal(typeof e.code, 'number', `error code must be a number: ${describeRes(res)}`);
    assert.equal(typeof e.message, 'string', `error message must be a string: ${describeRes(res)}`);
  }
  assert.ok(codesMatch(res.body.errors, codes), `expected code ${JSON.stringify(codes)}, got ${describeRes(res)}`);
  assert.ok(!('result' in res.body) || res.body.result === null, `result must be null on failure: ${describeRes(res)}`);
  return res.body;
}

// Awaits an SDK call that must fail, and checks the APIError it throws like assertFail does.
export async function expectApiError(promise, status, codes) {
  let value;
  let err;
  try {
    value = await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(
    err !== undefined,
    `expected HTTP ${JSON.stringify(status)} but the call succeeded with ${JSON.stringify(value)?.slice(0, 400)}`,
  );
  // Connection failures (server crashed, reset, timed out) are not HTTP answers: surface them as is.
  if (!(err instanceof Cloudflare.APIError) || err.status === undefined) throw err;
  const body = err.error;
  const desc = `HTTP ${err.status} ${JSON.stringify(body)?.slice(0, 600)}`;
  assert.ok(statusMatches(err.status, status), `expected HTTP ${JSON.stringify(status)}, got ${desc}`);
  assert.ok(body && typeof body === 'object', `JSON body expected: ${desc}`);
  assert.equal(body.success, false, desc);
  assert.ok(codesMatch(err.errors, codes), `expected code ${JSON.stringify(codes)}, got ${desc}`);
  return err;
}

// Collects everything an SDK paginator yields, failing instead of looping forever.
export async function collect(pagePromise, limit = 500) {
  const out = [];
  for await (const item of pagePromise) {
    out.push(item);
    assert.ok(out.length <= limit, `pagination did not stop after ${limit} items`);
  }
  return out;
}

// Registry of things a test file created, removed in after() with the admin credentials.
export class Cleanup {
  constructor(admin, accountId) {
    this.admin = admin;
    this.accountId = accountId;
    this.userTokens = new Set();
    this.accountTokens = new Set();
    this.zones = new Set();
  }
  userToken(t) {
    if (t && t.id) this.userTokens.add(t.id);
    return t;
  }
  accountToken(t) {
    if (t && t.id) this.accountTokens.add(t.id);
    return t;
  }
  zone(z) {
    if (z && z.id) this.zones.add(z.id);
    return z;
  }
  async run() {
    for (const id of this.userTokens) await this.admin.user.tokens.delete(id).catch(() => {});
    for (const id of this.accountTokens) {
      await this.admin.accounts.tokens.delete(id, { account_id: this.accountId }).catch(() => {});
    }
    for (const id of this.zones) await this.admin.zones.delete({ zone_id: id }).catch(() => {});
  }
}

// Creates a user token with the admin client and registers it for clean-up.
export async function createUserToken(admin, cleanup, body) {
  const t = await admin.user.tokens.create({ name: uniqueName('e2e-token'), ...body });
  cleanup.userToken(t);
  assert.equal(typeof t.value, 'string', `create must return the secret: ${JSON.stringify(t)}`);
  return t;
}

export async function createZone(admin, cleanup, accountId, label) {
  const z = await admin.zones.create({ account: { id: accountId }, name: uniqueZoneName(label), type: 'full' });
  cleanup.zone(z);
  assert.match(z.id, HEX32);
  return z;
}

// The IP condition of a token as returned by the server, whichever spelling it uses.
export const ipCondition = (token) => {
  const c = token && token.condition;
  if (!c) return undefined;
  return c['request.ip'] ?? c.request_ip;
};

// A new user, made through the Nubis admin API with the instance admin's (the bootstrap user's)
// Global API Key: { id, email, password, global_api_key, api_token, ... }.
export async function createUser(srv, label, password = `pw ${uniqueName('secret')}`) {
  const email = `${uniqueName(label)}@example.com`;
  const headers = { 'X-Auth-Email': srv.bootstrap.email, 'X-Auth-Key': srv.bootstrap.global_api_key };
  const u = assertOk(await raw(srv.apiBase, 'POST', '/nubis/users', { headers, json: { email, password } }));
  return { ...u, password };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
