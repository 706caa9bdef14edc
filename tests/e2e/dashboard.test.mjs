// The dashboard in a real browser (issue 6): sign-in, the Overview page of seed 002 ("find your
// Account ID and Zone ID on Overview"), sign-out, and the session's defences seen from the browser
// (cookie flags, CSRF). Debian's chromium, headless, driven by playwright-core; screenshots of each
// page go to NUBIS_SCREENSHOT_DIR.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import { Cleanup, createUser, createZone, raw, tokenClient } from './lib/api.mjs';
import { screenshot, signIn, withDashboard } from './lib/browser.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);
const cleanup = new Cleanup(admin, B.account_id);
after(() => cleanup.run());

describe('dashboard: sign-in and Overview', () => {
  test('a wrong password is answered in words next to the form; the right one opens Overview', async () => {
    await withDashboard('sign-in', async ({ page, assertClean }) => {
      await page.goto(srv.origin + '/');
      await page.locator('html.ready').waitFor({ state: 'attached' });
      const email = page.getByLabel('E-mail');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'email', 'the e-mail field has focus');
      await screenshot(page, '01-sign-in');
      // A wrong password for an e-mail nobody uses (the bootstrap user's lock is not spent).
      await email.fill('nobody-here@example.com');
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.locator('#sign-in-error');
      await alert.waitFor();
      assert.equal(await alert.textContent(), 'Invalid e-mail or password');
      await screenshot(page, '02-sign-in-refused');

      await signIn(page);
      assert.equal(await page.title(), 'Overview · Nubis');
      assertClean();
    });
  });

  test('lockout: after 5 wrong passwords for an e-mail, the form says to wait, even with the right one', async () => {
    // A user of its own: the lock is per e-mail. (These 5 failures also count towards the per-address
    // limit of 20 in 15 minutes that every sign-in of this suite shares: keep failures few.)
    const user = await createUser(srv, 'locked');
    await withDashboard('lockout', async ({ page, assertClean }) => {
      await page.goto(srv.origin + '/');
      await page.locator('html.ready').waitFor({ state: 'attached' });
      const attempt = async (password) => {
        await page.getByLabel('E-mail').fill(user.email);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForFunction(() => !document.querySelector('#sign-in-error').hidden);
        const text = await page.locator('#sign-in-error').textContent();
        await page.evaluate(() => { document.querySelector('#sign-in-error').hidden = true; });
        return text;
      };
      for (let i = 0; i < 5; i++) assert.equal(await attempt(`wrong ${i}`), 'Invalid e-mail or password');
      assert.equal(await attempt(user.password), 'Too many failed sign-ins: try again in 15 minutes');
      await screenshot(page, '02b-sign-in-locked');
      assertClean(/status of 429/);
    });
  });

  test('Overview shows the account name and Account ID and each zone with its Zone ID, with copy buttons', async () => {
    const zone = await createZone(admin, cleanup, B.account_id, 'dash');
    const account = (await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}`, { token: B.api_token })).body.result;
    await withDashboard('overview', async ({ page, assertClean }) => {
      await signIn(page);
      const card = page.getByRole('region', { name: `Account ${account.name}` });
      await card.waitFor();
      assert.match(await card.textContent(), new RegExp(`Account ID:${B.account_id}`));
      const row = page.locator('#zones tr', { hasText: zone.name });
      await row.waitFor();
      assert.match(await row.textContent(), new RegExp(zone.id));
      await screenshot(page, '03-overview');

      // The copy buttons put the exact ids on the clipboard.
      await card.getByRole('button', { name: 'Copy Account ID' }).click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), B.account_id);
      await row.getByRole('button', { name: `Copy Zone ID of ${zone.name}` }).click();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), zone.id);
      assertClean();
    });
  });

  test('a reload keeps the session; sign-out ends it and the cookie no longer works', async () => {
    await withDashboard('sign-out', async ({ page, assertClean }) => {
      await signIn(page);
      const [cookie] = await page.context().cookies(srv.origin);
      assert.equal(cookie.name, 'nubis_session');
      assert.equal(cookie.httpOnly, true, 'HttpOnly');
      assert.equal(cookie.sameSite, 'Strict');
      assert.equal(cookie.path, '/');
      assert.equal(await page.evaluate(() => document.cookie), '', 'the page script cannot read the cookie');

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      const after = await raw(srv.apiBase, 'GET', '/user', { headers: { Cookie: `nubis_session=${cookie.value}` } });
      assert.equal(after.status, 401, 'the ended session is refused');
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assertClean();
    });
  });

  test('session fixation: a cookie planted before sign-in is never the session', async () => {
    await withDashboard('fixation', async ({ page, assertClean }) => {
      // An attacker who could plant a cookie (a sibling subdomain, a shared machine) picks its value.
      const planted = 'A'.repeat(40);  // the shape of a real session secret
      await page.context().addCookies([{ name: 'nubis_session', value: planted, url: srv.origin }]);
      await signIn(page);
      const [cookie] = await page.context().cookies(srv.origin);
      assert.notEqual(cookie.value, planted, 'sign-in issues a session of its own');
      assert.equal((await raw(srv.apiBase, 'GET', '/user', { headers: { Cookie: `nubis_session=${planted}` } })).status, 401);
      assert.equal((await raw(srv.apiBase, 'GET', '/user', { headers: { Cookie: `nubis_session=${cookie.value}` } })).status, 200);
      assertClean();
    });
  });

  test('a session that ends while the page is open brings back the sign-in form, saying why', async () => {
    await withDashboard('session-ended', async ({ page, assertClean }) => {
      await signIn(page);
      // The session ends elsewhere (here: signed out through the API with its own cookie).
      const [cookie] = await page.context().cookies(srv.origin);
      const headers = { Cookie: `nubis_session=${cookie.value}` };
      const csrf = (await raw(srv.apiBase, 'GET', `${srv.origin}/dashboard/api/session`, { headers })).body.result.csrf_token;
      assert.equal((await raw(srv.apiBase, 'DELETE', `${srv.origin}/dashboard/api/session`, { headers: { ...headers, 'X-CSRF-Token': csrf } })).status, 200);
      await page.getByRole('link', { name: 'My Profile' }).click();
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      assert.equal(await page.locator('#sign-in-error').textContent(), 'Your session has ended. Sign in again.');
      assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing of the session stays in the tab');
      await signIn(page);
      assertClean(/status of 401/);
    });
  });

  test('CSRF: a state-changing call from the signed-in page without the token is refused', async () => {
    await withDashboard('csrf', async ({ page, assertClean }) => {
      await signIn(page);
      // The page's own origin, the session cookie attached, but no X-CSRF-Token: what a forged
      // same-site request could at most do.
      const res = await page.evaluate(async () => {
        const r = await fetch('/client/v4/user/tokens', {
          method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ name: 'forged', policies: [] }),
        });
        return { status: r.status, body: await r.json() };
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.success, false);
      assert.match(res.body.errors[0].message, /CSRF/i);
      assertClean(/403 \(Forbidden\)/);
    });
  });

  test('on a phone-sized screen the pages are still usable (no sideways scrolling)', async () => {
    await withDashboard('narrow', async ({ page, assertClean }) => {
      await signIn(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
      await screenshot(page, '04-overview-narrow');
      assertClean();
    }, { viewport: { width: 390, height: 800 } });
  });
});
