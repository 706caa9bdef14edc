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
import zlib from 'node:zlib';
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

// The request methods in `bytes` (one or more pipelined requests), in order, as far as they can
// be told apart: start line, header block, then a Content-Length or chunked body. Stops at the
// first thing it cannot frame; the responses past that count as answers to a non-HEAD request.
export function requestMethods(bytes) {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  const methods = [];
  let off = 0;
  while (off < buf.length) {
    // Tolerate the empty lines a client may send before a request line (RFC 9112 §2.2).
    while (buf[off] === 0x0d || buf[off] === 0x0a) off++;
    if (off >= buf.length) break;
    const headEnd = buf.indexOf('\r\n\r\n', off, 'latin1');
    const lineEnd = buf.indexOf('\r\n', off, 'latin1');
    const firstLine = buf.subarray(off, lineEnd < 0 ? buf.length : lineEnd).toString('latin1');
    methods.push(firstLine.split(' ')[0]);
    if (headEnd < 0) break;
    const head = buf.subarray(off, headEnd).toString('latin1').split('\r\n').slice(1);
    let cl = 0;
    let chunked = false;
    for (const line of head) {
      const c = line.indexOf(':');
      if (c <= 0) continue;
      const k = line.slice(0, c).trim().toLowerCase();
      const v = line.slice(c + 1).trim();
      if (k === 'content-length' && /^\d+$/.test(v)) cl = Number(v);
      if (k === 'transfer-encoding' && /chunked/i.test(v)) chunked = true;
    }
    let p = headEnd + 4;
    if (chunked) {
      for (;;) {
        const le = buf.indexOf('\r\n', p, 'latin1');
        if (le < 0) return methods;
        const size = parseInt(buf.subarray(p, le).toString('latin1').split(';')[0], 16);
        if (Number.isNaN(size)) return methods;
        if (size === 0) {
          const te = buf.indexOf('\r\n\r\n', le, 'latin1');
          if (te < 0) return methods;
          p = te + 4;
          break;
        }
        p = le + 2 + size + 2;
      }
    } else {
      p += cl;
    }
    off = p;
  }
  return methods;
}

// Parses as many complete HTTP responses as `buf` holds. `eof` says the peer closed (a body
// without a length then ends there). `methods` (optional) lists the methods of the requests the
// responses answer, in order: a response to HEAD has no body whatever its Content-Length or
// Transfer-Encoding say (RFC 9110 §9.3.2, RFC 9112 §6.3). 1xx responses do not use up a method.
// Returns {responses, rest, error}.
export function parseResponses(buf, eof, methods = []) {
  const responses = [];
  let finals = 0;
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
    const answersHead = status >= 200 && String(methods[finals] ?? '').toUpperCase() === 'HEAD';
    if (status >= 200) finals++;
    if ((status >= 100 && status < 200) || status === 204 || status === 304 || answersHead) {
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
    responses.push({ version: m[1], status, reason: m[3] ?? '', headers, rawHeaders, body: text, json, head: answersHead });
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
// by default we wait for the close), methods (the methods the responses answer, for HEAD; by
// default read from `bytes` with requestMethods()).
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
    const methods = opts.methods ?? requestMethods(Buffer.concat(parts));

    const finalResponses = () => {
      const buf = Buffer.concat(chunks);
      const { responses, error, rest } = parseResponses(buf, closed, methods);
      return { all: responses, finals: responses.filter((r) => r.status >= 200), error, buf, rest };
    };

    const finish = (why) => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      sock.destroy();
      const { all, finals, error, buf, rest } = finalResponses();
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
        // Bytes after the last complete response (e.g. a body sent after a HEAD answer).
        extraBytes: rest ? rest.length : 0,
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

// ---------------------------------------------------------------------------------------------
// Images: tiny encoders, multipart forms, uploads (IMAGES.md §A.1-A.3)
// ---------------------------------------------------------------------------------------------

// CRC-32 as PNG wants it (zlib's).
export function crc32(buf) {
  return zlib.crc32(buf) >>> 0;
}

export function pngChunk(type, data = Buffer.alloc(0)) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function pngIhdr(width, height, { bitDepth = 8, colorType = 2, interlace = 0 } = {}) {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(width, 0);
  d.writeUInt32BE(height, 4);
  d[8] = bitDepth;
  d[9] = colorType;
  d[10] = 0;
  d[11] = 0;
  d[12] = interlace;
  return pngChunk('IHDR', d);
}

// A PNG from raw pixel rows. `rows` is a Buffer of height × (1 + width × channels) bytes with
// the filter byte first in each row, or omitted for a picture made by `pixel(x, y) -> [r,g,b]`.
// colorType 2 (RGB, 8-bit) unless told.
export function makePng(width, height, { pixel, raw, colorType = 2, level = 6, extraChunks = [] } = {}) {
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  let data = raw;
  if (!data) {
    const stride = 1 + width * channels;
    data = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const px = pixel ? pixel(x, y) : [(x * 7) & 255, (y * 13) & 255, ((x + y) * 5) & 255, 255];
        for (let c = 0; c < channels; c++) data[y * stride + 1 + x * channels + c] = px[c] ?? 255;
      }
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngIhdr(width, height, { colorType }),
    ...extraChunks,
    pngChunk('IDAT', zlib.deflateSync(data, { level })),
    pngChunk('IEND'),
  ]);
}

// A small valid PNG (w × h, RGB gradient): the ordinary fixture.
export function smallPng(w = 16, h = 12) {
  return makePng(w, h);
}

// Random noise compresses to about its own size: a PNG of roughly `bytes` bytes (RGB, 8-bit).
export function noisePng(bytes) {
  const side = Math.max(8, Math.ceil(Math.sqrt(bytes / 3)));
  const stride = 1 + side * 3;
  const raw = crypto.randomBytes(stride * side);
  for (let y = 0; y < side; y++) raw[y * stride] = 0;
  return makePng(side, side, { raw, level: 1 });
}

// multipart/form-data. fields: [[name, value]], value a string/Buffer or {bytes, filename, type}.
export function multipart(fields, boundary = `----nubisrel${hex32()}`) {
  const parts = [];
  for (const [name, value] of fields) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
    let bytes;
    if (value && typeof value === 'object' && !Buffer.isBuffer(value) && 'bytes' in value) {
      head += `; filename="${value.filename ?? 'file'}"\r\nContent-Type: ${value.type ?? 'application/octet-stream'}`;
      bytes = Buffer.isBuffer(value.bytes) ? value.bytes : Buffer.from(value.bytes);
    } else {
      bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
    }
    parts.push(Buffer.from(`${head}\r\n\r\n`, 'latin1'), bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// POST a multipart form under /client/v4 with the admin token (or opts.token / opts.headers).
export async function postForm(server, pathUnderV4, fields, { token = server.token, headers = [], timeoutMs = 15000 } = {}) {
  const { body, contentType } = multipart(fields);
  const hs = [['Content-Type', contentType], ...headers];
  return request(server.port, 'POST', `/client/v4${pathUnderV4}`, { token, headers: hs, body, timeoutMs });
}

// Uploads `bytes` as the file field of POST /accounts/{a}/images/v1; extra fields appended.
export async function uploadImage(server, bytes, { filename = 'r.png', type = 'image/png', fields = [], ...opts } = {}) {
  const acct = server.bootstrap.account_id;
  return postForm(server, `/accounts/${acct}/images/v1`, [['file', { bytes, filename, type }], ...fields], opts);
}

// The delivery listener of a server started by startServer(): {port, origin}.
export function deliveryOf(server) {
  const u = new URL(server.serverJson.delivery_base_url);
  return { port: Number(u.port), origin: u.origin };
}

// Peak and current resident set of a process, in kB (Linux /proc), or null.
export function memoryOf(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const get = (k) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s);
      return m ? Number(m[1]) : null;
    };
    return { hwmKb: get('VmHWM'), rssKb: get('VmRSS') };
  } catch {
    return null;
  }
}

// A zlib stream of `total` zero bytes, built in milliseconds however large `total` is: one
// compressed block of zeros is repeated (each repeat only refers back to zeros, so the
// concatenation is a valid stream), then an empty final block and the Adler-32 (a = 1,
// b = total mod 65521 for all-zero data). Used for decompression bombs.
export function zerosZlib(total) {
  const CHUNK = 1 << 22;
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH, level: 9 };
  const parts = [Buffer.from([0x78, 0xda])];
  let left = total;
  const first = Math.min(left, CHUNK);
  if (first > 0) parts.push(zlib.deflateRawSync(Buffer.alloc(first), flush));
  left -= first;
  if (left > 0) {
    const dict = Buffer.alloc(32768);
    const block = zlib.deflateRawSync(Buffer.alloc(CHUNK), { ...flush, dictionary: dict });
    while (left >= CHUNK) {
      parts.push(block);
      left -= CHUNK;
    }
    if (left > 0) parts.push(zlib.deflateRawSync(Buffer.alloc(left), { ...flush, dictionary: dict }));
  }
  parts.push(Buffer.from([0x03, 0x00]));
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE((((total % 65521) << 16) | 1) >>> 0);
  parts.push(adler);
  return Buffer.concat(parts);
}

// Resets VmHWM of a process to its current RSS (Linux: echo 5 > /proc/<pid>/clear_refs), so the
// next memoryOf() peak belongs to what happened since. False when not permitted.
export function resetPeakMemory(pid) {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
