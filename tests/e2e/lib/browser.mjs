// Driving the dashboard in Debian's chromium through playwright-core (no browser download: the
// binary comes from `make deps`). Every test gets its own browser context (own cookies) in one
// headless browser per file, launched with a fresh profile directory and nothing that reaches
// the network on its own. Page errors, failed requests and console errors (CSP violations are
// console errors) are collected, and assertClean() fails the test on any of them.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { sharedServer } from './server.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/lib/chromium/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath() {
  const found = [process.env.NUBIS_CHROMIUM, ...CANDIDATES].find((p) => p && fs.existsSync(p));
  if (!found) throw new Error(`no chromium at ${CANDIDATES.join(', ')}: run \`make deps\` (Debian's chromium package)`);
  return found;
}

// Where screenshots go: NUBIS_SCREENSHOT_DIR (run.sh sets <build>/test-output/dashboard).
export const SCREENSHOT_DIR = process.env.NUBIS_SCREENSHOT_DIR || path.join(os.tmpdir(), 'nubis-dashboard-screenshots');

export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nubis-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    viewport: { width: 1280, height: 900 },
  });
  // One launch per dashboard session: its own profile directory, so no cookie or storage is shared.
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// A page of a freshly launched browser (own profile, own cookies), watched for errors.
export async function openDashboard({ viewport } = {}) {
  const srv = sharedServer();
  const b = await launch();
  await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: srv.origin });
  const page = b.context.pages()[0] || (await b.context.newPage());
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];

  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location() && m.location().url ? ` at ${m.location().url}` : '';
    // The page asks GET /dashboard/api/session on load to learn whether it is signed in, and a
    // refused sign-in is a 401 there too: the normal answers of that endpoint, not faults.
    if (/status of 401/.test(m.text()) && /\/dashboard\/api\/session$/.test(where)) return;
    problems.push(`console error: ${m.text()}${where}`);
  });
  page.on('requestfailed', (r) => {
    const failure = r.failure() ? r.failure().errorText : '';
    // A navigation away aborts requests in flight: not a problem of the page.
    if (!/ERR_ABORTED/.test(failure)) problems.push(`request failed: ${r.method()} ${r.url()} ${failure}`);
  });
  // Nothing may leave the machine: any request to another host fails the test.
  await page.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === 'blob:' || u.protocol === 'data:' || u.hostname === '127.0.0.1' || u.hostname === 'localhost') return route.continue();
    problems.push(`request off the machine: ${u.href}`);
    return route.abort();
  });
  return {
    srv,
    page,
    problems,
    // Known, expected console errors (a 4xx the test provokes) are removed by pattern.
    assertClean(...allowed) {
      const left = problems.filter((p) => !allowed.some((re) => re.test(p)));
      assert.deepEqual(left, [], 'the page logged errors');
    },
    close: () => b.close(),
  };
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Signs in through the form (the bootstrap user unless told otherwise) and waits for Overview.
export async function signIn(page, { email, password } = {}) {
  const boot = sharedServer().bootstrap;
  await page.goto(sharedServer().origin + '/');
  await page.locator('html.ready').waitFor({ state: 'attached' });
  await page.getByLabel('E-mail').fill(email || boot.email);
  await page.getByLabel('Password').fill(password || boot.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await settled(page);
}

// Waits until the page shown has finished rendering (the shell marks <main> aria-busy meanwhile).
export async function settled(page) {
  await page.locator('#view:not([aria-busy])').waitFor({ state: 'attached' });
}

// Runs `body(d)` with a fresh dashboard and always closes it; a screenshot is kept on failure.
export async function withDashboard(name, body, opts) {
  const d = await openDashboard(opts);
  try {
    await body(d);
  } catch (e) {
    await screenshot(d.page, `FAILED-${name}`).catch(() => {});
    throw e;
  } finally {
    await d.close();
  }
}
