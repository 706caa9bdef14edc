// R5 — SSRF on upload-by-URL (RELIABILITY.md §7 R5, §4 imgproxy notes). Two servers:
//
//  1. started WITHOUT --image-fetch-allow (public destinations only). ≥ 30 `url` values that name
//     loopback, this-host, link-local/metadata, RFC 1918, CGNAT, ULA, link-local v6 (written
//     every way a URL parser reads them: 127.1, 2130706433, 0x7f000001, 017700000001, 0177.0.0.1,
//     [::ffff:127.0.0.1], NAT64/6to4/IPv4-compatible forms, localhost), other schemes (file:,
//     gopher:, ftp:, data:, javascript:, https:), and user@host / backslash / percent-encoding
//     tricks. Each must be refused with a 4xx carrying code 5454, fast (≤ 2 s: decided before any
//     connect), and a decoy HTTP listener on 127.0.0.1 (and ::1) on the port those URLs name must
//     see 0 connections.
//
//  2. started WITH --image-fetch-allow 127.0.0.0/8, so the decoy is a legitimate origin. Controls
//     (direct, relative redirect, a short redirect chain, Basic credentials from the URL) must
//     succeed; redirects from the decoy to forbidden targets (169.254.169.254, 10.0.0.1, [::1] —
//     not in the allow range —, [::ffff:169.254.169.254], 0.0.0.0, file:, gopher:, https:) must be
//     refused with 5454; a chain longer than the redirect limit and a redirect loop are refused;
//     an oversized body is 413 and a non-image 415. For every case the decoy must have seen exactly
//     the requests expected (method and path, in order) — nothing more.
//
// No socket is opened to anything but loopback: the forbidden destinations are refused before
// connect (a connect to 10.0.0.1 or 169.254.169.254 would hang until the fetch timeout and show
// up as a slow answer).

import http from 'node:http';
import net from 'node:net';
import {
  runScript,
  startServer,
  envelopeProblem,
  describe,
  clip,
  smallPng,
  postForm,
  healthy,
} from './lib.mjs';

// fetch.h: FetchPolicy::max_redirects (followed hops; one more is refused).
const MAX_REDIRECTS = 3;

// A counting decoy: HTTP on 127.0.0.1 (and ::1 when the host has it) on one port.
async function startDecoy({ ipv6 = true } = {}) {
  const log = [];
  const conns = { v4: 0, v6: 0 };
  const png = smallPng(12, 10);
  const handler = (req, res) => {
    const u = new URL(req.url, 'http://decoy');
    log.push({ method: req.method, path: u.pathname + u.search, auth: req.headers.authorization ?? null, family: req.socket.remoteFamily });
    const to = u.searchParams.get('to');
    if (u.pathname === '/img.png') {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
      res.end(png);
    } else if (u.pathname === '/redirect' && to) {
      res.writeHead(Number(u.searchParams.get('status') || 302), { Location: to, 'Content-Length': 0 });
      res.end();
    } else if (u.pathname.startsWith('/chain/')) {
      const n = Number(u.pathname.slice(7));
      res.writeHead(302, { Location: n > 0 ? `/chain/${n - 1}` : '/img.png', 'Content-Length': 0 });
      res.end();
    } else if (u.pathname === '/loop') {
      res.writeHead(302, { Location: '/loop', 'Content-Length': 0 });
      res.end();
    } else if (u.pathname === '/big') {
      const body = Buffer.alloc(11 * 1024 * 1024, 0x41);
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': body.length });
      res.end(body);
    } else if (u.pathname === '/text') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 6 });
      res.end('hello\n');
    } else {
      res.writeHead(404, { 'Content-Length': 0 });
      res.end();
    }
  };
  const v4 = http.createServer(handler);
  v4.on('connection', () => conns.v4++);
  await new Promise((r) => v4.listen(0, '127.0.0.1', r));
  const port = v4.address().port;
  const v6 = http.createServer(handler);
  v6.on('connection', () => conns.v6++);
  let hasV6 = ipv6;
  if (ipv6) await new Promise((r) => {
    v6.once('error', () => {
      hasV6 = false;
      r();
    });
    v6.listen(port, '::1', r);
  });
  return {
    port,
    hasV6,
    log,
    conns,
    reset() {
      log.length = 0;
      conns.v4 = 0;
      conns.v6 = 0;
    },
    async close() {
      v4.closeAllConnections?.();
      v6.closeAllConnections?.();
      await new Promise((r) => v4.close(r));
      if (hasV6) await new Promise((r) => v6.close(r));
    },
  };
}

runScript('r5_ssrf', async (t) => {
  const decoy = await startDecoy();
  const P = decoy.port;
  // A second origin (another port on 127.0.0.1): credentials must not follow a redirect there.
  const decoy2 = await startDecoy({ ipv6: false });
  const P2 = decoy2.port;
  t.measure('decoy_port', P);
  t.measure('decoy_ipv6', decoy.hasV6);

  const uploadUrl = async (server, url, timeoutMs = 15000) => {
    const A = server.bootstrap.account_id;
    const t0 = Date.now();
    const r = await postForm(server, `/accounts/${A}/images/v1`, [['url', url]], { timeoutMs }).catch((e) => ({ status: undefined, body: String(e), headers: {} }));
    return { r, ms: Date.now() - t0 };
  };
  const refusedProblems = (r, ms, { code = 5454, status } = {}) => {
    const p = [];
    if (r.status === undefined) p.push(`no answer: ${clip(r.body, 200)}`);
    else if (r.status >= 500) p.push(`5xx: ${r.status}`);
    else if (r.status < 400) p.push(`not refused: ${r.status}`);
    else if (status && r.status !== status) p.push(`expected HTTP ${status}, got ${r.status}`);
    const env = r.json ? envelopeProblem(r.json) : 'body is not JSON';
    if (r.status !== undefined && env) p.push(`envelope: ${env}`);
    const c = r.json?.errors?.[0]?.code;
    if (r.status !== undefined && c !== code) p.push(`expected error code ${code}, got ${c}`);
    if (ms > 2000) p.push(`took ${ms} ms (a refusal decided before connect is immediate)`);
    return p;
  };

  // ------------------------------------------------------------------ 1. no allow-list
  {
    const server = await startServer();
    const targets = [
      // loopback, every spelling
      ['loopback 127.0.0.1', `http://127.0.0.1:${P}/img.png`],
      ['loopback short form 127.1', `http://127.1:${P}/img.png`],
      ['loopback 127.0.1', `http://127.0.1:${P}/img.png`],
      ['loopback decimal 2130706433', `http://2130706433:${P}/img.png`],
      ['loopback hex 0x7f000001', `http://0x7f000001:${P}/img.png`],
      ['loopback octal 017700000001', `http://017700000001:${P}/img.png`],
      ['loopback dotted octal 0177.0.0.1', `http://0177.0.0.1:${P}/img.png`],
      ['loopback dotted hex 0x7f.0.0.1', `http://0x7f.0.0.1:${P}/img.png`],
      ['loopback 127.255.255.254', `http://127.255.255.254:${P}/img.png`],
      ['loopback name localhost', `http://localhost:${P}/img.png`],
      ['loopback name localhost. (trailing dot)', `http://localhost.:${P}/img.png`],
      ['loopback name LOCALHOST (upper case)', `http://LOCALHOST:${P}/img.png`],
      ['this host 0.0.0.0', `http://0.0.0.0:${P}/img.png`],
      ['this host 0', `http://0:${P}/img.png`],
      ['IPv6 loopback [::1]', `http://[::1]:${P}/img.png`],
      ['IPv6 loopback long form [0:0:0:0:0:0:0:1]', `http://[0:0:0:0:0:0:0:1]:${P}/img.png`],
      ['IPv6 unspecified [::]', `http://[::]:${P}/img.png`],
      ['IPv4-mapped [::ffff:127.0.0.1]', `http://[::ffff:127.0.0.1]:${P}/img.png`],
      ['IPv4-mapped hex [::ffff:7f00:1]', `http://[::ffff:7f00:1]:${P}/img.png`],
      ['IPv4-compatible [::127.0.0.1]', `http://[::127.0.0.1]:${P}/img.png`],
      ['NAT64 [64:ff9b::127.0.0.1]', `http://[64:ff9b::127.0.0.1]:${P}/img.png`],
      ['6to4 [2002:7f00:1::1]', `http://[2002:7f00:1::1]:${P}/img.png`],
      // link-local, metadata, private, CGNAT, other reserved
      ['cloud metadata 169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
      ['cloud metadata decimal 2852039166', 'http://2852039166/latest/meta-data/'],
      ['cloud metadata mapped [::ffff:169.254.169.254]', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
      ['RFC 1918 10.0.0.1', 'http://10.0.0.1/x.png'],
      ['RFC 1918 10.255.255.255', 'http://10.255.255.255/x.png'],
      ['RFC 1918 172.16.0.1', 'http://172.16.0.1/x.png'],
      ['RFC 1918 172.31.255.254', 'http://172.31.255.254/x.png'],
      ['RFC 1918 192.168.0.1', 'http://192.168.0.1/x.png'],
      ['CGNAT 100.64.0.1', 'http://100.64.0.1/x.png'],
      ['CGNAT 100.127.255.254', 'http://100.127.255.254/x.png'],
      ['IPv6 ULA fc00::1', 'http://[fc00::1]/x.png'],
      ['IPv6 ULA fd12:3456:789a::1', 'http://[fd12:3456:789a::1]/x.png'],
      ['IPv6 link-local fe80::1', 'http://[fe80::1]/x.png'],
      ['IPv6 link-local febf::1', 'http://[febf::1]/x.png'],
      ['IPv6 link-local with zone id fe80::1%25lo', `http://[fe80::1%25lo]:${P}/x.png`],
      ['multicast 224.0.0.1', 'http://224.0.0.1/x.png'],
      ['broadcast 255.255.255.255', 'http://255.255.255.255/x.png'],
      // schemes
      ['file: scheme', 'file:///etc/passwd'],
      ['file: scheme with host', 'file://localhost/etc/passwd'],
      ['gopher: scheme to the decoy', `gopher://127.0.0.1:${P}/_GET%20/img.png`],
      ['ftp: scheme to the decoy', `ftp://127.0.0.1:${P}/img.png`],
      ['data: URL with a PNG', `data:image/png;base64,${smallPng(4, 4).toString('base64')}`],
      ['javascript: URL', 'javascript:alert(1)'],
      ['https: to loopback', `https://127.0.0.1:${P}/img.png`],
      ['dict: scheme', `dict://127.0.0.1:${P}/info`],
      // user@host and parser tricks
      ['user@host: public-looking user, loopback host', `http://images.example.com@127.0.0.1:${P}/img.png`],
      ['user:pass@host to loopback', `http://user:pass@127.0.0.1:${P}/img.png`],
      ['user@host with the userinfo spelling a port', `http://127.0.0.1:80@127.0.0.1:${P}/img.png`],
      ['backslash authority trick', `http://127.0.0.1:${P}\\@images.example.com/img.png`],
      ['percent-encoded host', `http://%31%32%37.0.0.1:${P}/img.png`],
      ['upper-case scheme HTTP to loopback', `HTTP://127.0.0.1:${P}/img.png`],
      ['fragment with @ after a loopback host', `http://127.0.0.1:${P}/img.png#@images.example.com`],
      ['leading space', ` http://127.0.0.1:${P}/img.png`],
      ['single slash http:/127.0.0.1', `http:/127.0.0.1:${P}/img.png`],
      ['no slashes http:127.0.0.1', `http:127.0.0.1:${P}/img.png`],
      ['empty url', ''],
    ];
    t.check(`R5: at least 30 forbidden destinations (${targets.length})`, targets.length >= 30, String(targets.length));
    t.measure('destinations_without_allow_list', targets.length);
    for (const [name, url] of targets) {
      const { r, ms } = await uploadUrl(server, url);
      // The empty value is a malformed form rather than a fetch: any 4xx Images code will do.
      const p = url === '' ? refusedProblems(r, ms, { code: r.json?.errors?.[0]?.code }) : refusedProblems(r, ms);
      t.check(`R5 no allow-list: ${name} refused (4xx, 5454)`, p.length === 0, () => `${p.join('; ')}\n${describe(`POST images/v1 url=${url}`, r)}`);
    }
    t.check('R5 no allow-list: the decoy saw 0 connections (IPv4)', decoy.conns.v4 === 0, `${decoy.conns.v4} connections: ${JSON.stringify(decoy.log.slice(0, 10))}`);
    if (decoy.hasV6) t.check('R5 no allow-list: the decoy saw 0 connections (IPv6 ::1)', decoy.conns.v6 === 0, `${decoy.conns.v6} connections`);
    t.check('R5 no allow-list: server healthy', await healthy(server), server.logTail(10));
    const stopped = await server.stop();
    t.check('R5 no allow-list: server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
  }

  // ------------------------------------------------------------------ 2. allow 127.0.0.0/8
  {
    const server = await startServer({ env: { NUBIS_IMAGE_FETCH_ALLOW: '127.0.0.0/8' } });
    const D = `http://127.0.0.1:${P}`;
    const redirect = (to, status = 302) => `${D}/redirect?status=${status}&to=${encodeURIComponent(to)}`;
    const redirectPath = (to, status = 302) => `/redirect?status=${status}&to=${encodeURIComponent(to)}`;
    const basic = `Basic ${Buffer.from('nubis:s3cret').toString('base64')}`;
    const chain = (n) => Array.from({ length: n + 1 }, (_, i) => `/chain/${n - i}`);
    const cases = [
      // [name, url, expectation, requests the decoy must see]
      ['control: direct fetch from the allowed decoy', `${D}/img.png`, 'ok', ['/img.png']],
      ['control: relative redirect to the image', redirect('/img.png'), 'ok', [redirectPath('/img.png'), '/img.png']],
      ['control: absolute 301 redirect to the image', redirect(`${D}/img.png`, 301), 'ok', [redirectPath(`${D}/img.png`, 301), '/img.png']],
      ['control: 307 redirect to the image', redirect(`${D}/img.png`, 307), 'ok', [redirectPath(`${D}/img.png`, 307), '/img.png']],
      [`control: a chain of ${MAX_REDIRECTS - 1} redirects`, `${D}/chain/${MAX_REDIRECTS - 2}`, 'ok', [...chain(MAX_REDIRECTS - 2), '/img.png']],
      ['control: user:password@ sent as Basic credentials', `http://nubis:s3cret@127.0.0.1:${P}/img.png`, 'ok', ['/img.png'], { auth: basic }],
      ['control: credentials follow a redirect on the same origin', `http://nubis:s3cret@127.0.0.1:${P}${redirectPath('/img.png')}`, 'ok', [redirectPath('/img.png'), '/img.png'], { auth: basic, authAll: true }],
      ['credentials do not follow a redirect to another origin (port)', `http://nubis:s3cret@127.0.0.1:${P}${redirectPath(`http://127.0.0.1:${P2}/img.png`)}`, 'ok', [redirectPath(`http://127.0.0.1:${P2}/img.png`)], { auth: basic, second: ['/img.png'] }],
      ['redirect to cloud metadata 169.254.169.254', redirect('http://169.254.169.254/latest/meta-data/'), 'refuse', [redirectPath('http://169.254.169.254/latest/meta-data/')]],
      ['redirect to 10.0.0.1', redirect('http://10.0.0.1/x.png'), 'refuse', [redirectPath('http://10.0.0.1/x.png')]],
      ['redirect to [::1] (not in the allow range)', redirect(`http://[::1]:${P}/img.png`), 'refuse', [redirectPath(`http://[::1]:${P}/img.png`)]],
      ['redirect to [::ffff:169.254.169.254]', redirect('http://[::ffff:169.254.169.254]/'), 'refuse', [redirectPath('http://[::ffff:169.254.169.254]/')]],
      ['redirect to 0.0.0.0 (not in the allow range)', redirect(`http://0.0.0.0:${P}/img.png`), 'refuse', [redirectPath(`http://0.0.0.0:${P}/img.png`)]],
      ['redirect to 192.168.1.1', redirect('http://192.168.1.1/'), 'refuse', [redirectPath('http://192.168.1.1/')]],
      ['redirect to file:///etc/passwd', redirect('file:///etc/passwd'), 'refuse', [redirectPath('file:///etc/passwd')]],
      ['redirect to gopher: on the decoy', redirect(`gopher://127.0.0.1:${P}/_x`), 'refuse', [redirectPath(`gopher://127.0.0.1:${P}/_x`)]],
      ['redirect to https: on the decoy', redirect(`https://127.0.0.1:${P}/img.png`), 'refuse', [redirectPath(`https://127.0.0.1:${P}/img.png`)]],
      ['redirect to a user@host trick naming 169.254.169.254', redirect(`http://127.0.0.1:${P}@169.254.169.254/`), 'refuse', [redirectPath(`http://127.0.0.1:${P}@169.254.169.254/`)]],
      ['redirect to a scheme-relative //169.254.169.254/', redirect('//169.254.169.254/latest/meta-data/'), 'refuse', [redirectPath('//169.254.169.254/latest/meta-data/')]],
      ['redirect with backslashes http:\\\\169.254.169.254\\', redirect('http:\\\\169.254.169.254\\'), 'refuse', [redirectPath('http:\\\\169.254.169.254\\')]],
      ['redirect to decimal 167772161 (10.0.0.1)', redirect('http://167772161/'), 'refuse', [redirectPath('http://167772161/')]],
      ['redirect through one allowed hop to 169.254.169.254', redirect(redirect('http://169.254.169.254/')), 'refuse', [redirectPath(redirect('http://169.254.169.254/')), redirectPath('http://169.254.169.254/')]],
      [`too many redirects: a chain of 10 (limit ${MAX_REDIRECTS})`, `${D}/chain/9`, 'refuse', chain(9).slice(0, MAX_REDIRECTS + 1)],
      ['redirect loop', `${D}/loop`, 'refuse', Array(MAX_REDIRECTS + 1).fill('/loop')],
      ['direct [::1] (not in the allow range)', `http://[::1]:${P}/img.png`, 'refuse', []],
      ['direct 169.254.169.254', 'http://169.254.169.254/latest/meta-data/', 'refuse', []],
      ['direct 10.0.0.1', 'http://10.0.0.1/x.png', 'refuse', []],
      ['body over 10 MB from the decoy', `${D}/big`, 'too-large', ['/big']],
      ['text/plain body from the decoy', `${D}/text`, 'not-image', ['/text']],
    ];
    for (const [name, url, expect, want, extra = {}] of cases) {
      decoy.reset();
      decoy2.reset();
      const { r, ms } = await uploadUrl(server, url);
      await new Promise((res) => setTimeout(res, 30)); // let the decoy log a late request
      const p = [];
      if (expect === 'ok') {
        if (r.status !== 200 || r.json?.success !== true) p.push(`expected 200, got ${r.status}`);
      } else if (expect === 'refuse') {
        p.push(...refusedProblems(r, ms));
      } else if (expect === 'too-large') {
        p.push(...refusedProblems(r, ms, { code: 7011, status: 413 }));
      } else if (expect === 'not-image') {
        p.push(...refusedProblems(r, ms, { code: 5455, status: 415 }));
      }
      const seen = decoy.log.map((x) => `${x.method} ${x.path}`);
      const wanted = want.map((x) => `GET ${x}`);
      if (JSON.stringify(seen) !== JSON.stringify(wanted)) p.push(`decoy saw ${JSON.stringify(seen)}, expected exactly ${JSON.stringify(wanted)}`);
      if (decoy.conns.v6 !== 0) p.push(`${decoy.conns.v6} connection(s) reached the decoy on ::1`);
      if (extra.auth !== undefined && decoy.log[0]?.auth !== extra.auth) p.push(`Authorization at the decoy: ${decoy.log[0]?.auth}, expected ${extra.auth}`);
      if (extra.authAll && !decoy.log.every((x) => x.auth === extra.auth)) p.push(`Authorization not on every same-origin hop: ${JSON.stringify(decoy.log.map((x) => x.auth))}`);
      if (expect !== 'ok' && extra.auth === undefined && decoy.log.some((x) => x.auth)) p.push('credentials leaked to the decoy');
      const seen2 = decoy2.log.map((x) => `${x.method} ${x.path}${x.auth ? ` [${x.auth}]` : ''}`);
      const wanted2 = (extra.second || []).map((x) => `GET ${x}`);
      if (JSON.stringify(seen2) !== JSON.stringify(wanted2)) p.push(`second origin saw ${JSON.stringify(seen2)}, expected exactly ${JSON.stringify(wanted2)}`);
      t.check(`R5 allow 127.0.0.0/8: ${name}`, p.length === 0, () => `${p.join('; ')}\n${describe(`POST images/v1 url=${url} (${ms} ms)`, r)}`);
    }
    t.check('R5 allow-list: server healthy', await healthy(server), server.logTail(10));
    const stopped = await server.stop();
    t.check('R5 allow-list: server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
  }
  await decoy.close();
  await decoy2.close();
});
