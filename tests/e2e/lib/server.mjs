// Starting and stopping Nubis servers for the end-to-end suite.
//
// run.sh starts one shared server and exports its coordinates (NUBIS_API_BASE, NUBIS_DATA_DIR, ...).
// Tests that need a server of their own (different environment, restarts, quotas) call startServer(),
// which boots the binary named by NUBIS_BIN on a fresh temporary data dir, and stop() it afterwards.
// Nothing here talks to anything but 127.0.0.1.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const START_TIMEOUT_MS = 15_000;

// The example token printed in Cloudflare's docs (seeds 002 and 004). run.sh presets the bootstrap
// token's secret to it so that the documented curl lines work verbatim.
export const DOCS_EXAMPLE_TOKEN = 'YQSn-xWAQiiEh9qM58wZNnyQS7FUdoqGIUAbrh7T';

function readJsonIfComplete(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null; // missing, or written half-way
  }
}

// Reads DIR/bootstrap.json (written on the first start on an empty data dir).
export function readBootstrap(dataDir) {
  const file = path.join(dataDir, 'bootstrap.json');
  const data = readJsonIfComplete(file);
  if (!data) throw new Error(`no readable bootstrap.json in ${dataDir}`);
  return data;
}

// The server run.sh started, as its current DIR/server.json describes it (run.sh restarts it on the
// same data dir if it crashes, so the port can change between test files). Throws when the suite is
// run without run.sh.
export function sharedServer() {
  const dataDir = process.env.NUBIS_DATA_DIR;
  if (!dataDir) throw new Error('NUBIS_DATA_DIR is not set: run the suite through tests/e2e/run.sh');
  const info = readJsonIfComplete(path.join(dataDir, 'server.json'));
  const apiBase = (info && info.api_base_url) || process.env.NUBIS_API_BASE;
  if (!apiBase) throw new Error(`no server.json in ${dataDir}`);
  sharedOrigins.add(new URL(apiBase).origin);
  return {
    apiBase,
    dataDir,
    deliveryBase: (info && info.delivery_base_url) || process.env.NUBIS_DELIVERY_BASE,
    origin: new URL(apiBase).origin,
    pid: info && info.pid,
    bootstrap: readBootstrap(dataDir),
  };
}

// Origins the shared server has had during this process (it gets a new port when run.sh restarts it).
const sharedOrigins = new Set();

function currentSharedOrigin() {
  const dataDir = process.env.NUBIS_DATA_DIR;
  if (!dataDir) return null;
  const info = readJsonIfComplete(path.join(dataDir, 'server.json'));
  if (!info || !info.api_base_url) return null;
  const origin = new URL(info.api_base_url).origin;
  sharedOrigins.add(origin);
  return origin;
}

function isConnRefused(e) {
  for (let c = e; c; c = c.cause) if (c.code === 'ECONNREFUSED') return true;
  return false;
}

// fetch() for requests to the shared server: a URL on an earlier origin of the shared server is sent
// to its current one, and a request refused at connect time (nothing reached a server) is sent again
// once run.sh has restarted a crashed server. Other URLs pass through untouched. A crash still fails
// the request that caused it; this only keeps it from failing every later test of the file too.
export async function sharedFetch(url, init) {
  const target = () => {
    const u = new URL(String(url));
    if (!sharedOrigins.has(u.origin)) return null;
    const deadline = Date.now() + START_TIMEOUT_MS;
    return { u, deadline };
  };
  const t = target();
  if (!t) return fetch(url, init);
  const at = async (avoid) => {
    for (;;) {
      const origin = currentSharedOrigin();
      if (origin && origin !== avoid) return origin;
      if (Date.now() > t.deadline) return origin ?? t.u.origin;
      await sleep(50);
    }
  };
  const send = (origin) => fetch(origin + t.u.pathname + t.u.search, init);
  const first = await at(null);
  try {
    return await send(first);
  } catch (e) {
    if (!isConnRefused(e)) throw e;
    const next = await at(first);
    if (next === first) throw e;
    return send(next);
  }
}

// sharedServer(), once it answers /healthz (waiting up to START_TIMEOUT_MS while run.sh restarts a
// crashed one).
export async function liveSharedServer() {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    let srv = null;
    try {
      srv = sharedServer();
    } catch {
      srv = null;
    }
    if (srv && (await healthy(srv.origin))) return srv;
    if (Date.now() > deadline) {
      throw new Error(`the shared Nubis server (${process.env.NUBIS_DATA_DIR}) does not answer /healthz`);
    }
    await sleep(100);
  }
}

async function healthy(origin) {
  try {
    const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

// Starts `nubis serve` on a data dir (a fresh temporary one unless given) and waits, at most
// START_TIMEOUT_MS, for server.json and a 200 from /healthz.
//
// options.env is merged over a clean base environment: NUBIS_* variables of the calling process are
// NOT inherited, so each test states exactly the configuration it wants (rate limiting is off unless
// options.env says otherwise).
export async function startServer(options = {}) {
  const bin = options.bin ?? process.env.NUBIS_BIN;
  if (!bin) throw new Error('NUBIS_BIN is not set: run the suite through tests/e2e/run.sh');
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'nubis-e2e-own-'));
  const ownsDir = options.dataDir === undefined;
  fs.mkdirSync(dataDir, { recursive: true });
  const serverJson = path.join(dataDir, 'server.json');
  fs.rmSync(serverJson, { force: true }); // a stale one from an earlier run must not be mistaken

  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('NUBIS_')) env[k] = v;
  }
  Object.assign(env, { NUBIS_RATE_LIMIT: 'off' }, options.env ?? {});
  for (const [k, v] of Object.entries(env)) if (v === undefined || v === null) delete env[k];

  const logFile = path.join(os.tmpdir(), `nubis-e2e-${process.pid}-${Date.now()}-${Math.random().toString(16).slice(2, 8)}.log`);
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    bin,
    ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--delivery-listen', '127.0.0.1:0'],
    { env, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const logTail = () => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };
  const fail = async (why) => {
    if (exited === null) {
      child.kill('SIGKILL');
      await once(child, 'exit').catch(() => {});
    }
    const tail = logTail();
    if (ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`nubis did not start: ${why}\n--- server log ---\n${tail}`);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let info = null;
  while (Date.now() < deadline) {
    if (exited !== null) return fail(`exited early (${JSON.stringify(exited)})`);
    info = readJsonIfComplete(serverJson);
    if (info && info.api_base_url) break;
    info = null;
    await sleep(50);
  }
  if (!info) return fail(`no server.json after ${START_TIMEOUT_MS} ms`);
  const origin = new URL(info.api_base_url).origin;
  while (!(await healthy(origin))) {
    if (exited !== null) return fail(`exited early (${JSON.stringify(exited)})`);
    if (Date.now() > deadline) return fail(`/healthz not 200 after ${START_TIMEOUT_MS} ms`);
    await sleep(50);
  }

  const server = {
    apiBase: info.api_base_url,
    deliveryBase: info.delivery_base_url,
    origin,
    dataDir,
    serverJson: info,
    pid: child.pid,
    logFile,
    get exited() {
      return exited;
    },
    bootstrap: () => readBootstrap(dataDir),
    logTail,
    // Stops the process (SIGTERM, then SIGKILL after 5 s). Keeps the data dir when keepData is set,
    // so the same dir can be started again.
    async stop({ keepData = false } = {}) {
      if (exited === null) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone.catch(() => {});
        clearTimeout(t);
      }
      if (!keepData && ownsDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (!process.env.NUBIS_E2E_KEEP_LOGS) fs.rmSync(logFile, { force: true });
    },
  };
  return server;
}
