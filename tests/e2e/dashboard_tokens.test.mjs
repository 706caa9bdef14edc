// My Profile → API Tokens in a real browser (issue 6; seeds 000, 001, 003): a token from the
// "Edit zone DNS" template for one zone, limited to 127.0.0.1 and expiring tomorrow, its summary,
// the secret shown once with a verify command that works pasted into a shell, the token listed
// without its secret, refused from another address, rolled (the old secret stops) and deleted; the
// custom Cloudflare Images token of seeds 000/001; "Read all resources"; edits; errors in words;
// token names rendered as text; the Global API Key rolled with the password typed again.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { liveSharedServer } from './lib/server.mjs';
import { Cleanup, PG, assertOk, createUser, createZone, raw, tokenClient, uniqueName, zoneRes } from './lib/api.mjs';
import { screenshot, signIn, withDashboard } from './lib/browser.mjs';

const run = promisify(execFile);
const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
after(() => cleanup.run());

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

// Runs a command line exactly as shown on the page, in bash (as a person pasting it would).
async function inShell(command, { from } = {}) {
  // `from`: send from another loopback address (curl --interface), to test IP filtering.
  const line = from ? command.replace(/^curl /, `curl -sS --interface ${from} `) : command.replace(/^curl /, 'curl -sS ');
  const { stdout } = await run('bash', ['-c', line], { timeout: 15_000 });
  return JSON.parse(stdout);
}

async function openTokens(page) {
  await page.getByRole('link', { name: 'My Profile' }).click();
  await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
}

// Reads the secret and the verify command off the "created"/"rolled" page.
async function shownSecret(page) {
  const secret = await page.getByLabel('API token secret').inputValue();
  const command = await page.locator('#verify-command').textContent();
  return { secret, command };
}

describe('dashboard: API tokens', () => {
  test('seed 003: "Edit zone DNS" for one zone, 127.0.0.1 only, expiring tomorrow; verify in a shell; listed without its secret; refused elsewhere; roll; delete', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'tok');
    const other = await createZone(admin, cleanup, B.account_id, 'tok2');
    const name = uniqueName('DNS for one zone');
    await withDashboard('tokens-template', async ({ page, assertClean }) => {
      await signIn(page);
      await openTokens(page);
      await page.getByRole('link', { name: 'Create Token' }).click();
      await page.getByRole('heading', { name: 'API token templates' }).waitFor();
      await screenshot(page, '10-tokens-templates');
      await page.getByRole('link', { name: 'Use template Edit zone DNS' }).click();

      // Prefilled: the template's name and its one permission, Zone / DNS / Edit.
      const nameField = page.getByLabel('Token name');
      assert.equal(await nameField.inputValue(), 'Edit zone DNS');
      assert.equal(await page.getByLabel('Permission 1 group').inputValue(), 'Zone');
      assert.equal(await page.getByLabel('Permission 1 item').inputValue(), 'DNS');
      assert.equal(await page.getByLabel('Permission 1 level').inputValue(), 'Edit');
      await nameField.fill(name);
      await page.getByLabel('Zone resource 1 zone').selectOption({ label: zone.name });
      await page.getByLabel('IP filter 1 address').fill('127.0.0.1');
      await page.getByLabel('End date').fill(tomorrow());
      await screenshot(page, '11-tokens-form');
      await page.getByRole('button', { name: 'Continue to summary' }).click();

      await page.getByRole('heading', { name: `${name} API token summary` }).waitFor();
      const summary = await page.locator('table.summary').textContent();
      assert.match(summary, new RegExp(`Include ${zone.name.replace(/\./g, '\\.')}`));
      assert.match(summary, /DNS:Edit/);
      assert.match(await page.locator('main').textContent(), /is in 127\.0\.0\.1/);
      await screenshot(page, '12-tokens-summary');
      await page.getByRole('button', { name: 'Create Token' }).click();

      await page.getByRole('heading', { name: `${name} was successfully created` }).waitFor();
      const first = await shownSecret(page);
      assert.match(first.secret, /^[A-Za-z0-9_-]{40}$/);
      assert.equal(first.command,
        `curl "${srv.origin}/client/v4/user/tokens/verify" \\\n-H "Authorization: Bearer ${first.secret}"`);
      await screenshot(page, '13-tokens-created');

      // The command, pasted into a shell, answers as Cloudflare's does.
      const verified = await inShell(first.command);
      assert.equal(verified.success, true, JSON.stringify(verified));
      assert.equal(verified.result.status, 'active');
      assert.equal(verified.messages[0].message, 'This API Token is valid and active');
      const id = verified.result.id;
      cleanup.userToken({ id });

      // What the API holds is what the form said.
      const token = assertOk(await raw(srv.apiBase, 'GET', `/user/tokens/${id}`, { token: B.api_token }));
      assert.equal(token.name, name);
      assert.deepEqual(token.policies.map((p) => [p.effect, p.permission_groups.map((g) => g.id), p.resources]),
        [['allow', [PG.DNS_WRITE], { [zoneRes(zone.id)]: '*' }]]);
      assert.deepEqual(token.condition, { 'request.ip': { in: ['127.0.0.1'] } });
      assert.equal(token.expires_on, `${tomorrow()}T23:59:59Z`);
      // It edits DNS of that zone and of no other.
      const dns = (z) => raw(srv.apiBase, 'GET', `/zones/${z}/dns_records`, { token: first.secret });
      assert.equal((await dns(zone.id)).status, 200);
      assert.equal((await dns(other.id)).status, 403);
      // From another address (127.0.0.2 on the loopback) the same token is refused.
      const elsewhere = await inShell(first.command, { from: '127.0.0.2' });
      assert.equal(elsewhere.success, false);
      assert.equal(elsewhere.errors[0].code, 9109, JSON.stringify(elsewhere));

      // Listed afterwards, without its secret.
      await page.getByRole('link', { name: 'View all API tokens' }).click();
      const row = page.locator('#tokens tr', { hasText: name });
      await row.waitFor();
      assert.match(await row.textContent(), /Active/);
      assert.match(await row.textContent(), /DNS Write/);
      assert.ok(!(await page.content()).includes(first.secret), 'the secret is not on the list page');
      await screenshot(page, '14-tokens-list');

      // Roll: a new secret, once; the old one stops working.
      await row.getByRole('button', { name: `Roll ${name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Roll' }).click();
      await page.getByRole('heading', { name: `${name} was successfully rolled` }).waitFor();
      const second = await shownSecret(page);
      assert.notEqual(second.secret, first.secret);
      await screenshot(page, '15-tokens-rolled');
      assert.equal((await inShell(second.command)).success, true);
      const old = await inShell(first.command);
      assert.equal(old.success, false);

      // Delete, after a confirmation.
      await page.getByRole('link', { name: 'View all API tokens' }).click();
      await page.locator('#tokens tr', { hasText: name }).getByRole('button', { name: `Delete ${name}` }).click();
      await screenshot(page, '16-tokens-delete-confirm');
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.locator('#tokens tr', { hasText: name }).waitFor({ state: 'detached' });
      assert.equal((await raw(srv.apiBase, 'GET', `/user/tokens/${id}`, { token: B.api_token })).status, 404);
      assertClean();
    });
  });

  test('seeds 000/001: a custom token with Account / Cloudflare Images / Edit can use the Images API', async () => {
    const name = uniqueName('Images');
    await withDashboard('tokens-custom', async ({ page, assertClean }) => {
      await signIn(page);
      await openTokens(page);
      await page.getByRole('link', { name: 'Create Token' }).click();
      await page.getByRole('link', { name: 'Get started' }).click();
      await page.getByLabel('Token name').fill(name);
      assert.equal(await page.getByLabel('Permission 1 group').inputValue(), 'Account');
      await page.getByLabel('Permission 1 item').selectOption('Cloudflare Images');
      await page.getByLabel('Permission 1 level').selectOption('Edit');
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      await page.getByRole('heading', { name: `${name} API token summary` }).waitFor();
      assert.match(await page.locator('table.summary').textContent(), /Include All accounts.*Cloudflare Images:Edit/);
      await page.getByRole('button', { name: 'Create Token' }).click();
      const { secret, command } = await shownSecret(page);
      const verified = await inShell(command);
      assert.equal(verified.success, true);
      cleanup.userToken({ id: verified.result.id });
      const list = await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}/images/v1`, { token: secret });
      assert.equal(list.status, 200, list.text);
      const token = assertOk(await raw(srv.apiBase, 'GET', `/user/tokens/${verified.result.id}`, { token: B.api_token }));
      assert.deepEqual(token.policies[0].permission_groups.map((g) => g.id), [PG.IMAGES_WRITE]);
      assert.deepEqual(token.policies[0].resources, { 'com.cloudflare.api.account.*': '*' });
      assertClean();
    });
  });

  test('"Read all resources" grants only Read groups, on all accounts, zones and the user', async () => {
    await withDashboard('tokens-read-all', async ({ page, assertClean }) => {
      await signIn(page);
      await page.goto(`${srv.origin}/#/profile/api-tokens/create/read-all-resources`);
      await page.getByLabel('Token name').waitFor();
      const name = uniqueName('Read all');
      await page.getByLabel('Token name').fill(name);
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      await page.getByRole('heading', { name: `${name} API token summary` }).waitFor();
      await screenshot(page, '17-tokens-read-all-summary');
      await page.getByRole('button', { name: 'Create Token' }).click();
      const { secret, command } = await shownSecret(page);
      const verified = await inShell(command);
      cleanup.userToken({ id: verified.result.id });
      const token = assertOk(await raw(srv.apiBase, 'GET', `/user/tokens/${verified.result.id}`, { token: B.api_token }));
      const names = token.policies.flatMap((p) => p.permission_groups.map((g) => g.name));
      assert.ok(names.length >= 10, names.join());
      assert.ok(names.every((n) => n.endsWith(' Read')), names.join());
      const resources = Object.assign({}, ...token.policies.map((p) => p.resources));
      assert.deepEqual(Object.keys(resources).sort(), ['com.cloudflare.api.account.*', 'com.cloudflare.api.account.zone.*', `com.cloudflare.api.user.${B.user_id}`].sort());
      // It reads, and cannot write.
      assert.equal((await raw(srv.apiBase, 'GET', '/zones', { token: secret })).status, 200);
      assert.equal((await raw(srv.apiBase, 'POST', '/zones', { token: secret, json: { name: `${uniqueName('ro')}.com`, account: { id: B.account_id } } })).status, 403);
      assertClean();
    });
  });

  test('mistakes are told in words next to the field, and the API\'s own message when it refuses', async () => {
    await withDashboard('tokens-errors', async ({ page, assertClean }) => {
      await signIn(page);
      await page.goto(`${srv.origin}/#/profile/api-tokens/create/edit-zone-dns`);
      await page.getByLabel('Token name').fill('');
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      assert.equal(await page.locator('#name-error').textContent(), 'Enter a token name.');
      assert.equal(await page.locator('#zones-error').textContent(), 'Choose the zone(s) this token may act on.');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'token-name', 'focus goes to the first mistake');
      await screenshot(page, '18-tokens-form-errors');

      // An address the API refuses: its message, on the summary page.
      await page.getByLabel('Token name').fill(uniqueName('bad ip'));
      await page.getByLabel('Zone resource 1 kind').selectOption('all');
      await page.getByLabel('IP filter 1 address').fill('not-an-address');
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      await page.getByRole('button', { name: 'Create Token' }).click();
      const error = page.locator('#summary-error');
      await error.waitFor();
      assert.match(await error.textContent(), /not-an-address/);
      await screenshot(page, '19-tokens-api-error');
      assertClean(/400 \(Bad Request\)/);
    });
  });

  test('Edit: the form starts from the token as it is, and saving replaces it (PUT)', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'tokedit');
    const t = await admin.user.tokens.create({
      name: uniqueName('to edit'),
      policies: [{ effect: 'allow', permission_groups: [{ id: PG.DNS_READ }], resources: { [zoneRes(zone.id)]: '*' } }],
    });
    cleanup.userToken(t);
    await withDashboard('tokens-edit', async ({ page, assertClean }) => {
      await signIn(page);
      await openTokens(page);
      await page.getByRole('link', { name: `Edit ${t.name}` }).click();
      await page.getByLabel('Token name').waitFor();
      assert.equal(await page.getByLabel('Permission 1 item').inputValue(), 'DNS');
      assert.equal(await page.getByLabel('Permission 1 level').inputValue(), 'Read');
      assert.equal(await page.getByLabel('Zone resource 1 zone').inputValue(), zone.id);
      await page.getByLabel('Permission 1 level').selectOption('Edit');
      await page.getByLabel('IP filter 1 operator').selectOption('not_in');
      await page.getByLabel('IP filter 1 address').fill('192.0.2.0/24');
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      await page.getByRole('button', { name: 'Update Token' }).click();
      await page.getByRole('heading', { level: 1, name: 'API Tokens' }).waitFor();
      const after = assertOk(await raw(srv.apiBase, 'GET', `/user/tokens/${t.id}`, { token: B.api_token }));
      assert.deepEqual(after.policies[0].permission_groups.map((g) => g.id), [PG.DNS_WRITE]);
      assert.deepEqual(after.condition, { 'request.ip': { not_in: ['192.0.2.0/24'] } });
      assert.equal(after.name, t.name);
      assertClean();
    });
  });

  test('token names are shown as text, never run as markup', async () => {
    const evil = `<img src=x onerror="window.__xss=1">${uniqueName('<script>window.__xss=2</script>')}`;
    const t = await admin.user.tokens.create({
      name: evil,
      policies: [{ effect: 'allow', permission_groups: [{ id: PG.USER_DETAILS_READ }], resources: { [`com.cloudflare.api.user.${B.user_id}`]: '*' } }],
    });
    cleanup.userToken(t);
    await withDashboard('tokens-xss', async ({ page, assertClean }) => {
      await signIn(page);
      await openTokens(page);
      const row = page.locator('#tokens tr', { hasText: evil });
      await row.waitFor();
      assert.equal(await row.locator('strong').textContent(), evil);
      assert.equal(await page.locator('#tokens img').count(), 0);
      await row.getByRole('link', { name: `Edit ${evil}` }).click();
      await page.getByRole('heading', { name: `Edit ${evil}` }).waitFor();
      await page.getByRole('button', { name: 'Continue to summary' }).click();
      await page.getByRole('heading', { name: `${evil} API token summary` }).waitFor();
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      await screenshot(page, '20-tokens-xss-inert');
      assertClean();
    });
  });

  test('Global API Key: rolled only with the password typed again; the new key works, the old one stops', async () => {
    // A user of its own (rolling the bootstrap user's key would pull it from under other tests).
    const user = await createUser(srv, 'keyroll');
    const { email, password } = user;
    const withKey = (key) => raw(srv.apiBase, 'GET', '/user', { headers: { 'X-Auth-Email': email, 'X-Auth-Key': key } });
    assert.equal((await withKey(user.global_api_key)).status, 200);
    await withDashboard('tokens-global-key', async ({ page, assertClean }) => {
      await signIn(page, { email, password });
      await openTokens(page);
      await page.getByRole('button', { name: 'View' }).click();
      await page.getByLabel('Your password').fill('not my password');
      await page.getByRole('button', { name: 'Roll Global API Key' }).click();
      await page.locator('#key-error').waitFor();
      assert.equal(await page.locator('#key-error').textContent(), 'Invalid e-mail or password');
      assert.equal((await withKey(user.global_api_key)).status, 200, 'unchanged after a wrong password');
      await page.getByLabel('Your password').fill(password);
      await page.getByRole('button', { name: 'Roll Global API Key' }).click();
      const key = await page.getByRole('textbox', { name: 'Global API Key' }).inputValue();
      assert.match(key, /^[0-9a-f]{37}$/);
      await screenshot(page, '21-global-api-key');
      assert.equal((await withKey(key)).status, 200);
      assert.equal((await withKey(user.global_api_key)).status, 403);
      assertClean(/401 \(Unauthorized\)/);
    });
  });
});
