// The dashboard's Members page (issue 6) in a real browser: the owner invites a user by e-mail with
// a role, the invited user (a second browser, own session) sees the invitation at the top of the
// page and accepts or declines it, the owner changes the member's roles and removes it after a
// confirmation; the API's refusals (an invalid e-mail, the last Super Administrator) are shown in
// its words; names and e-mails with markup stay text; a phone-sized screen needs no sideways
// scrolling. Every step is checked against the API as well as on the page.

import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { liveSharedServer } from './lib/server.mjs';
import { ROLE, assertOk, createUser as createNubisUser, raw, tokenClient, uniqueName } from './lib/api.mjs';
import { screenshot, signIn, withDashboard } from './lib/browser.mjs';

const srv = await liveSharedServer();
const B = srv.bootstrap;
const admin = tokenClient(srv.apiBase, B.api_token);

const keyHeaders = (u) => ({ 'X-Auth-Email': u.email, 'X-Auth-Key': u.global_api_key });
const newEmail = (label) => `${uniqueName(label)}@example.com`;
const membersPath = `/accounts/${B.account_id}/members`;

// Members this file made in the shared account, removed at the end whatever happened.
const made = new Set();
after(async () => {
  for (const id of made) await admin.accounts.members.delete(id, { account_id: B.account_id }).catch(() => {});
});

const createUser = (label) => createNubisUser(srv, label);

async function apiInvite(email, roles) {
  const m = assertOk(await raw(srv.apiBase, 'POST', membersPath, { token: B.api_token, json: { email, roles } }));
  made.add(m.id);
  return m;
}

// The account's member with this e-mail, from the API (all pages), or undefined.
async function apiMember(email) {
  for (let page = 1; ; page++) {
    const res = assertOk(await raw(srv.apiBase, 'GET', `${membersPath}?per_page=50&page=${page}`, { token: B.api_token }));
    const m = res.find((x) => x.email === email);
    if (m || res.length < 50) return m;
  }
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function openMembers(page) {
  await page.getByRole('link', { name: 'Members' }).click();
  await page.getByRole('heading', { level: 1, name: 'Members' }).waitFor();
  // The list, or (no account yet) the empty state in its place.
  await page.locator('#members-list table, #members-list .empty, #members-account > .empty').first().waitFor();
}

// The row of the member whose e-mail is exactly `email`, paging through the list if needed (the
// shared account may hold more members than one page).
async function findRow(page, email) {
  const rowOf = () => page.locator('#members tbody tr')
    .filter({ has: page.locator('.member-email', { hasText: new RegExp(`^${escapeRe(email)}$`) }) });
  await page.locator('#members-list:not([aria-busy])').locator('table, .empty').first().waitFor();
  const first = page.locator('#members-list .pager button', { hasText: 'Previous' });
  if (await first.count()) {
    while (!(await first.isDisabled())) {
      const label = await page.locator('#members-list .pager span').textContent();
      await first.click();
      await page.locator('#members-list:not([aria-busy]) .pager span').filter({ hasNotText: label }).waitFor();
    }
  }
  for (;;) {
    if (await rowOf().count()) return rowOf();
    const next = page.locator('#members-list .pager button', { hasText: 'Next' });
    if (!(await next.count()) || (await next.isDisabled())) return rowOf();
    const label = await page.locator('#members-list .pager span').textContent();
    await next.click();
    await page.locator('#members-list:not([aria-busy]) .pager span').filter({ hasNotText: label }).waitFor();
  }
}

const statusText = (page) => page.locator('#members-status');

describe('dashboard: Members', () => {
  test('invite with a role → pending; the invitee accepts in its own browser; roles changed; removed', async () => {
    const user = await createUser('dash-invitee');
    const account = assertOk(await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}`, { token: B.api_token }));

    await withDashboard('members-owner', async (owner) => {
      const { page } = owner;
      await signIn(page);
      await openMembers(page);
      await screenshot(page, 'members-01-owner');

      // The owner invites the e-mail as Administrator Read Only.
      const form = page.locator('#invite-form');
      await form.getByLabel('E-mail').fill(user.email);
      await form.getByLabel('Administrator Read Only', { exact: true }).check();
      await form.getByRole('button', { name: 'Send invite' }).click();
      await statusText(page).filter({ hasText: `Invited ${user.email}` }).waitFor();
      let row = await findRow(page, user.email);
      assert.equal(await row.locator('.badge').textContent(), 'pending');
      assert.match(await row.textContent(), /Administrator Read Only/);
      const pending = await apiMember(user.email);
      assert.ok(pending, 'the API lists the invite');
      made.add(pending.id);
      assert.equal(pending.status, 'pending');
      assert.deepEqual(pending.roles.map((r) => r.id), [ROLE.READ_ONLY]);
      await screenshot(page, 'members-02-invited-pending');

      // The invited user, in another browser: the invitation at the top of Members; accept it.
      await withDashboard('members-invitee', async (invitee) => {
        const p2 = invitee.page;
        await signIn(p2, { email: user.email, password: user.password });
        await openMembers(p2);
        const card = p2.getByRole('article', { name: `Invitation to ${account.name}` });
        await card.waitFor();
        assert.match(await card.textContent(), /Administrator Read Only/);
        assert.match(await card.textContent(), new RegExp(`Invited by ${escapeRe(B.email)}`));
        await screenshot(p2, 'members-03-invitee-invitation');
        await card.getByRole('button', { name: 'Accept' }).click();
        await statusText(p2).filter({ hasText: `You are now a member of ${account.name}` }).waitFor();
        assert.equal(await p2.locator('#my-invites article').count(), 0, 'the answered invitation is gone');
        assert.equal((await apiMember(user.email)).status, 'accepted');
        // Now a member: the page lists the account's members (read-only role: no forms).
        await (await findRow(p2, user.email)).waitFor();
        assert.equal(await p2.locator('#invite-form').count(), 0, 'a read-only member gets no invite form');
        await screenshot(p2, 'members-04-invitee-accepted');
        // The account is in the session: the picker holds it and Overview shows it.
        assert.deepEqual(await p2.locator('#account-pick option').evaluateAll((os) => os.map((o) => o.value)), [B.account_id]);
        await p2.getByRole('link', { name: 'Overview' }).click();
        await p2.getByRole('region', { name: `Account ${account.name}` }).waitFor();
        await screenshot(p2, 'members-05-invitee-overview');
        invitee.assertClean();
      });

      // The owner refreshes the list, sees it accepted and makes it an Administrator.
      await page.getByRole('button', { name: 'Refresh' }).click();
      row = await findRow(page, user.email);
      assert.equal(await row.locator('.badge').textContent(), 'accepted');
      await row.getByRole('button', { name: `Change roles of ${user.email}` }).click();
      await row.getByLabel('Administrator Read Only', { exact: true }).uncheck();
      await row.getByLabel('Administrator', { exact: true }).check();
      await screenshot(page, 'members-06-change-roles');
      await row.getByRole('button', { name: 'Save roles' }).click();
      await statusText(page).filter({ hasText: `Changed the roles of ${user.email} to Administrator.` }).waitFor();
      row = await findRow(page, user.email);
      assert.equal(await row.locator('.roles-cell').textContent(), 'Administrator');
      assert.deepEqual((await apiMember(user.email)).roles.map((r) => r.id), [ROLE.ADMIN]);

      // Removing asks first; Keep leaves it, Remove member removes it.
      await row.getByRole('button', { name: `Remove ${user.email}` }).click();
      const dialog = page.getByRole('dialog', { name: `Remove ${user.email} from ${account.name}?` });
      await dialog.waitFor();
      await screenshot(page, 'members-07-remove-confirm');
      await dialog.getByRole('button', { name: 'Keep' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.ok(await apiMember(user.email), 'Keep removes nothing');
      await row.getByRole('button', { name: `Remove ${user.email}` }).click();
      await dialog.getByRole('button', { name: 'Remove member' }).click();
      await statusText(page).filter({ hasText: `Removed ${user.email} from ${account.name}.` }).waitFor();
      assert.equal(await (await findRow(page, user.email)).count(), 0, 'the row is gone');
      assert.equal(await apiMember(user.email), undefined, 'the API no longer lists it');
      await screenshot(page, 'members-08-removed');
      owner.assertClean();
    });
  });

  test('an invalid e-mail or no role: the API\'s message is shown next to the form', async () => {
    await withDashboard('members-invalid', async ({ page, assertClean }) => {
      await signIn(page);
      await openMembers(page);
      const form = page.locator('#invite-form');
      const err = page.locator('#invite-error');
      // What the API itself says for the same request.
      const expected = async (body) => {
        const res = await raw(srv.apiBase, 'POST', membersPath, { token: B.api_token, json: body });
        assert.equal(res.status, 400);
        return res.body.errors[0].message;
      };

      await form.getByLabel('E-mail').fill('not-an-email');
      await form.getByLabel('Administrator', { exact: true }).check();
      await form.getByRole('button', { name: 'Send invite' }).click();
      await err.filter({ hasText: /\S/ }).waitFor();
      assert.equal(await err.textContent(), await expected({ email: 'not-an-email', roles: [ROLE.ADMIN] }));
      assert.equal(await page.evaluate(() => document.activeElement.id), 'invite-email', 'focus back on the e-mail');
      await screenshot(page, 'members-09-invalid-email');

      // A valid e-mail but no role chosen.
      const email = newEmail('dash-norole');
      await form.getByLabel('E-mail').fill(email);
      await form.getByLabel('Administrator', { exact: true }).uncheck();
      await form.getByRole('button', { name: 'Send invite' }).click();
      const noRole = await expected({ email, roles: [] });
      await err.filter({ hasText: noRole }).waitFor();
      assert.equal(await apiMember(email), undefined, 'nothing was invited');
      assertClean(/status of 400/);
    });
  });

  test('the invited user declines: the invite is rejected and leaves the page', async () => {
    const user = await createUser('dash-decline');
    const account = assertOk(await raw(srv.apiBase, 'GET', `/accounts/${B.account_id}`, { token: B.api_token }));
    const m = await apiInvite(user.email, [ROLE.ADMIN]);
    await withDashboard('members-decline', async ({ page, assertClean }) => {
      await signIn(page, { email: user.email, password: user.password });
      await openMembers(page);
      // Not a member of any account yet: the invitation, and an empty state below it.
      assert.match(await page.locator('#members-account .empty').textContent(), /not a member of any account/);
      const card = page.getByRole('article', { name: `Invitation to ${account.name}` });
      await card.waitFor();
      await screenshot(page, 'members-10-decline-before');
      await card.getByRole('button', { name: 'Decline' }).click();
      await statusText(page).filter({ hasText: `You declined the invitation to ${account.name}.` }).waitFor();
      assert.equal(await page.locator('#my-invites').isHidden(), true, 'no invitation left to answer');
      const after = assertOk(await raw(srv.apiBase, 'GET', `/user/invites/${m.id}`, { headers: keyHeaders(user) }));
      assert.equal(after.status, 'rejected');
      assert.equal((await apiMember(user.email)).status, 'rejected');
      // Still no account.
      assert.equal(await page.locator('#account-pick option').count(), 0);
      await screenshot(page, 'members-11-declined');
      assertClean();
    });
  });

  test('the last Super Administrator cannot be removed nor demoted: the API\'s message on its row', async () => {
    const all = [];
    for (let p = 1; ; p++) {
      const rows = assertOk(await raw(srv.apiBase, 'GET', `${membersPath}?per_page=50&page=${p}`, { token: B.api_token }));
      all.push(...rows);
      if (rows.length < 50) break;
    }
    const supers = all.filter((x) => x.status === 'accepted' && x.roles.some((r) => r.id === ROLE.SUPER));
    assert.deepEqual(supers.map((x) => x.email), [B.email], 'the owner is the only Super Administrator');
    const ownerId = supers[0].id;

    await withDashboard('members-last-super', async ({ page, assertClean }) => {
      await signIn(page);
      await openMembers(page);
      const row = await findRow(page, B.email);
      assert.match(await row.textContent(), /\(you\)/);
      const err = row.locator('.actions-cell .error');

      await row.getByRole('button', { name: `Remove ${B.email}` }).click();
      const dialog = page.getByRole('dialog');
      assert.match(await dialog.textContent(), /You will lose access to this account/);
      await dialog.getByRole('button', { name: 'Remove member' }).click();
      await err.filter({ hasText: /\S/ }).waitFor();
      const refusal = await raw(srv.apiBase, 'DELETE', `${membersPath}/${ownerId}`, { token: B.api_token });
      assert.equal(refusal.status, 400);
      assert.equal(await err.textContent(), refusal.body.errors[0].message);
      await screenshot(page, 'members-12-last-super-admin');

      // Demoting it is refused the same way.
      await row.getByRole('button', { name: `Change roles of ${B.email}` }).click();
      await row.getByLabel('Super Administrator - All Privileges', { exact: true }).uncheck();
      await row.getByLabel('Administrator', { exact: true }).check();
      await row.getByRole('button', { name: 'Save roles' }).click();
      await err.filter({ hasText: refusal.body.errors[0].message }).waitFor();
      const owner = assertOk(await raw(srv.apiBase, 'GET', `${membersPath}/${ownerId}`, { token: B.api_token }));
      assert.equal(owner.status, 'accepted');
      assert.deepEqual(owner.roles.map((r) => r.id), [ROLE.SUPER]);
      assertClean(/status of 400/);
    });
  });

  test('security: names and e-mails with markup are shown as text', async () => {
    const markup = '<img src=x onerror=window.__xss=1>';
    const user = await createUser('dash-xss');
    const m = await apiInvite(user.email, [ROLE.READ_ONLY]);
    assertOk(await raw(srv.apiBase, 'PATCH', `/user/invites/${m.id}`, { headers: keyHeaders(user), json: { status: 'accepted' } }));
    assertOk(await raw(srv.apiBase, 'PATCH', '/user', { headers: keyHeaders(user), json: { first_name: markup, last_name: '<b>bold</b>' } }));
    // No spaces, one @ and a dot after it: the API takes this as an e-mail to invite.
    const oddEmail = `<img/src=x/onerror=window.__xss=2>${uniqueName('x')}@example.com`;
    await apiInvite(oddEmail, [ROLE.READ_ONLY]);

    await withDashboard('members-xss', async ({ page, assertClean }) => {
      await signIn(page);
      await openMembers(page);
      const named = await findRow(page, user.email);
      assert.equal(await named.locator('.member-name').textContent(), `${markup} <b>bold</b>`);
      const odd = await findRow(page, oddEmail);
      assert.equal(await odd.locator('.member-email').textContent(), oddEmail);
      // The confirmation names it as text as well.
      await odd.getByRole('button', { name: `Cancel invite ${oddEmail}` }).click();
      const dialog = page.getByRole('dialog');
      assert.equal(await dialog.locator('h2').textContent(), `Cancel the invite to ${oddEmail}?`);
      await screenshot(page, 'members-13-markup-as-text');
      await dialog.getByRole('button', { name: 'Cancel invite' }).click();
      await statusText(page).filter({ hasText: `Cancelled the invite to ${oddEmail}.` }).waitFor();
      assert.equal(await apiMember(oddEmail), undefined, 'the invite was cancelled');
      assert.equal(await page.locator('#view img, #view b').count(), 0, 'no element came from the API text');
      assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script ran');
      assertClean();
    });
  });

  test('more members than a page: the pager and the status filter', async () => {
    // "zz-" sorts after every other e-mail of the account (the list is ordered by e-mail).
    const emails = [];
    for (let i = 0; i < 21; i++) emails.push(`zz-${uniqueName(`dash-page${String(i).padStart(2, '0')}`)}@example.com`);
    for (const e of emails) await apiInvite(e, [ROLE.READ_ONLY]);
    const last = [...emails].sort().at(-1);
    await withDashboard('members-pages', async ({ page, assertClean }) => {
      await signIn(page);
      await openMembers(page);
      assert.equal(await page.locator('#members tbody tr').count(), 20, 'a page holds 20');
      assert.match(await page.locator('#members-list .pager span').textContent(), /^Page 1 of \d+$/);
      const row = await findRow(page, last);
      assert.equal(await row.count(), 1, 'the last e-mail is found on a later page');
      assert.doesNotMatch(await page.locator('#members-list .pager span').textContent(), /^Page 1 /);
      await screenshot(page, 'members-17-page-2');
      // Pending invites only.
      await page.getByLabel('Show').selectOption('pending');
      await page.locator('#members-list:not([aria-busy]) .pager span', { hasText: /^Page 1 of/ }).waitFor();
      const statuses = await page.locator('#members .badge').allTextContents();
      assert.ok(statuses.length > 0 && statuses.every((t) => t === 'pending'), statuses.join());
      assertClean();
    });
  });

  test('on a phone-sized screen: members as cards, the invitation and the dialog fit (no sideways scroll)', async () => {
    const user = await createUser('dash-narrow-with-a-rather-long-name');
    await apiInvite(user.email, [ROLE.SUPER, ROLE.READ_ONLY]);
    const noOverflow = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: page wider than the screen by ${overflow}px`);
    };
    await withDashboard('members-narrow-owner', async ({ page, assertClean }) => {
      await signIn(page);
      await openMembers(page);
      const row = await findRow(page, user.email);
      await row.waitFor();
      await noOverflow(page, 'members list');
      await screenshot(page, 'members-14-narrow-owner');
      await row.getByRole('button', { name: `Change roles of ${user.email}` }).click();
      await noOverflow(page, 'roles editor');
      await row.getByRole('button', { name: 'Cancel', exact: true }).click();
      await row.getByRole('button', { name: `Cancel invite ${user.email}` }).click();
      await page.getByRole('dialog').waitFor();
      await noOverflow(page, 'confirmation');
      await screenshot(page, 'members-15-narrow-dialog');
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      assert.ok(await apiMember(user.email), 'Escape cancels nothing');
      assertClean();
    }, { viewport: { width: 390, height: 800 } });
    await withDashboard('members-narrow-invitee', async ({ page, assertClean }) => {
      await signIn(page, { email: user.email, password: user.password });
      await openMembers(page);
      await page.locator('#my-invites article').waitFor();
      await noOverflow(page, 'invitation');
      await screenshot(page, 'members-16-narrow-invitation');
      assertClean();
    }, { viewport: { width: 390, height: 800 } });
  });
});
