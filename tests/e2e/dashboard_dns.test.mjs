// The dashboard's DNS page in a real browser (issue 6): the zone picker, a zone's records table
// (sort, filter, pages), add/edit/delete through the form with the API's own error messages,
// BIND export (shown and downloadable) and import, API text rendered as text, and a phone-sized
// screen. Every change is checked both on the page and through the API. Screenshots of each step go
// to NUBIS_SCREENSHOT_DIR (dns-*.png).

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { liveSharedServer } from './lib/server.mjs';
import { Cleanup, assertOk, createZone, raw, tokenClient } from './lib/api.mjs';
import { screenshot, signIn, withDashboard } from './lib/browser.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
after(() => cleanup.run());

// A refused write is logged by the browser as a failed resource load: expected where provoked.
const HTTP_400 = /status of 400/;

// The zone's records as the API lists them (the bootstrap token), in the API's order.
async function apiRecords(zone, query = '') {
  const res = await raw(srv.apiBase, 'GET', `/zones/${zone.id}/dns_records?per_page=500${query ? `&${query}` : ''}`, { token: B.api_token });
  return assertOk(res);
}

// Creates records fast, in one request (POST …/dns_records/batch).
async function batchCreate(zone, posts) {
  const res = await raw(srv.apiBase, 'POST', `/zones/${zone.id}/dns_records/batch`, { token: B.api_token, json: { posts } });
  return assertOk(res).posts;
}

// Signs in and opens the zone's records page.
async function openZone(page, zone) {
  await signIn(page);
  await page.goto(`${srv.origin}/#/dns/${zone.id}`);
  await page.getByRole('heading', { level: 1, name: `DNS records of ${zone.name}` }).waitFor();
  await page.locator('.dns-list:not([aria-busy])').waitFor();
}

// The rows of the records table, as [type, name, content] (the content's first line).
async function rows(page) {
  return page.locator('#dns-records tbody tr').evaluateAll((trs) => trs.map((tr) => [
    tr.cells[0].textContent.trim(), tr.cells[1].textContent.trim(), tr.cells[2].querySelector('code').textContent]));
}

// Waits for the list to have been (re)loaded with exactly `n` rows.
async function waitRows(page, n) {
  await page.locator('.dns-list:not([aria-busy])').waitFor();
  await page.waitForFunction((count) => document.querySelectorAll('#dns-records tbody tr').length === count, n);
}

const sortedBy = (list, key, dir) => [...list].sort((a, b) => (dir === 'asc' ? 1 : -1) * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));

describe('dashboard: DNS page', () => {
  test('the zone picker lists the zones; Overview links to a zone, whose empty state says so', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await withDashboard('dns-picker', async ({ page, assertClean }) => {
      await signIn(page);
      await page.getByRole('navigation', { name: 'Dashboard' }).getByRole('link', { name: 'DNS' }).click();
      await page.getByRole('heading', { level: 1, name: 'DNS' }).waitFor();
      const link = page.locator('#dns-zones').getByRole('link', { name: zone.name });
      await link.waitFor();
      await screenshot(page, 'dns-01-zone-picker');

      // From Overview's "DNS" link of the zone's row.
      await page.getByRole('link', { name: 'Overview' }).click();
      await page.locator('#zones tr', { hasText: zone.name }).getByRole('link', { name: 'DNS' }).click();
      await page.getByRole('heading', { level: 1, name: `DNS records of ${zone.name}` }).waitFor();
      assert.equal(new URL(page.url()).hash, `#/dns/${zone.id}`);
      const empty = page.locator('.dns-list .empty');
      await empty.waitFor();
      assert.match(await empty.textContent(), new RegExp(`${zone.name.replace(/\./g, '\\.')} has no DNS records yet`));
      assert.equal(await page.locator('#dns-records').count(), 0, 'no table for an empty zone');
      await screenshot(page, 'dns-02-empty-zone');
      assertClean();
    });
  });

  test('add an A record through the form; an invalid content shows the API\'s message next to the field', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    // What the API itself answers for that content, to find on the page.
    const refused = await raw(srv.apiBase, 'POST', `/zones/${zone.id}/dns_records`,
      { token: B.api_token, json: { type: 'A', name: 'www', content: 'not-an-ip' } });
    assert.equal(refused.status, 400);
    const apiMessage = refused.body.errors[0].message;

    await withDashboard('dns-add', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await page.getByRole('button', { name: 'Add record' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add record' });
      await dialog.waitFor();
      await dialog.getByLabel('Type').selectOption('A');
      await dialog.getByLabel('Name', { exact: true }).fill('www');
      await dialog.getByLabel('Content').fill('not-an-ip');
      await dialog.getByLabel('Proxied through Cloudflare').check();
      await dialog.getByLabel(/^Comment/).fill('web front');
      await dialog.getByRole('button', { name: 'Add record' }).click();

      const error = page.locator('#dns-f-content-error');
      await error.waitFor();
      assert.equal(await error.textContent(), apiMessage, 'the API\'s own words');
      assert.match(apiMessage, /IPv4/);
      assert.equal(await page.getByLabel('Content').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'dns-f-content', 'focus on the field at fault');
      await screenshot(page, 'dns-03-add-invalid-content');
      assert.equal((await apiRecords(zone)).length, 0, 'nothing was created');

      await dialog.getByLabel('Content').fill('192.0.2.10');
      await dialog.getByRole('button', { name: 'Add record' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitRows(page, 1);
      assert.deepEqual(await rows(page), [['A', `www.${zone.name}`, '192.0.2.10']]);
      const row = page.locator('#dns-records tbody tr');
      assert.match(await row.textContent(), /Proxied/);
      assert.match(await row.textContent(), /Comment: web front/);
      assert.match(await page.locator('#dns-status').textContent(), /Added the A record www\./);
      await screenshot(page, 'dns-04-added');

      const [rec] = await apiRecords(zone);
      assert.equal(rec.type, 'A');
      assert.equal(rec.name, `www.${zone.name}`);
      assert.equal(rec.content, '192.0.2.10');
      assert.equal(rec.proxied, true);
      assert.equal(rec.ttl, 1, 'Auto');
      assert.equal(rec.comment, 'web front');

      // The same record again: a refusal that names no field is shown at the form, in the API's words.
      const again = await raw(srv.apiBase, 'POST', `/zones/${zone.id}/dns_records`,
        { token: B.api_token, json: { type: 'A', name: 'www', content: '192.0.2.10', proxied: true } });
      assert.equal(again.status, 400);
      await page.getByRole('button', { name: 'Add record' }).click();
      await dialog.getByLabel('Name', { exact: true }).fill('www');
      await dialog.getByLabel('Content').fill('192.0.2.10');
      await dialog.getByLabel('Proxied through Cloudflare').check();
      await dialog.getByRole('button', { name: 'Add record' }).click();
      const formError = page.locator('#dns-form-error');
      await formError.waitFor();
      assert.equal(await formError.textContent(), again.body.errors[0].message);
      await screenshot(page, 'dns-04b-add-duplicate');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await apiRecords(zone)).length, 1);
      assertClean(HTTP_400);
    });
  });

  test('MX takes a priority and SRV its data fields (priority, weight, port, target) through the form', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await withDashboard('dns-add-mx-srv', async ({ page, assertClean }) => {
      await openZone(page, zone);
      const dialog = page.getByRole('dialog', { name: 'Add record' });
      await page.getByRole('button', { name: 'Add record' }).click();
      await dialog.getByLabel('Type').selectOption('MX');
      assert.equal(await dialog.getByLabel('Proxied through Cloudflare').isVisible(), false, 'MX cannot be proxied');
      await dialog.getByLabel('Name', { exact: true }).fill('@');
      await dialog.getByLabel('Content').fill(`mail.${zone.name}`);
      await dialog.getByLabel(/^Priority/).fill('10');
      await dialog.getByLabel('TTL').selectOption({ label: '1 hr' });
      await dialog.getByRole('button', { name: 'Add record' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitRows(page, 1);

      await page.getByRole('button', { name: 'Add record' }).click();
      await dialog.getByLabel('Type').selectOption('SRV');
      assert.equal(await dialog.getByLabel('Content').isVisible(), false, 'SRV content comes from its data');
      await dialog.getByLabel('Name', { exact: true }).fill('_sip._tcp');
      const data = dialog.getByRole('group', { name: 'SRV data' });
      await data.getByLabel('Priority').fill('1');
      await data.getByLabel('Weight').fill('5');
      await data.getByLabel('Target').fill(`sip.${zone.name}`);
      // No port: the API names data.port, and that is where its message goes.
      await dialog.getByRole('button', { name: 'Add record' }).click();
      const portError = page.locator('#dns-f-data-port-error');
      await portError.waitFor();
      assert.match(await portError.textContent(), /data\.port/);
      await data.getByLabel('Port').fill('5060');
      await screenshot(page, 'dns-04c-add-srv');
      await dialog.getByRole('button', { name: 'Add record' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitRows(page, 2);

      const byType = Object.fromEntries((await apiRecords(zone)).map((r) => [r.type, r]));
      assert.equal(byType.MX.name, zone.name);
      assert.equal(byType.MX.content, `mail.${zone.name}`);
      assert.equal(byType.MX.priority, 10);
      assert.equal(byType.MX.ttl, 3600);
      assert.deepEqual(byType.SRV.data, { priority: 1, weight: 5, port: 5060, target: `sip.${zone.name}` });
      const shown = Object.fromEntries((await rows(page)).map((r) => [r[0], r[2]]));
      assert.equal(shown.SRV, byType.SRV.content);
      assertClean(HTTP_400);
    });
  });

  test('edit a record with the keyboard: the content change is saved', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    const [rec] = await batchCreate(zone, [{ type: 'A', name: 'api', content: '192.0.2.1', ttl: 300, comment: 'keep me' }]);
    await withDashboard('dns-edit', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await waitRows(page, 1);
      // Keyboard only: the row's Edit button, the content field has focus, Enter saves.
      await page.getByRole('button', { name: `Edit A record api.${zone.name}` }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Edit A record' });
      await dialog.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'dns-f-content');
      assert.equal(await dialog.getByLabel('TTL').inputValue(), '300', 'the record\'s TTL is preselected');
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.type('198.51.100.7');
      await screenshot(page, 'dns-05-edit');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'hidden' });
      await page.waitForFunction(() => document.querySelector('#dns-records tbody code')?.textContent === '198.51.100.7');
      assert.deepEqual(await rows(page), [['A', `api.${zone.name}`, '198.51.100.7']]);

      const res = assertOk(await raw(srv.apiBase, 'GET', `/zones/${zone.id}/dns_records/${rec.id}`, { token: B.api_token }));
      assert.equal(res.content, '198.51.100.7');
      assert.equal(res.ttl, 300, 'untouched fields stay');
      assert.equal(res.comment, 'keep me');

      // Escape closes the dialog without saving.
      await page.getByRole('button', { name: `Edit A record api.${zone.name}` }).click();
      await dialog.waitFor();
      await page.keyboard.type('junk');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await apiRecords(zone))[0].content, '198.51.100.7');
      assertClean();
    });
  });

  test('delete asks first; Cancel keeps the record, Delete removes it', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await batchCreate(zone, [{ type: 'TXT', name: 'gone', content: 'bye', ttl: 1 }, { type: 'A', name: 'stay', content: '192.0.2.2', ttl: 1 }]);
    await withDashboard('dns-delete', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await waitRows(page, 2);
      const del = page.getByRole('button', { name: `Delete TXT record gone.${zone.name}` });
      await del.click();
      const dialog = page.getByRole('dialog', { name: 'Delete record?' });
      await dialog.waitFor();
      assert.match(await dialog.textContent(), new RegExp(`TXT record gone\\.${zone.name.replace(/\./g, '\\.')}`));
      await screenshot(page, 'dns-06-delete-confirm');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await apiRecords(zone)).length, 2, 'Cancel deletes nothing');

      await del.click();
      await dialog.getByRole('button', { name: 'Delete' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitRows(page, 1);
      assert.deepEqual((await rows(page)).map((r) => r[1]), [`stay.${zone.name}`]);
      assert.deepEqual((await apiRecords(zone)).map((r) => r.name), [`stay.${zone.name}`]);
      assert.match(await page.locator('#dns-status').textContent(), /Deleted the TXT record gone\./);
      assertClean();
    });
  });

  test('clicking a column header sorts by it (the API\'s order/direction) and sets aria-sort', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await batchCreate(zone, [
      { type: 'A', name: 'bravo', content: '192.0.2.30', ttl: 300 },
      { type: 'TXT', name: 'alpha', content: 'zulu text', ttl: 60 },
      { type: 'A', name: 'charlie', content: '192.0.2.20', ttl: 3600 },
      { type: 'AAAA', name: 'delta', content: '2001:db8::1', ttl: 120 },
    ]);
    await withDashboard('dns-sort', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await waitRows(page, 4);
      const header = (name) => page.locator('#dns-records th', { has: page.getByRole('button', { name }) });
      assert.equal(await header('Type').getAttribute('aria-sort'), 'ascending', 'the API\'s default order is by type');

      await page.getByRole('button', { name: 'Name' }).click();
      await page.waitForFunction(() => document.querySelector('#dns-records th[data-order=name]')?.getAttribute('aria-sort') === 'ascending');
      const api = await apiRecords(zone);
      assert.deepEqual((await rows(page)).map((r) => r[1]), sortedBy(api, 'name', 'asc').map((r) => r.name));
      assert.equal(await header('Type').getAttribute('aria-sort'), null, 'only the sorted column has aria-sort');

      await page.getByRole('button', { name: 'Name' }).click();
      await page.waitForFunction(() => document.querySelector('#dns-records th[data-order=name]')?.getAttribute('aria-sort') === 'descending');
      const names = (await rows(page)).map((r) => r[1]);
      assert.deepEqual(names, sortedBy(api, 'name', 'desc').map((r) => r.name));
      assert.deepEqual(names, (await apiRecords(zone, 'order=name&direction=desc')).map((r) => r.name), 'the API\'s order');
      await screenshot(page, 'dns-07-sorted-by-name-desc');

      await page.getByRole('button', { name: 'TTL' }).click();
      await page.waitForFunction(() => document.querySelector('#dns-records th[data-order=ttl]')?.getAttribute('aria-sort') === 'ascending');
      assert.deepEqual((await rows(page)).map((r) => r[1]), sortedBy(api, 'ttl', 'asc').map((r) => r.name));
      assertClean();
    });
  });

  test('filter by type and by a search in names', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await batchCreate(zone, [
      { type: 'A', name: 'web1', content: '192.0.2.1', ttl: 1 },
      { type: 'A', name: 'web2', content: '192.0.2.2', ttl: 1 },
      { type: 'TXT', name: 'web1', content: 'v=spf1 -all', ttl: 1 },
      { type: 'MX', name: '@', content: 'mail.example.net', priority: 10, ttl: 1 },
      { type: 'AAAA', name: 'v6', content: '2001:db8::5', ttl: 1 },
    ]);
    await withDashboard('dns-filter', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await waitRows(page, 5);
      const filters = page.getByRole('search', { name: 'Filter records' });
      await filters.getByLabel('Type').selectOption('A');
      await waitRows(page, 2);
      const shown = await rows(page);
      assert.ok(shown.every((r) => r[0] === 'A'), JSON.stringify(shown));
      assert.deepEqual(shown.map((r) => r[1]).sort(), (await apiRecords(zone, 'type=A')).map((r) => r.name).sort());
      assert.equal(await page.locator('#dns-summary').textContent(), 'Records 1–2 of 2');
      await screenshot(page, 'dns-08-filter-type');

      // Name contains "web1", any type: the A and the TXT record.
      await filters.getByLabel('Type').selectOption('');
      await waitRows(page, 5);
      await filters.getByLabel('Search', { exact: true }).fill('web1');
      await filters.getByLabel('Search in').selectOption('name');
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await waitRows(page, 2);
      assert.deepEqual((await rows(page)).map((r) => r[0]).sort(), ['A', 'TXT']);

      // Nothing matches: a clear message and a way back.
      await filters.getByLabel('Type').selectOption('MX');
      await page.locator('.dns-list .empty').waitFor();
      assert.match(await page.locator('.dns-list .empty').textContent(), /No records match these filters/);
      await page.locator('.dns-list').getByRole('button', { name: 'Clear filters' }).click();
      await waitRows(page, 5);
      assertClean();
    });
  });

  test('more records than a page: the pager walks them all, without repeats', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    const total = 62;
    await batchCreate(zone, Array.from({ length: total }, (_, i) => ({ type: 'A', name: `host-${String(i).padStart(2, '0')}`, content: `192.0.2.${i + 1}`, ttl: 1 })));
    await withDashboard('dns-pages', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await page.getByLabel('Rows per page').selectOption('25');
      await waitRows(page, 25);
      const pagerNav = page.getByRole('navigation', { name: 'Pages' });
      assert.match(await pagerNav.textContent(), /Page 1 of 3/);
      assert.equal(await pagerNav.getByRole('button', { name: 'Previous' }).isDisabled(), true);
      const seen = (await rows(page)).map((r) => r[1]);
      await screenshot(page, 'dns-09-page-1');
      await pagerNav.getByRole('button', { name: 'Next' }).click();
      await page.waitForFunction(() => /Page 2 of 3/.test(document.querySelector('.pager').textContent));
      await waitRows(page, 25);
      seen.push(...(await rows(page)).map((r) => r[1]));
      await pagerNav.getByRole('button', { name: 'Next' }).click();
      await page.waitForFunction(() => /Page 3 of 3/.test(document.querySelector('.pager').textContent));
      await waitRows(page, total - 50);
      seen.push(...(await rows(page)).map((r) => r[1]));
      assert.equal(await page.locator('#dns-summary').textContent(), `Records 51–${total} of ${total}`);
      assert.equal(await pagerNav.getByRole('button', { name: 'Next' }).isDisabled(), true);
      await screenshot(page, 'dns-10-page-3');
      assert.equal(new Set(seen).size, total, 'no record twice');
      assert.deepEqual([...seen].sort(), (await apiRecords(zone)).map((r) => r.name).sort());
      assertClean();
    });
  });

  test('export BIND: the zone file is shown and the download link gives the same file', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await batchCreate(zone, [
      { type: 'A', name: 'www', content: '192.0.2.80', ttl: 1 },
      { type: 'MX', name: '@', content: 'mx.example.net', priority: 5, ttl: 3600 },
    ]);
    await withDashboard('dns-export', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await page.getByRole('button', { name: 'Export BIND file' }).click();
      const pre = page.locator('#dns-export-text');
      await pre.waitFor();
      const shown = await pre.textContent();
      const fromApi = (await raw(srv.apiBase, 'GET', `/zones/${zone.id}/dns_records/export`, { token: B.api_token })).text;
      // The export carries its own time stamp: compare without it.
      const noStamp = (t) => t.replace(/^;; Exported:.*$/m, '');
      assert.equal(noStamp(shown), noStamp(fromApi));
      assert.match(shown, new RegExp(`www\\.${zone.name.replace(/\./g, '\\.')}\\.\\s+1\\s+IN\\s+A\\s+192\\.0\\.2\\.80`));
      assert.match(shown, /IN\s+MX\s+5 mx\.example\.net\./);
      await screenshot(page, 'dns-11-export');

      const link = page.getByRole('link', { name: `Download ${zone.name}.txt` });
      assert.match(await link.getAttribute('href'), /^blob:/);
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), `${zone.name}.txt`);
      assert.equal(fs.readFileSync(await download.path(), 'utf8'), shown, 'the downloaded file is the shown text');
      assertClean();
    });
  });

  test('import a BIND file through the page: the counts are shown and the records exist', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    const file = [
      `$ORIGIN ${zone.name}.`,
      '$TTL 3600',
      'imported   300  IN  A     192.0.2.99',
      'imported   300  IN  AAAA  2001:db8::99',
      '@          3600 IN  TXT   "hello from a zone file"',
      '',
    ].join('\n');
    await withDashboard('dns-import', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await page.getByLabel('BIND zone file', { exact: true }).setInputFiles({ name: 'zone.txt', mimeType: 'text/plain', buffer: Buffer.from(file) });
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      const result = page.locator('#dns-import-result');
      await page.waitForFunction(() => document.querySelector('#dns-import-result').textContent !== '');
      assert.equal(await result.textContent(), 'Imported zone.txt: 3 records added of 3 parsed.');
      await waitRows(page, 3);
      const api = await apiRecords(zone);
      assert.deepEqual(api.map((r) => `${r.type} ${r.name}`).sort(), [`A imported.${zone.name}`, `AAAA imported.${zone.name}`, `TXT ${zone.name}`]);
      const byType = Object.fromEntries(api.map((r) => [r.type, r]));
      assert.equal(byType.A.content, '192.0.2.99');
      assert.equal(byType.AAAA.content, '2001:db8::99');
      assert.equal(byType.A.ttl, 300);
      assert.match(byType.TXT.content, /hello from a zone file/);
      assert.deepEqual((await rows(page)).map((r) => `${r[0]} ${r[1]} ${r[2]}`).sort(), api.map((r) => `${r.type} ${r.name} ${r.content}`).sort());
      await screenshot(page, 'dns-12-imported');

      // Importing without a file is answered next to the form, without a request.
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      assert.equal(await page.locator('#dns-import-error').textContent(), 'Choose a BIND zone file to import.');
      assertClean();
    });
  });

  test('record content and comments are shown as text, never run as markup', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    const content = '"<img src=x onerror=window.__xss=1>"';
    const comment = '<script>window.__xss=2</script>';
    const [rec] = await batchCreate(zone, [{ type: 'TXT', name: 'xss', content, comment, ttl: 1 }]);
    assert.equal(rec.content, content);
    await withDashboard('dns-xss', async ({ page, assertClean }) => {
      await openZone(page, zone);
      await waitRows(page, 1);
      const row = page.locator('#dns-records tbody tr');
      assert.equal(await row.locator('code').textContent(), content);
      assert.match(await row.textContent(), new RegExp(`Comment: ${comment.replace(/[/]/g, '\\/')}`));
      await page.getByRole('button', { name: 'Export BIND file' }).click();
      await page.locator('#dns-export-text').waitFor();
      assert.ok((await page.locator('#dns-export-text').textContent()).includes('<img src=x onerror=window.__xss=1>'));
      await page.getByRole('button', { name: `Edit TXT record xss.${zone.name}` }).click();
      assert.equal(await page.getByLabel('Content').inputValue(), content);
      assert.equal(await page.getByLabel(/^Comment/).inputValue(), comment);
      await screenshot(page, 'dns-13-xss-as-text');
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => window.__xss), undefined, 'nothing ran');
      assert.equal(await page.locator('#view img, #view script').count(), 0, 'no element was made from the text');
      assert.ok(await page.getByText(content, { exact: true }).first().isVisible(), 'the literal text is visible');
      assertClean();
    });
  });

  test('on a 390 px wide screen the records, the form and the import fit without sideways scrolling', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash-dns');
    await batchCreate(zone, [
      { type: 'A', name: 'a-rather-long-host-name-for-a-small-screen', content: '192.0.2.1', ttl: 1, comment: 'front door' },
      { type: 'TXT', name: '_dmarc', content: `v=DKIM1; k=rsa; p=${'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'.repeat(3)}`, ttl: 1, tags: ['owner:mail'] },
      { type: 'MX', name: '@', content: 'mail.example.net', priority: 10, ttl: 3600 },
    ]);
    await withDashboard('dns-narrow', async ({ page, assertClean }) => {
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      await openZone(page, zone);
      await waitRows(page, 3);
      assert.ok((await overflow()) <= 0, `the records page is wider than the screen by ${await overflow()}px`);
      await screenshot(page, 'dns-14-narrow-records');
      await page.getByRole('button', { name: 'Export BIND file' }).click();
      await page.locator('#dns-export-text').waitFor();
      assert.ok((await overflow()) <= 0, `with the export shown, wider by ${await overflow()}px`);
      await page.getByRole('button', { name: 'Add record' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add record' });
      await dialog.waitFor();
      await dialog.getByLabel('Type').selectOption('SRV');
      const box = await dialog.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 390, `the dialog fits (${box.x}+${box.width})`);
      assert.ok((await overflow()) <= 0, `with the form open, wider by ${await overflow()}px`);
      await screenshot(page, 'dns-15-narrow-form');
      await page.keyboard.press('Escape');
      await page.goto(`${srv.origin}/#/dns`);
      await page.locator('#dns-zones').waitFor();
      assert.ok((await overflow()) <= 0, `the zone picker is wider by ${await overflow()}px`);
      await screenshot(page, 'dns-16-narrow-picker');
      assertClean();
    }, { viewport: { width: 390, height: 800 } });
  });
});
