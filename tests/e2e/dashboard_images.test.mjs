// The dashboard's Images page (issue 6) in a real browser: uploads by drag and drop and by the file
// picker (a progress bar per file, the API's errors in words), the grid of thumbnails loaded from
// the delivery origin, paging, one image's delivery URLs, metadata and access edits, delete;
// variants with a preview rendered by the delivery server; signing keys; "Use API" (seed 001: the
// cURL command, run in bash); API text shown as text; a 390 px wide screen. Screenshots of each go
// to NUBIS_SCREENSHOT_DIR. Every image, variant and key made here is removed in after().

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { liveSharedServer } from './lib/server.mjs';
import { Cloudflare, assertOk, randHex, raw, tokenClient } from './lib/api.mjs';
import * as I from './lib/images.mjs';
import { screenshot, signIn, withDashboard } from './lib/browser.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const A = B.account_id;
const IMG = `/accounts/${A}/images`;
const admin = tokenClient(srv.apiBase, B.api_token);
const imgs = new I.ImagesCleanup(admin, A);
after(async () => {
  await raw(srv.apiBase, 'PATCH', `${IMG}/v1/config`, { token: B.api_token, json: { flexible_variants: false } }).catch(() => {});
  await imgs.run();
});

const get = async (p) => raw(srv.apiBase, 'GET', `${IMG}${p}`, { token: B.api_token });
const getImage = async (id) => get(`/v1/${encodeURIComponent(id)}`);

// Uploads through the SDK (setting up a test, not what is tested) and registers the clean-up.
async function apiUpload({ bytes = I.halvesPng(64, 48), name = `img-${randHex(6)}.png`, ...params } = {}) {
  const file = await Cloudflare.toFile(bytes, name, { type: 'image/png' });
  return imgs.image(await admin.images.v1.create({ account_id: A, file, ...params }));
}

// Signs in and opens an Images sub-page (#/images, #/images/variants, ...) by its hash.
async function openImages(page, hash = '#/images', heading = 'Images') {
  await signIn(page);
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.locator('#view:not([aria-busy])').waitFor();
}

// Waits until an <img> has finished loading and returns { src, naturalWidth, naturalHeight }.
async function loadedImage(locator) {
  await locator.waitFor();
  await locator.evaluate((img) => (img.complete ? null : new Promise((r) => { img.onload = r; img.onerror = r; })));
  return locator.evaluate((img) => ({ src: img.src, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight }));
}

// The grid card of an image (by its file name as shown).
const card = (page, name) => page.locator('.img-card', { has: page.locator('.img-name', { hasText: name }) });

// No sideways scroll: the page is no wider than the window.
async function assertNoSideScroll(page, what) {
  const w = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
  assert.ok(w.doc <= w.win, `${what}: page is ${w.doc}px wide in a ${w.win}px window`);
}

// Image ids in the uploads list (each row links to its image).
async function uploadedIds(page) {
  const hrefs = await page.locator('.upload-row a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  return hrefs.map((h) => decodeURIComponent(h.replace('#/images/', '')));
}

describe('dashboard: Images', () => {
  test('drag and drop: a progress bar per file, then the image in the grid, loaded from its delivery URL', async () => {
    const name = `dropped-${randHex(8)}.png`;
    const b64 = I.halvesPng(64, 48).toString('base64');
    await withDashboard('images-drop', async ({ page, assertClean }) => {
      await openImages(page);
      await screenshot(page, 'images-01-list');
      // A File made in the page, dropped on the drop zone with the events a real drag sends.
      await page.evaluate(({ b64, name }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], name, { type: 'image/png' }));
        const zone = document.getElementById('drop-zone');
        for (const type of ['dragenter', 'dragover', 'drop']) {
          zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
        }
      }, { b64, name });
      const row = page.locator('.upload-row', { hasText: name });
      await row.waitFor();
      const bar = row.getByRole('progressbar', { name: `Upload of ${name}` });
      await bar.waitFor();
      await row.getByText('Uploaded').waitFor();
      assert.equal(await bar.evaluate((p) => p.value / p.max), 1, 'the progress bar is full');
      const [id] = await uploadedIds(page);
      imgs.images.add(id);
      const stored = assertOk(await getImage(id));
      assert.equal(stored.filename, name);

      const thumb = card(page, name).locator('img');
      const img = await loadedImage(thumb);
      assert.ok(img.src.startsWith(srv.deliveryBase + '/'), `${img.src} comes from ${srv.deliveryBase}`);
      assert.ok(stored.variants.includes(img.src), 'the thumbnail is one of the image\'s delivery URLs');
      assert.ok(img.naturalWidth > 0, 'the thumbnail loaded');
      await screenshot(page, 'images-02-dropped');
      assertClean();
    });
  });

  test('file picker: uploads with metadata; a file that is not an image is refused in the API\'s words', async () => {
    const name = `picked-${randHex(8)}.png`;
    const bad = `notes-${randHex(6)}.txt`;
    await withDashboard('images-picker', async ({ page, assertClean }) => {
      await openImages(page);
      await page.getByText('Upload options').click();
      await page.getByLabel('Metadata (JSON, optional)').fill('{"source": "picker"}');
      await page.getByLabel('Choose images').setInputFiles([
        { name, mimeType: 'image/png', buffer: I.solidPng(32, 32, I.BLUE) },
        { name: bad, mimeType: 'text/plain', buffer: Buffer.from('not an image') },
      ]);
      await page.locator('.upload-row', { hasText: name }).getByText('Uploaded').waitFor();
      const refused = page.locator('.upload-row', { hasText: bad }).getByRole('alert');
      await refused.waitFor();
      assert.match(await refused.textContent(), /^Not uploaded: Uploaded image must have image\/jpeg, image\/png, image\/webp, image\/gif or image\/svg\+xml content-type$/);
      const [id] = await uploadedIds(page);
      imgs.images.add(id);
      const stored = assertOk(await getImage(id));
      assert.equal(stored.filename, name);
      assert.deepEqual(stored.meta, { source: 'picker' });
      assert.ok((await loadedImage(card(page, name).locator('img'))).naturalWidth > 0);

      // Metadata that is not JSON is caught next to its field before anything is sent.
      await page.getByLabel('Metadata (JSON, optional)').fill('{not json');
      await page.getByLabel('Choose images').setInputFiles([{ name: 'x.png', mimeType: 'image/png', buffer: I.solidPng(8, 8) }]);
      await page.getByText('Metadata must be a JSON object').waitFor();
      assert.equal(await page.locator('.upload-row', { hasText: 'x.png' }).count(), 0, 'nothing was uploaded');
      await screenshot(page, 'images-03-picker');
      assertClean(/status of 415/);
    });
  });

  test('detail view: filename, id, metadata and every variant URL with a copy button', async () => {
    const variant = `thumb${randHex(8)}`;
    assertOk(await raw(srv.apiBase, 'POST', `${IMG}/v1/variants`, {
      token: B.api_token, json: { id: variant, options: { fit: 'cover', width: 20, height: 20, metadata: 'none' } },
    }));
    imgs.variant(variant);
    const image = await apiUpload({ metadata: { alt: 'two halves' } });
    const fresh = assertOk(await getImage(image.id));
    assert.ok(fresh.variants.length >= 2, 'the image has several variants');
    await withDashboard('images-detail', async ({ page, assertClean }) => {
      await openImages(page);
      await card(page, image.filename).getByRole('link', { name: image.filename, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: image.filename }).waitFor();
      const facts = page.locator('.facts');
      assert.match(await facts.textContent(), new RegExp(`Image ID${image.id}`));
      assert.match(await facts.textContent(), /"alt": "two halves"/);
      const urls = page.getByRole('region', { name: 'Delivery URLs' });
      for (const u of fresh.variants) {
        const v = u.slice(u.lastIndexOf('/') + 1);
        assert.equal(await urls.locator('code', { hasText: u }).count(), 1, `${u} is listed`);
        await urls.getByRole('button', { name: `Copy URL of variant ${v}` }).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), u);
      }
      assert.equal(await urls.locator('code').count(), fresh.variants.length, 'one row per variant');
      const big = await loadedImage(page.locator('.img-preview img'));
      assert.ok(big.naturalWidth > 0 && big.src.startsWith(srv.deliveryBase));
      await screenshot(page, 'images-04-detail');
      assertClean();
    });
  });

  test('detail view: metadata and Require signed URLs are saved (PATCH); a private image shows a placeholder', async () => {
    const image = await apiUpload({ metadata: { before: true } });
    await withDashboard('images-edit', async ({ page, assertClean }) => {
      await openImages(page, `#/images/${encodeURIComponent(image.id)}`, image.filename);
      const meta = page.getByLabel('Metadata (JSON)');
      await meta.fill('[1, 2]');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Metadata must be a JSON object').waitFor();
      await meta.fill('{"caption": "edited in the dashboard", "n": 3}');
      await page.getByLabel('Require signed URLs').check();
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.locator('.facts', { hasText: 'edited in the dashboard' }).waitFor();
      const stored = assertOk(await getImage(image.id));
      assert.deepEqual(stored.meta, { caption: 'edited in the dashboard', n: 3 }, 'metadata replaced');
      assert.equal(stored.requireSignedURLs, true);
      assert.match(await page.locator('.img-preview').textContent(), /needs a signed URL/);
      await screenshot(page, 'images-05-edited');

      await page.getByRole('link', { name: '← All images' }).click();
      const c = card(page, image.filename);
      await c.waitFor();
      assert.equal(await c.locator('img').count(), 0, 'no unsigned <img> of a private image');
      assert.match(await c.textContent(), /Private image: needs a signed URL/);
      assertClean();
    });
  });

  test('delete asks first: Cancel keeps the image, Delete image removes it', async () => {
    const image = await apiUpload();
    await withDashboard('images-delete', async ({ page, assertClean }) => {
      await openImages(page, `#/images/${encodeURIComponent(image.id)}`, image.filename);
      await page.getByRole('button', { name: 'Delete image' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete this image?' });
      await dialog.waitFor();
      await screenshot(page, 'images-06-delete-confirm');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal((await getImage(image.id)).status, 200, 'still there after Cancel');

      await page.getByRole('button', { name: 'Delete image' }).click();
      await dialog.getByRole('button', { name: 'Delete image' }).click();
      await page.getByRole('heading', { level: 1, name: 'Images' }).waitFor();
      assert.equal((await getImage(image.id)).status, 404, 'gone');
      await page.locator('#view:not([aria-busy])').waitFor();
      assert.equal(await card(page, image.filename).count(), 0);
      assertClean();
    });
  });

  test('variants: create, edit and delete, with the preview rendered by the delivery server', async () => {
    const image = await apiUpload({ bytes: I.halvesPng(64, 48), name: `preview-${randHex(6)}.png` });
    const name = `v${randHex(10)}`;
    imgs.variant(name);
    await withDashboard('images-variants', async ({ page, assertClean }) => {
      await openImages(page, '#/images/variants', 'Variants');
      const editor = page.getByRole('region', { name: 'Variant editor' });
      await editor.getByLabel('Preview image').selectOption(image.id);
      await editor.getByLabel('Variant name').fill(name);
      await editor.getByLabel('Fit').selectOption('cover');
      await editor.getByLabel('Width (px)').fill('40');
      await editor.getByLabel('Height (px)').fill('30');
      await editor.getByRole('button', { name: 'Create variant' }).click();
      const row = page.locator(`tr[data-variant="${name}"]`);
      await row.waitFor();
      let stored = assertOk(await get(`/v1/variants/${name}`)).variant;
      assert.deepEqual(stored.options, { fit: 'cover', width: 40, height: 30, metadata: 'none' });

      // After the create, the editor shows the saved variant, previewed through delivery.
      await page.getByRole('heading', { name: `Edit variant ${name}` }).waitFor();
      await editor.getByLabel('Preview image').selectOption(image.id);
      let shown = await loadedImage(editor.locator('.preview-frame img'));
      assert.ok(shown.src.startsWith(`${srv.deliveryBase}/${B.account_hash}/${image.id}/${name}`), shown.src);
      assert.deepEqual([shown.naturalWidth, shown.naturalHeight], [40, 30]);
      await screenshot(page, 'images-07-variant-created');

      // Edit: the saved options change, and so does the preview.
      await editor.getByLabel('Width (px)').fill('24');
      await editor.getByLabel('Height (px)').fill('24');
      await editor.getByLabel(/^Never require signed URLs/).check();
      await editor.getByRole('button', { name: 'Save variant' }).click();
      await page.locator(`tr[data-variant="${name}"]`, { hasText: '24 × 24' }).waitFor();
      stored = assertOk(await get(`/v1/variants/${name}`)).variant;
      assert.deepEqual(stored.options, { fit: 'cover', width: 24, height: 24, metadata: 'none' });
      assert.equal(stored.neverRequireSignedURLs, true);
      await editor.getByLabel('Preview image').selectOption(image.id);
      await page.waitForFunction(() => {
        const img = document.querySelector('.preview-frame img');
        return img && img.complete && img.naturalWidth === 24;
      });

      // Live preview of unsaved options: delivery refuses flexible variants while they are off
      // (the 403 is provoked on purpose; chromium blocks its text body for an <img>: ORB), the
      // page says so and offers to turn them on.
      await raw(srv.apiBase, 'PATCH', `${IMG}/v1/config`, { token: B.api_token, json: { flexible_variants: false } });
      await editor.getByLabel('Width (px)').fill('16');
      await editor.getByLabel('Height (px)').fill('12');
      await editor.getByLabel(/^Live preview/).check();
      const turnOn = editor.getByRole('button', { name: 'Turn on flexible variants' });
      await turnOn.waitFor();
      await screenshot(page, 'images-08-variant-live-off');
      await turnOn.click();
      await page.waitForFunction(() => {
        const img = document.querySelector('.preview-frame img');
        return img && img.complete && img.naturalWidth === 16 && img.naturalHeight === 12;
      });
      shown = await loadedImage(editor.locator('.preview-frame img'));
      assert.ok(shown.src.startsWith(`${srv.deliveryBase}/${B.account_hash}/${image.id}/`) && /width=16/.test(shown.src), shown.src);
      await screenshot(page, 'images-09-variant-live');
      stored = assertOk(await get(`/v1/variants/${name}`)).variant;
      assert.equal(stored.options.width, 24, 'a live preview saves nothing');

      // Delete, after confirming.
      await row.getByRole('button', { name: `Delete variant ${name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete variant' }).click();
      await row.waitFor({ state: 'detached' });
      assert.equal((await get(`/v1/variants/${name}`)).status, 404);
      assertClean(/status of 403/, /ERR_BLOCKED_BY_ORB/);
    });
  });

  test('variants: a refused create is answered in words next to the form', async () => {
    await withDashboard('images-variant-refused', async ({ page, assertClean }) => {
      await openImages(page, '#/images/variants', 'Variants');
      const editor = page.getByRole('region', { name: 'Variant editor' });
      await editor.getByLabel('Variant name').fill('not-alnum!');
      await editor.getByRole('button', { name: 'Create variant' }).click();
      const err = editor.getByRole('alert');
      await err.waitFor();
      assert.equal(await err.textContent(), 'id must be 1 to 99 letters or digits');
      assertClean(/status of 400/);
    });
  });

  test('signing keys: create, roll and delete', async () => {
    const name = `k${randHex(8)}`;
    imgs.key(name);
    const keyValue = async () => (assertOk(await get('/v1/keys')).keys.find((k) => k.name === name) || {}).value;
    await withDashboard('images-keys', async ({ page, assertClean }) => {
      await openImages(page, '#/images/keys', 'Signing keys');
      await page.getByLabel('Key name').fill(name);
      await page.getByRole('button', { name: 'Create key' }).click();
      const row = page.locator(`tr[data-key="${name}"]`);
      await row.waitFor();
      const first = await keyValue();
      assert.ok(first, 'the key exists');
      assert.doesNotMatch(await row.textContent(), new RegExp(first), 'the value is hidden until asked');
      await row.getByRole('button', { name: `Show key ${name}` }).click();
      assert.match(await row.textContent(), new RegExp(first));
      await row.getByRole('button', { name: `Copy key ${name}` }).click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), first);
      await screenshot(page, 'images-10-keys');

      await row.getByRole('button', { name: `Roll key ${name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Roll key' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.waitForFunction(() => !document.querySelector('dialog'));
      const second = await keyValue();
      assert.ok(second && second !== first, 'rolled: a new value');

      await page.locator(`tr[data-key="${name}"]`).getByRole('button', { name: `Delete key ${name}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete key' }).click();
      await page.locator(`tr[data-key="${name}"]`).waitFor({ state: 'detached' });
      assert.equal(await keyValue(), undefined, 'deleted');
      assertClean();
    });
  });

  test('Use API (seed 001): the cURL command for the token and file name, which uploads when run in bash', async () => {
    await apiUpload(); // the account hash shows once the account has an image
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nubis-curl-'));
    try {
      await withDashboard('images-use-api', async ({ page, assertClean }) => {
        await openImages(page);
        await page.getByRole('button', { name: 'Use API' }).click();
        const panel = page.getByRole('region', { name: 'Use API' });
        await panel.waitFor();
        const plain = `photo-${randHex(6)}.png`;
        await panel.getByLabel('API token').fill(B.api_token);
        await panel.getByLabel('Image File Name').fill(plain);
        const box = panel.getByRole('textbox', { name: 'cURL command' });
        // Seed 001's command, on this server's origin.
        assert.equal(await box.inputValue(),
          `curl -X POST -F file=@./${plain} -H "Authorization: Bearer ${B.api_token}" ${srv.origin}/client/v4/accounts/${A}/images/v1`);
        await panel.getByRole('button', { name: 'Copy cURL command' }).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await box.inputValue());

        // The Account ID and Account hash, with copy buttons.
        const ids = page.getByRole('region', { name: 'Developer resources' });
        await ids.getByRole('button', { name: 'Copy Account ID' }).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), A);
        await ids.getByRole('button', { name: 'Copy Account hash' }).click();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), B.account_hash);
        await screenshot(page, 'images-11-use-api');

        // Pasted into bash, for a plain name and for one that needs quoting (spaces, quotes, ';', '$').
        for (const fileName of [plain, `my "cat's" photo;1 $HOME ${randHex(4)}.png`]) {
          await panel.getByLabel('Image File Name').fill(fileName);
          const command = await box.inputValue();
          fs.writeFileSync(path.join(dir, fileName), I.halvesPng(30, 20));
          const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: dir, timeout: 30_000 });
          const answer = JSON.parse(stdout);
          assert.equal(answer.success, true, stdout);
          imgs.images.add(answer.result.id);
          const stored = assertOk(await getImage(answer.result.id));
          const blob = await I.rawHttp(`${srv.apiBase}${IMG}/v1/${encodeURIComponent(stored.id)}/blob`, { headers: { Authorization: `Bearer ${B.api_token}` } });
          I.assertImage(blob.body, { format: 'png', width: 30, height: 20 }, 'the uploaded original');
          assert.ok(stored.filename.includes('photo'), stored.filename);
        }
        assertClean();
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('API text is shown as text: a file name and metadata with markup are inert and visible literally', async () => {
    const evil = '<img src=x onerror=window.__xss=1><script>window.__xss=2</script>';
    const name = `<img src=x onerror=window.__xss=1>${randHex(4)}.png`;
    const image = await apiUpload({ name, metadata: { note: evil } });
    await withDashboard('images-xss', async ({ page, assertClean }) => {
      await openImages(page);
      const c = card(page, name);
      await c.waitFor();
      assert.equal(await c.locator('.img-name').textContent(), name);
      await c.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      assert.match(await page.locator('.facts').textContent(), new RegExp(evil.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '\\/')));
      assert.equal(await page.evaluate(() => window.__xss), undefined);
      assert.equal(await page.locator('#view script, #view img[src="x"]').count(), 0, 'no element was made from the text');
      await screenshot(page, 'images-12-text-not-markup');
      assertClean();
    });
    assert.equal(image.filename, name);
  });

  test('paging: a page size of 10, Next and Previous follow the API\'s pages', async () => {
    for (let i = 0; i < 11; i++) await apiUpload({ bytes: I.solidPng(8, 8, [i * 20, 100, 200]), name: `page-${i}-${randHex(4)}.png` });
    const total = assertOk(await get('/v1/stats')).count.current;
    const pages = Math.ceil(total / 10);
    const apiPage = async (n) => assertOk(await get(`/v1?page=${n}&per_page=10`)).images.map((i) => i.filename);
    await withDashboard('images-paging', async ({ page, assertClean }) => {
      await openImages(page);
      await page.getByLabel('Images per page').selectOption('10');
      const nav = page.getByRole('navigation', { name: 'Pages' });
      await nav.getByText(`Page 1 of ${pages}`).waitFor();
      const names = () => page.locator('.img-name').allTextContents();
      assert.deepEqual(await names(), await apiPage(1));
      await nav.getByRole('button', { name: 'Next' }).click();
      await nav.getByText(`Page 2 of ${pages}`).waitFor();
      assert.deepEqual(await names(), await apiPage(2));
      await screenshot(page, 'images-13-page-2');
      await nav.getByRole('button', { name: 'Previous' }).click();
      await nav.getByText(`Page 1 of ${pages}`).waitFor();
      assert.deepEqual(await names(), await apiPage(1));
      assert.equal(await nav.getByRole('button', { name: 'Previous' }).isDisabled(), true);
      assertClean();
    });
  });

  test('a 390 px wide screen: every Images view fits without sideways scrolling', async () => {
    const image = await apiUpload({ name: `narrow-${randHex(6)}-with-a-rather-long-file-name-that-must-wrap.png`, metadata: { a: 'x'.repeat(120) } });
    await withDashboard('images-narrow', async ({ page, assertClean }) => {
      await openImages(page);
      await page.getByRole('button', { name: 'Use API' }).click();
      await page.getByLabel('API token').fill(B.api_token);
      await page.getByLabel('Image File Name').fill('a-very-long-image-file-name-from-a-camera-0001.png');
      await assertNoSideScroll(page, 'list');
      await screenshot(page, 'images-14-narrow-list');
      for (const [hash, heading, shot] of [
        [`#/images/${encodeURIComponent(image.id)}`, image.filename, 'images-15-narrow-detail'],
        ['#/images/variants', 'Variants', 'images-16-narrow-variants'],
        ['#/images/keys', 'Signing keys', 'images-17-narrow-keys'],
      ]) {
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('#view:not([aria-busy])').waitFor();
        await assertNoSideScroll(page, hash);
        await screenshot(page, shot);
      }
      assertClean();
    }, { viewport: { width: 390, height: 844 } });
  });
});

