// Shared helpers for the reliability scripts (RELIABILITY.md §7): start/stop a Nubis server on a
// fresh temporary data dir, a raw-socket HTTP/1.1 client that parses what comes back byte by byte,
// and a tiny harness that counts cases and ends with the line `N passed, N failed`.
//
// Plain Node.js 20, no npm dependencies. Nothing here talks to anything but loopback.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const HERE = path.dirname(fileURLToPath(import.meta.url));

// The binary: argv/env first, else the repo's build output.
export function nubisBin() {
  const b = process.env.NUBIS_BIN || path.resolve(HERE, '../../build/nubis');
  return path.resolve(b);
}

export const START_TIMEOUT_MS = 15_000;
export const STOP_TIMEOUT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------------------------

function clip(s, n = 600) {
  if (s === undefined || s === null) return String(s);
  s = typeof s === 'string' ? s : Buffer.isBuffer(s) ? s.toString('latin1') : JSON.stringify(s);
  s = s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s;
}
export { clip };

export class Harness {
  constructor(name) {
    this.name = name;
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
    this.failures = [];
    this.measured = {};
    this.verbose = !!process.env.NUBIS_REL_VERBOSE;
  }

  // Records one case. `detail` (string or object, or a function returning one) is printed only
  // when the case fails; it should hold the request and the response seen.
  check(name, ok, detail) {
    if (ok) {
      this.passed++;
      if (this.verbose) console.log(`  ok   ${name}`);
    } else {
      this.failed++;
      const d = typeof detail === 'function' ? detail() : detail;
      this.failures.push({ name, detail: d });
      console.log(`  FAIL ${name}${d !== undefined ? `\n       ${clip(d, 2000).replace(/\n/g, '\n       ')}` : ''}`);
    }
    return !!ok;
  }

  skip(name, why) {
    this.skipped++;
    if (this.verbose) console.log(`  skip ${name}: ${why}`);
  }

  measure(key, value) {
    this.measured[key] = value;
  }

  // Prints the measured values as one JSON line, then the final line, and exits.
  finish() {
    console.log(JSON.stringify({ script: this.name, ...this.measured, skipped: this.skipped }));
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed > 0 ? 1 : 0;
  }
}

// Runs `main(harness)`; any uncaught error becomes one failed case, the watchdog bounds the whole
// script, and every server started through startServer() is killed on the way out.
export async function runScript(name, main, { watchdogMs = Number(process.env.NUBIS_REL_WATCHDOG_MS) || 120_000 } = {}) {
  const t = new Harness(name);
  const watchdog = setTimeout(() => {
    t.check(`${name}: finished within ${watchdogMs} ms (watchdog)`, false, 'the script hung; killing servers');
    killAllServers();
    t.finish();
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  try {
    await main(t);
  } catch (e) {
    t.check(`${name}: script ran to the end`, false, e && e.stack ? e.stack : String(e));
  } finally {
    await stopAllServers();
    clearTimeout(watchdog);
  }
  t.finish();
  // Do not wait for stray sockets/timers.
  setImmediate(() => process.exit(process.exitCode ?? 0));
}

// ---------------------------------------------------------------------------------------------
// Server lifecycle
// ---------------------------------------------------------------------------------------------

const live = new Set();
const tmpDirs = new Set();

function killAllServers() {
  for (const s of live) {
    try {
      if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    } catch {}
    try {
      fs.rmSync(s.tmp, { recursive: true, force: true });
    } catch {}
  }
}
process.on('exit', () => {
  killAllServers();
  for (const d of tmpDirs) {
    try {
      fs.rmSync(d, { recursive: true, force: true });
    } catch {}
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllServers();
    process.exit(130);
  });
}

async function stopAllServers() {
  for (const s of [...live]) await s.stop().catch(() => {});
}

export function randomSecret(n = 40) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  const bytes = crypto.randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

// Starts `nubis serve` on a fresh temporary data dir and waits (bounded) until server.json exists
// and /healthz answers 200. Retries a couple of times when the binary cannot be executed or
// exits at once (it may be being relinked). Options: env (merged over a clean environment with
// NUBIS_RATE_LIMIT=off and NUBIS_ACCESS_LOG=off; pass a key with value null to unset it).
export async function startServer({ env = {}, attempts = 4 } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nubis-rel-'));
  tmpDirs.add(tmp);
  const state = { tmp, dataDir: path.join(tmp, 'data'), token: randomSecret(40), env, restarts: 0 };
  try {
    return await startWithRetries(state, attempts);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

// Retries for up to ~60 s: the binary may be missing or half-written while it is being relinked
// (ENOENT, ETXTBSY, exec format error, an immediate crash).
async function startWithRetries(state, attempts) {
  let lastErr;
  const deadline = Date.now() + 60_000;
  for (let i = 0; i < attempts || Date.now() < deadline; i++) {
    try {
      return await startOnce(state);
    } catch (e) {
      lastErr = e;
      if (Date.now() >= deadline) break;
      await sleep(2000);
    }
  }
  throw lastErr;
}

// One process on state.dataDir. The returned object also offers restart(): a new process on the
// same data dir (used to keep testing after a crash, which is itself reported as a failure).
async function startOnce(state) {
  const bin = nubisBin();
  const { tmp, dataDir, token } = state;
  const logFile = path.join(tmp, `server-${state.restarts}.log`);
  const base = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('NUBIS_')) base[k] = v;
  const env = { ...base, NUBIS_ADMIN_API_TOKEN: token, NUBIS_RATE_LIMIT: 'off', NUBIS_ACCESS_LOG: 'off', ...state.env };
  for (const [k, v] of Object.entries(env)) if (v === null || v === undefined) delete env[k];
  fs.mkdirSync(dataDir, { recursive: true });
  fs.rmSync(path.join(dataDir, 'server.json'), { force: true });

  const logFd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(bin, ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--delivery-listen', '127.0.0.1:0'], {
      env,
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    fs.closeSync(logFd);
  }
  let exitInfo = null;
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', (e) => {
      spawnError = e;
      exitInfo = exitInfo || { code: null, signal: null, error: e.message };
      resolve(exitInfo);
    });
  });

  const server = {
    child,
    tmp,
    dataDir,
    logFile,
    token,
    pid: child.pid,
    port: 0,
    origin: '',
    apiBase: '',
    bootstrap: null,
    get exitInfo() {
      return exitInfo;
    },
    // The process we started is still running (checked with signal 0 too: the exit event may not
    // have been delivered yet).
    alive() {
      if (exitInfo !== null || child.exitCode !== null || child.signalCode !== null) return false;
      try {
        process.kill(child.pid, 0);
      } catch {
        return false;
      }
      return true;
    },
    async waitExit(ms) {
      return Promise.race([exited, sleep(ms).then(() => null)]);
    },
    logTail(n = 30) {
      try {
        return fs.readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n');
      } catch {
        return '';
      }
    },
    // SIGTERM, bounded wait, then SIGKILL; removes the data dir unless keepData.
    async stop({ keepData = false } = {}) {
      let killed = false;
      if (exitInfo === null) {
        try {
          child.kill('SIGTERM');
        } catch {}
        const t = await Promise.race([exited, sleep(STOP_TIMEOUT_MS).then(() => 'timeout')]);
        if (t === 'timeout') {
          killed = true;
          try {
            child.kill('SIGKILL');
          } catch {}
          await Promise.race([exited, sleep(5000)]);
        }
      }
      live.delete(server);
      if (!keepData) {
        try {
          fs.rmSync(tmp, { recursive: true, force: true });
        } catch {}
      }
      return { ...(exitInfo || {}), killed };
    },
    // A fresh process on the same data dir; returns the new server object.
    async restart() {
      await server.stop({ keepData: true });
      state.restarts++;
      return startWithRetries(state, 3);
    },
  };
  live.add(server);

  const fail = async (why) => {
    const tail = server.logTail();
    await server.stop({ keepData: true });
    throw new Error(`nubis did not start (${bin}): ${why}\n--- server log ---\n${tail}`);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  let info = null;
  while (Date.now() < deadline) {
    if (spawnError) return fail(`spawn failed: ${spawnError.message}`);
    if (exitInfo) return fail(`exited early ${JSON.stringify(exitInfo)}`);
    info = readJson(path.join(dataDir, 'server.json'));
    if (info && info.api_base_url) break;
    info = null;
    await sleep(30);
  }
  if (!info) return fail(`no server.json after ${START_TIMEOUT_MS} ms`);
  const u = new URL(info.api_base_url);
  server.port = Number(u.port);
  server.origin = u.origin;
  server.apiBase = info.api_base_url;
  server.serverJson = info;
  for (;;) {
    if (exitInfo) return fail(`exited early ${JSON.stringify(exitInfo)}`);
    if (Date.now() > deadline) return fail(`/healthz not 200 after ${START_TIMEOUT_MS} ms`);
    const r = await request(server.port, 'GET', '/healthz', { timeoutMs: 1000 }).catch(() => null);
    if (r && r.status === 200) break;
    await sleep(30);
  }
  server.bootstrap = readJson(path.join(dataDir, 'bootstrap.json'));
  if (!server.bootstrap) return fail('no readable bootstrap.json');
  return server;
}

export async function healthy(server, timeoutMs = 2000) {
  const r = await request(server.port, 'GET', '/healthz', { timeoutMs }).catch(() => null);
  return !!r && r.status === 200;
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1
// ---------------------------------------------------------------------------------------------

// Parses as many complete HTTP responses as `buf` holds. `eof` says the peer closed (a body
// without a length then ends there). Returns {responses, rest, error}.
export function parseResponses(buf, eof) {
  const responses = [];
  let off = 0;
  for (;;) {
    const headEnd = buf.indexOf('\r\n\r\n', off, 'latin1');
    if (headEnd < 0) {
      if (eof && off < buf.length) return { responses, rest: buf.subarray(off), error: 'truncated response head' };
      return { responses, rest: buf.subarray(off) };
    }
    const head = buf.subarray(off, headEnd).toString('latin1');
    const lines = head.split('\r\n');
    const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) return { responses, rest: buf.subarray(off), error: `bad status line ${JSON.stringify(lines[0])}` };
    const headers = {};
    const rawHeaders = [];
    for (const line of lines.slice(1)) {
      const c = line.indexOf(':');
      if (c <= 0) return { responses, rest: buf.subarray(off), error: `bad header line ${JSON.stringify(line)}` };
      const k = line.slice(0, c).trim().toLowerCase();
      const v = line.slice(c + 1).trim();
      rawHeaders.push([k, v]);
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
    const status = Number(m[2]);
    let bodyStart = headEnd + 4;
    let body;
    let next;
    if ((status >= 100 && status < 200) || status === 204 || status === 304) {
      body = Buffer.alloc(0);
      next = bodyStart;
    } else if (headers['transfer-encoding'] && /chunked/i.test(headers['transfer-encoding'])) {
      const parts = [];
      let p = bodyStart;
      let done = false;
      for (;;) {
        const le = buf.indexOf('\r\n', p, 'latin1');
        if (le < 0) break;
        const size = parseInt(buf.subarray(p, le).toString('latin1').split(';')[0], 16);
        if (Number.isNaN(size)) return { responses, rest: buf.subarray(off), error: 'bad chunk size in response' };
        if (size === 0) {
          // Last chunk: optional trailers, then an empty line.
          const te = buf.indexOf('\r\n\r\n', le, 'latin1');
          if (te < 0) break;
          next = te + 4;
          done = true;
          break;
        }
        if (le + 2 + size + 2 > buf.length) break;
        parts.push(buf.subarray(le + 2, le + 2 + size));
        p = le + 2 + size + 2;
      }
      if (!done) {
        if (eof) return { responses, rest: buf.subarray(off), error: 'truncated chunked response' };
        return { responses, rest: buf.subarray(off) };
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const n = Number(headers['content-length']);
      if (!Number.isFinite(n) || n < 0) return { responses, rest: buf.subarray(off), error: 'bad content-length in response' };
      if (bodyStart + n > buf.length) {
        if (eof) return { responses, rest: buf.subarray(off), error: 'truncated response body' };
        return { responses, rest: buf.subarray(off) };
      }
      body = buf.subarray(bodyStart, bodyStart + n);
      next = bodyStart + n;
    } else {
      if (!eof) return { responses, rest: buf.subarray(off) };
      body = buf.subarray(bodyStart);
      next = buf.length;
    }
    const text = body.toString('utf8');
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    responses.push({ version: m[1], status, reason: m[3] ?? '', headers, rawHeaders, body: text, json });
    off = next;
    if (off >= buf.length) return { responses, rest: buf.subarray(off) };
  }
}

// Sends `bytes` (string, Buffer, or an array of parts written `gapMs` apart) on a fresh TCP
// connection and collects what comes back.
//
// Resolves (never rejects) to {status, headers, body, json, closed, reset, elapsedMs, timedOut,
// responses, interim, writeError, connectError, parseError, raw}:
//  - status/headers/body/json: the first final (non-1xx) response, or undefined;
//  - closed: the server closed (FIN or RST) before the deadline;
//  - elapsedMs: time from the last byte we sent to the first final response or the close,
//    whichever came first (0 when the answer arrived while we were still sending); null when
//    neither happened within timeoutMs.
// Options: timeoutMs (default 2000, counted from the last byte sent), halfClose (default true:
// shut our sending side once everything is written, i.e. "the client will send nothing more"),
// gapMs, localAddress, host, untilResponses (stop waiting once this many final responses are in;
// by default we wait for the close).
export function sendRaw(port, bytes, opts = {}) {
  const {
    timeoutMs = 2000,
    halfClose = true,
    gapMs = 0,
    localAddress,
    host = '127.0.0.1',
    untilResponses = Infinity,
  } = opts;
  const parts = (Array.isArray(bytes) ? bytes : [bytes]).map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'latin1')));
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks = [];
    let lastWriteAt = null;
    let firstEventAt = null;
    let closed = false;
    let reset = false;
    let writeError = null;
    let connectError = null;
    let finished = false;
    let timer = null;
    const sock = net.connect({ port, host, localAddress });
    sock.setNoDelay(true);

    const finalResponses = () => {
      const buf = Buffer.concat(chunks);
      const { responses, error } = parseResponses(buf, closed);
      return { all: responses, finals: responses.filter((r) => r.status >= 200), error, buf };
    };

    const finish = (why) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      sock.destroy();
      const { all, finals, error, buf } = finalResponses();
      const first = finals[0];
      const ref = lastWriteAt ?? t0;
      const elapsedMs = firstEventAt === null ? null : Math.max(0, firstEventAt - ref);
      resolve({
        status: first?.status,
        headers: first?.headers ?? {},
        rawHeaders: first?.rawHeaders ?? [],
        body: first?.body,
        json: first?.json,
        responses: finals,
        interim: all.filter((r) => r.status < 200),
        closed,
        reset,
        elapsedMs,
        timedOut: why === 'timeout',
        writeError,
        connectError,
        parseError: error,
        raw: buf,
      });
    };

    const noteEvent = () => {
      if (firstEventAt === null) firstEventAt = Date.now();
    };

    const armTimer = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => finish('timeout'), timeoutMs);
    };
    // A global bound in case writes stall (server not reading): timeoutMs past the start of
    // writing plus the gaps.
    armTimer();

    sock.on('data', (d) => {
      chunks.push(d);
      const { finals } = finalResponses();
      if (finals.length > 0) noteEvent();
      if (finals.length >= untilResponses) finish('responses');
    });
    sock.on('end', () => {
      closed = true;
      noteEvent();
      finish('end');
    });
    sock.on('close', () => {
      closed = true;
      noteEvent();
      finish('close');
    });
    sock.on('error', (e) => {
      if (lastWriteAt === null && !sock.remoteAddress) {
        connectError = e.code || e.message;
      }
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
        reset = true;
        closed = true;
        noteEvent();
      } else if (!writeError) writeError = e.code || e.message;
      finish('error');
    });
    sock.on('connect', async () => {
      for (let i = 0; i < parts.length; i++) {
        if (finished) return;
        if (i > 0 && gapMs > 0) await sleep(gapMs);
        if (finished || sock.destroyed) return;
        const ok = await new Promise((res) => {
          sock.write(parts[i], (err) => {
            if (err) {
              writeError = writeError || err.code || err.message;
              res(false);
            } else res(true);
          });
        });
        lastWriteAt = Date.now();
        armTimer();
        if (!ok) break;
      }
      if (lastWriteAt === null) lastWriteAt = Date.now();
      if (halfClose && !finished && !sock.destroyed) sock.end();
    });
  });
}

// Builds request bytes. `headers` is an array of [name, value] pairs written in order (so
// duplicates are possible); Host and Content-Length are added unless present (pass
// {host:false} / {contentLength:false} to suppress).
export function buildRequest(method, target, headers = [], body, { host = true, contentLength = true, version = '1.1' } = {}) {
  const hs = headers.map(([k, v]) => [k, v]);
  const has = (n) => hs.some(([k]) => k.toLowerCase() === n);
  if (host && !has('host')) hs.unshift(['Host', '127.0.0.1']);
  let b = body === undefined || body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  if (b && contentLength && !has('content-length') && !has('transfer-encoding')) hs.push(['Content-Length', String(b.length)]);
  if (b && !has('content-type') && contentLength) hs.push(['Content-Type', 'application/json']);
  const head = `${method} ${target} HTTP/${version}\r\n${hs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  return b ? Buffer.concat([Buffer.from(head, 'latin1'), b]) : Buffer.from(head, 'latin1');
}

// One ordinary request on its own connection (Connection: close). `headers` is an object or an
// array of pairs; `token` adds `Authorization: Bearer <token>`; `body` is JSON-encoded unless a
// string/Buffer. Resolves to the sendRaw result; rejects when nothing came back.
export async function request(port, method, target, { token, headers = [], body, timeoutMs = 5000, localAddress } = {}) {
  const hs = Array.isArray(headers) ? [...headers] : Object.entries(headers);
  if (token) hs.push(['Authorization', `Bearer ${token}`]);
  hs.push(['Connection', 'close']);
  const r = await sendRaw(port, buildRequest(method, target, hs, body), { timeoutMs, localAddress, halfClose: false, untilResponses: 1 });
  if (r.status === undefined) {
    throw new Error(`${method} ${target}: no response (closed=${r.closed} timedOut=${r.timedOut} connectError=${r.connectError} parseError=${r.parseError} raw=${clip(r.raw, 200)})`);
  }
  return r;
}

// Like request() but requires success:true and returns the parsed envelope.
export async function apiOk(server, method, pathUnderV4, opts = {}) {
  const r = await request(server.port, method, `/client/v4${pathUnderV4}`, { token: server.token, ...opts });
  if (r.status !== 200 || !r.json || r.json.success !== true) {
    throw new Error(`${method} ${pathUnderV4} → ${r.status} ${clip(r.body, 800)}`);
  }
  return r.json;
}

// The Cloudflare failure/success envelope (API-SURFACE §1.2). Returns null when it conforms, else
// a reason string.
export function envelopeProblem(json) {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return 'body is not a JSON object';
  if (typeof json.success !== 'boolean') return 'no boolean "success"';
  if (!Array.isArray(json.errors)) return 'no "errors" array';
  if (!Array.isArray(json.messages)) return 'no "messages" array';
  if (!('result' in json)) return 'no "result" key';
  if (json.success === false) {
    if (json.errors.length === 0) return 'success:false with empty errors';
    for (const e of json.errors) {
      if (!e || !Number.isInteger(e.code) || e.code < 1000) return `error item without integer code ≥ 1000: ${JSON.stringify(e)}`;
      if (typeof e.message !== 'string') return `error item without string message: ${JSON.stringify(e)}`;
    }
    if (json.result !== null) return 'success:false with non-null result';
  } else if (json.errors.length !== 0) return 'success:true with errors';
  return null;
}

// A short "request → response" text for failure reports.
export function describe(reqText, r) {
  const resp = r
    ? r.status !== undefined
      ? `${r.status} ${clip(r.body, 500)}${r.closed ? ' [closed]' : ''}`
      : `no response (closed=${r.closed}${r.reset ? ' reset' : ''}, timedOut=${r.timedOut}, elapsedMs=${r.elapsedMs}${r.parseError ? `, parseError=${r.parseError}` : ''}${r.raw && r.raw.length ? `, raw=${clip(r.raw, 300)}` : ''})`
    : 'no result';
  return `request: ${clip(reqText, 400)}\nresponse: ${resp}`;
}

export function hex32() {
  return crypto.randomBytes(16).toString('hex');
}
