// R1 — malformed-request corpus (RELIABILITY.md §7). Several hundred raw-byte requests, generated
// systematically, each on its own connection (the client half-closes once it has sent everything:
// "nothing more is coming"). Every case must meet:
//   - no 5xx in any response;
//   - the server process is still alive (the PID we started) and /healthz answers;
//   - an answer or a close within 2 s of the last byte sent;
//   - every answer to a /client/v4 request is a Cloudflare envelope;
// plus, where the server's own rules (src/http/session.cc, src/api/errors.h) or RFC 9112 fix the
// outcome, that outcome (431 past 16 KiB / 100 fields, 413 past the route's body limit, 400 for
// invalid JSON and wrong field types, a refusal for broken framing, ...).
//
// A case that kills the server is reported and the server restarted on the same data dir so the
// rest of the corpus still runs.

import { runScript, startServer, sendRaw, buildRequest, request, apiOk, envelopeProblem, clip, hex32 } from './lib.mjs';

// Deterministic PRNG for the garbage cases (xorshift32).
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const CRLF = '\r\n';

runScript('r1_malformed', async (t) => {
  let server = await startServer();
  const B = server.bootstrap;
  const T = server.token;
  const acct = B.account_id;
  const uid = B.user_id;
  const AUTH = ['Authorization', `Bearer ${T}`];
  const V4 = '/client/v4';

  // Fixtures: a token to PUT against.
  const putTok = (await apiOk(server, 'POST', '/user/tokens', {
    body: { name: 'r1 put target', policies: [{ effect: 'allow', permission_groups: [{ id: '8acbe5bb0d54464ab867149d7f7cf8ac' }], resources: { [`com.cloudflare.api.user.${uid}`]: '*' } }] },
  })).result.id;

  // A zone whose DNS record route takes the JSON corpus below.
  const dnsZone = (await apiOk(server, 'POST', '/zones', { body: { name: `r1-dns-${Date.now().toString(16)}-example.com`, account: { id: acct } } })).result.id;

  const cases = [];
  // add(name, bytes, {api, expect, gapMs, halfClose, note})
  //   expect: undefined (generic criteria only) | 'reject' (no 2xx: a 4xx answer or a close) |
  //           [statuses] (first answer's status in the list; null in the list allows a close
  //           without an answer) | function(r) → problem string or null.
  const add = (name, bytes, opts = {}) => cases.push({ name, bytes, api: true, ...opts });
  const req = (method, target, headers = [], body, o) => buildRequest(method, target, headers, body, o);
  const verify = `${V4}/user/tokens/verify`;

  // ---------------------------------------------------------------- request line
  const goodHead = (line) => `${line}${CRLF}Host: x${CRLF}Authorization: Bearer ${T}${CRLF}${CRLF}`;
  add('control: well-formed GET verify', goodHead(`GET ${verify} HTTP/1.1`), { expect: [200] });
  for (const v of ['HTTP/1.2', 'HTTP/2.0', 'HTTP/3.0', 'HTTP/9.9', 'HTTP/1', 'HTTP/1.1.1', 'http/1.1', 'HTTPS/1.1', 'HTTP/01.1', 'HTTP/1.10', 'HTTP/ 1.1', 'HTTP/1.1 ', 'HTTP\\1.1', 'HTTP/1.1x', 'XTTP/1.1', 'HTTP/-1.1', 'HTTP/1.a', ''])
    add(`request line: version ${JSON.stringify(v)}`, goodHead(`GET ${verify}${v ? ` ${v}` : ''}`), { expect: v === 'HTTP/1.1 ' ? undefined : ['reject'] });
  for (const [label, line] of [
    ['double space after method', `GET  ${verify} HTTP/1.1`],
    ['double space before version', `GET ${verify}  HTTP/1.1`],
    ['leading space', ` GET ${verify} HTTP/1.1`],
    ['tab separators', `GET\t${verify}\tHTTP/1.1`],
    ['no target', 'GET HTTP/1.1'],
    ['only method', 'GET'],
    ['empty request line', ''],
    ['target with space', `GET ${V4}/user/tokens/ver ify HTTP/1.1`],
    ['three tokens extra', `GET ${verify} HTTP/1.1 extra`],
    ['CR only terminator', `GET ${verify} HTTP/1.1\rHost: x`],
  ])
    add(`request line: ${label}`, goodHead(line), { expect: ['reject'] });
  add('request line: leading empty lines (RFC 9112 §2.2: may be ignored)', `${CRLF}${CRLF}${goodHead(`GET ${verify} HTTP/1.1`)}`);
  // Methods.
  for (const m of ['get', 'Get', 'FOO', 'BREW', 'PROPFIND', 'MKCOL', 'TRACE', 'OPTIONS', 'HEAD', 'PATCH', 'PUT', 'DELETE', 'POST', 'CONNECT', 'PRI', 'G(ET', 'GE T', 'GET\x00', '\x00GET', 'GËT', 'M'.repeat(100), 'M'.repeat(20000), '-', '*'])
    add(`method ${JSON.stringify(clip(m, 20))} on a GET-only API path`, goodHead(`${m} ${verify} HTTP/1.1`), { expect: m === 'HEAD' ? undefined : ['reject'] });
  // Targets.
  for (const [label, target, expect] of [
    ['asterisk form', '*', ['reject']],
    ['absolute form', `http://127.0.0.1${verify}`],
    ['authority form', '127.0.0.1:80', ['reject']],
    ['no leading slash', 'client/v4/user/tokens/verify', ['reject']],
    ['double leading slash', `/${verify}`, ['reject']],
    ['repeated inner slashes', `${V4}//user///tokens//verify`],
    ['fragment', `${verify}#frag`],
    ['bad percent escape %', `${V4}/zones/%`, ['reject']],
    ['bad percent escape %G1', `${V4}/zones/%G1`, ['reject']],
    ['truncated percent escape %2', `${V4}/zones/%2`, ['reject']],
    ['overlong UTF-8 slash %C0%AF', `${V4}/zones/%C0%AF`, ['reject']],
    ['overlong UTF-8 %E0%80%AF', `${V4}/zones/%E0%80%AF`, ['reject']],
    ['invalid UTF-8 %FF%FE', `${V4}/zones/%FF%FE`, ['reject']],
    ['lone surrogate %ED%A0%80', `${V4}/zones/%ED%A0%80`, ['reject']],
    ['encoded slash %2F in id', `${V4}/zones/abc%2Fdef`, ['reject']],
    ['encoded backslash %5C', `${V4}/zones/..%5C..%5Cetc`, ['reject']],
    ['raw backslash', `${V4}\\user\\tokens\\verify`, ['reject']],
    ['dot-dot segments', `${V4}/user/tokens/../../../../etc/passwd`, ['reject']],
    ['dot-dot escaping the API root', `${V4}/../../healthz`, ['reject']],
    ['encoded dot-dot %2e%2e', `${V4}/user/%2e%2e/%2e%2e/etc/passwd`, ['reject']],
    ['mixed .%2e', `${V4}/user/.%2e/tokens/verify`, ['reject']],
    ['single dot segments', `${V4}/./user/./tokens/./verify`],
    ['percent-encoded NUL in id', `${V4}/user/tokens/%00`, ['reject']],
    ['percent-encoded NUL in zone id', `${V4}/zones/${'0'.repeat(31)}%00`, ['reject']],
    ['percent-encoded NUL in query', `${V4}/zones?name=%00`],
    ['percent-encoded CRLF in path', `${V4}/zones/%0d%0aX-Injected:%20yes`, (r) => (r.headers['x-injected'] ? 'CRLF from the path became a response header' : null)],
    ['percent-encoded CRLF in query', `${V4}/zones?name=%0d%0aX-Injected:%20yes`, (r) => (r.headers['x-injected'] ? 'CRLF from the query became a response header' : null)],
    ['raw UTF-8 bytes in path', Buffer.from(`${V4}/zones/ü€😀`, 'utf8').toString('latin1'), ['reject']],
    ['raw high bytes in path', `${V4}/zones/\xff\xfe\x80`, ['reject']],
    ['control char in path', `${V4}/zones/\x01\x02`, ['reject']],
    ['DEL in path', `${V4}/zones/\x7f`, ['reject']],
    ['zone id 31 hex', `${V4}/zones/${'a'.repeat(31)}`, ['reject']],
    ['zone id 33 hex', `${V4}/zones/${'a'.repeat(33)}`, ['reject']],
    ['zone id upper-case hex', `${V4}/zones/${'A'.repeat(32)}`, ['reject']],
    ['account id non-hex', `${V4}/accounts/${'z'.repeat(32)}`, ['reject']],
    ['token id = "verify%20"', `${V4}/user/tokens/verify%20`, ['reject']],
    ['membership id unicode', `${V4}/memberships/%E2%98%83`, ['reject']],
    ['query: bad escape', `${V4}/zones?name=%zz`],
    ['query: per_page huge', `${V4}/zones?per_page=99999999999999999999999`, ['reject']],
    ['query: page negative', `${V4}/zones?page=-5`, ['reject']],
    ['query: page float', `${V4}/zones?page=1.5`, ['reject']],
    ['query: 2,000 parameters', `${V4}/zones?${Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join('&')}`],
    ['query: repeated name=', `${V4}/zones?${'name=a&'.repeat(500)}`],
    ['query: only ?', `${V4}/zones?`],
    ['query: ?&&&=', `${V4}/zones?&&&=&=`],
    ['path of 15 KB (under the header limit)', `${V4}/zones/${'a'.repeat(15 * 1024)}`, [400, 404, 414, 431]],
    ['path of 64 KB', `${V4}/zones/${'a'.repeat(64 * 1024)}`, [414, 431, 400, null]],
    ['path of 64 KB of ../', `${V4}/${'../'.repeat(21846)}`, [414, 431, 400, null]],
    ['query of 64 KB', `${V4}/zones?name=${'b'.repeat(64 * 1024)}`, [414, 431, 400, null]],
    ['unknown API path', `${V4}/nope/nothing`, ['reject']],
    ['unknown API version', '/client/v5/user', ['reject']],
  ])
    add(`target: ${label}`, goodHead(`GET ${target} HTTP/1.1`), { expect });

  // ---------------------------------------------------------------- garbage
  const rnd = prng(0xc0ffee);
  for (let i = 0; i < 24; i++) {
    const n = 1 + Math.floor(rnd() * (i < 12 ? 64 : 4096));
    const b = Buffer.alloc(n);
    for (let j = 0; j < n; j++) b[j] = Math.floor(rnd() * 256);
    add(`garbage: ${n} random bytes #${i}`, b, { api: false, expect: ['reject'] });
  }
  for (let i = 0; i < 10; i++) {
    // Random printable tokens that look a bit like HTTP.
    const words = ['GET', 'POST', '/client/v4', 'HTTP/1.1', ':', 'Host', '\r\n', ' ', 'chunked', 'Content-Length', '0', '\t', '\n'];
    let s = '';
    const n = 5 + Math.floor(rnd() * 60);
    for (let j = 0; j < n; j++) s += words[Math.floor(rnd() * words.length)];
    add(`garbage: HTTP-ish word salad #${i}`, `${s}\r\n\r\n`, { api: false });
  }
  add('garbage: TLS ClientHello', Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035000a01000058', 'hex'), { api: false, expect: ['reject'] });
  add('garbage: HTTP/2 prior-knowledge preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00', { api: false, expect: ['reject'] });
  add('garbage: only CRLF', '\r\n', { api: false, expect: ['reject'] });
  add('garbage: 10,000 CRLFs', '\r\n'.repeat(10000), { api: false, expect: ['reject'] });
  add('garbage: 100 NUL bytes', Buffer.alloc(100), { api: false, expect: ['reject'] });
  add('garbage: 64 KB of spaces', ' '.repeat(65536), { api: false, expect: ['reject'] });
  add('garbage: one byte', 'G', { api: false, expect: ['reject'] });
  add('garbage: nothing (connect, half-close)', '', { api: false, expect: ['reject'] });
  add('garbage: SSH banner', 'SSH-2.0-OpenSSH_9.0\r\n', { api: false, expect: ['reject'] });

  // ---------------------------------------------------------------- headers
  const withHeaders = (lines, target = verify, method = 'GET', body = '') =>
    `${method} ${target} HTTP/1.1${CRLF}${lines.join(CRLF)}${lines.length ? CRLF : ''}${CRLF}${body}`;
  const H = `Host: x`;
  const A = `Authorization: Bearer ${T}`;
  {
    // The same 20 KB header, but arriving in two segments: the 16 KiB limit must not depend on
    // how TCP happens to cut the bytes.
    const lines = [H, A, ...Array.from({ length: 20 }, (_, i) => `X-F${i}: ${'v'.repeat(1024)}`)];
    const b = withHeaders(lines);
    add('header: headers totalling 20 KB in 20 fields, sent in two writes', [b.slice(0, 10), b.slice(10)], { gapMs: 50, expect: [431, 400, null] });
  }
  for (const [label, lines, expect] of [
    ['header without colon', [H, A, 'NoColonHere'], ['reject']],
    ['empty header name', [H, A, ': value'], ['reject']],
    ['space before colon (RFC 9112 §5.1: MUST 400)', [H, A, 'X-A : b'], [400]],
    ['space inside name', [H, A, 'X A: b'], ['reject']],
    ['invalid name char (', [H, A, 'X(A): b'], ['reject']],
    ['invalid name char @', [H, A, 'X@A: b'], ['reject']],
    ['non-ASCII name', [H, A, 'Xé: b'], ['reject']],
    ['NUL in value', [H, A, 'X-A: a\x00b'], ['reject']],
    ['NUL in name', [H, A, 'X-\x00A: b'], ['reject']],
    ['NUL in Authorization', [H, `Authorization: Bearer ${T.slice(0, 20)}\x00${T.slice(20)}`], ['reject']],
    ['bare CR in value', [H, A, 'X-A: a\rb'], ['reject']],
    ['DEL in value', [H, A, 'X-A: a\x7fb'], ['reject']],
    ['control char 0x01 in value', [H, A, 'X-A: a\x01b'], ['reject']],
    ['obs-text (0x80-0xff) in value', [H, A, 'X-A: caf\xe9'], undefined],
    ['obs-fold continuation (RFC: 400 or replace with SP)', [H, A, 'X-A: a', ' b'], undefined],
    ['obs-fold continuation with tab', [H, A, 'X-A: a', '\tb'], undefined],
    ['obs-fold on Authorization', [H, 'Authorization: Bearer', ` ${T}`], undefined],
    ['obs-fold as first header line', [' X-A: a', H, A], ['reject']],
    ['header line of 17 KB', [H, A, `X-Big: ${'v'.repeat(17 * 1024)}`], [431, 400, null]],
    ['header name of 17 KB', [H, A, `X-${'n'.repeat(17 * 1024)}: v`], [431, 400, null]],
    ['headers totalling 20 KB in 20 fields', [H, A, ...Array.from({ length: 20 }, (_, i) => `X-F${i}: ${'v'.repeat(1024)}`)], [431, 400, null]],
    ['exactly 100 header fields', [H, A, ...Array.from({ length: 98 }, (_, i) => `X-F${i}: v`)], [200]],
    ['101 header fields (limit 100)', [H, A, ...Array.from({ length: 99 }, (_, i) => `X-F${i}: v`)], [431]],
    ['1,000 header fields', [H, A, ...Array.from({ length: 998 }, (_, i) => `X-F${i}: v`)], [431, 400, null]],
    ['5,000 tiny header fields', [H, A, ...Array.from({ length: 5000 }, () => 'X:')], [431, 400, null]],
    ['missing Host in HTTP/1.1 (RFC 9112 §3.2: MUST 400)', [A], [400]],
    ['duplicate Host (RFC 9112 §3.2: MUST 400)', [H, 'Host: evil.example', A], [400]],
    ['invalid Host value (RFC 9112 §3.2: MUST 400)', ['Host: a b/c', A], [400]],
    ['empty Host', ['Host:', A], undefined],
    ['Host with garbage port', ['Host: x:99999999999999', A], undefined],
    ['bare LF line endings', [H, A].map((l) => l + '\n').join('').split('\r\n'), undefined],
    ['Expect: 100-continue without body', [H, A, 'Expect: 100-continue'], [200]],
    ['Expect: unknown', [H, A, 'Expect: teapot'], undefined],
    ['Connection: upgrade h2c', [H, A, 'Connection: Upgrade, HTTP2-Settings', 'Upgrade: h2c', 'HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA'], undefined],
    ['Upgrade: websocket', [H, A, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Version: 13'], undefined],
    ['Authorization 600 chars', [H, `Authorization: Bearer ${'a'.repeat(600)}`], ['reject']],
    ['Authorization 15 KB', [H, `Authorization: Bearer ${'a'.repeat(15 * 1024)}`], ['reject']],
    ['Authorization with UTF-8', [H, 'Authorization: Bearer t\xc3\xa9st'], ['reject']],
    ['X-Auth-Email 15 KB', [H, `X-Auth-Email: ${'a'.repeat(15 * 1024)}@x.y`, `X-Auth-Key: ${'0'.repeat(37)}`], ['reject']],
    ['X-Forwarded-For garbage', [H, A, `X-Forwarded-For: ${'1.2.3.4, '.repeat(1000)}zz`], undefined],
    ['Content-Type with NUL-free junk', [H, A, `Content-Type: ${'x/'.repeat(3000)}`], undefined],
  ]) {
    const bytes = label.startsWith('bare LF') ? `GET ${verify} HTTP/1.1\n${H}\n${A}\n\n` : withHeaders(lines);
    add(`header: ${label}`, bytes, { expect });
  }

  // ---------------------------------------------------------------- Content-Length
  const zoneBody = () => JSON.stringify({ name: `r1-${hex32().slice(0, 12)}-example.com`, account: { id: acct } });
  const postZones = (extraLines, body) => withHeaders([H, A, 'Content-Type: application/json', ...extraLines], `${V4}/zones`, 'POST', body);
  for (const [label, cl, expect] of [
    ['non-numeric', 'abc', [400]],
    ['negative', '-1', [400]],
    ['fractional', '1.5', [400]],
    ['plus sign', '+5', [400]],
    ['hex', '0x10', [400]],
    ['two numbers', '5 5', [400]],
    ['comma list of equal values', '5, 5', ['reject']],
    ['comma list of different values', '5, 0', [400]],
    ['empty', '', [400]],
    ['2^63', '9223372036854775808', [400, 413]],
    ['2^64', '18446744073709551616', [400, 413]],
    ['2^64 + 5 (wraps to 5)', '18446744073709551621', [400, 413]],
    ['99999999999999999999999', '99999999999999999999999', [400, 413]],
    ['leading zeros 0000005', '0000005', undefined],
  ]) {
    add(`Content-Length: ${label}`, postZones([`Content-Length: ${cl}`], '{"a":1}'), { expect });
  }
  add('Content-Length twice, equal (server refuses duplicates)', postZones(['Content-Length: 7', 'Content-Length: 7'], '{"a":1}'), { expect: [400] });
  add('Content-Length twice, different', postZones(['Content-Length: 7', 'Content-Length: 2'], '{"a":1}'), { expect: [400] });
  add('Content-Length larger than the body (client then stops)', postZones(['Content-Length: 100'], '{"a":1}'), { expect: [400, null] });
  add('Content-Length smaller than the body (rest is a bogus next request)', postZones(['Content-Length: 2'], '{}GARBAGE / HTTP/1.1\r\n\r\n'), {
    expect: (r) => (r.responses.some((x) => x.status >= 200 && x.status < 300) ? 'a 2xx for a request with a lying Content-Length' : null),
  });
  add('Content-Length 0 with a body following', postZones(['Content-Length: 0'], zoneBody()), { expect: ['reject'] });
  add('Content-Length on GET (route takes no body)', withHeaders([H, A, 'Content-Length: 5'], verify, 'GET', 'hello'), { expect: [200, 413, 400] });
  add('Content-Length 16 KiB + 1 on a 16 KiB route', [postZones(['Content-Length: 16385'], ''), 'x'.repeat(16385)], { gapMs: 150, expect: [413] });
  // Boundary around Beast's default 1 MiB body limit: both are past the route's 16 KiB.
  add('Content-Length 1 MiB exactly (1048576)', [postZones(['Content-Length: 1048576'], ''), 'x'.repeat(1024)], { gapMs: 150, expect: [413] });
  add('Content-Length 1 MiB + 1 (1048577)', [postZones(['Content-Length: 1048577'], ''), 'x'.repeat(1024)], { gapMs: 150, expect: [413] });
  add('Content-Length 1 GB', [postZones(['Content-Length: 1073741824'], ''), 'x'.repeat(1024)], { gapMs: 150, expect: [413] });

  // ---------------------------------------------------------------- chunked
  const chunked = (body, target = `${V4}/zones`, extra = []) => withHeaders([H, A, 'Content-Type: application/json', 'Transfer-Encoding: chunked', ...extra], target, 'POST', body);
  const goodZone = zoneBody();
  const hexLen = (s) => Buffer.byteLength(s).toString(16);
  add('chunked: control, one chunk with a valid zone', chunked(`${hexLen(goodZone)}\r\n${goodZone}\r\n0\r\n\r\n`), { expect: [200] });
  for (const [label, body, expect] of [
    ['size not hex', 'zz\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['negative size', '-2\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['empty size line', '\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['0x prefix', '0x2\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['size with leading space', ' 2\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['size with trailing space', '2 \r\n{}\r\n0\r\n\r\n', ['reject']],
    ['size overflowing 64 bits', 'ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n', [400, 413, null]],
    ['size 2^64-1', 'ffffffffffffffff\r\n{}\r\n0\r\n\r\n', [400, 413, null]],
    ['size 2^63', '8000000000000000\r\n{}\r\n0\r\n\r\n', [400, 413, null]],
    ['size larger than the limit', '100000\r\n{}\r\n0\r\n\r\n', [413, 400, null]],
    ['size larger than the data', '10\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['size smaller than the data', '1\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['missing CRLF after data', '2\r\n{}0\r\n\r\n', [400, null]],
    ['bare LF chunk lines', '2\n{}\n0\n\n', [400, null]],
    ['no last chunk (client stops)', '2\r\n{}\r\n', [400, null]],
    ['last chunk without final CRLF', '2\r\n{}\r\n0\r\n', [400, null]],
    ['extension', '2;name=value\r\n{}\r\n0\r\n\r\n', [400]],
    ['extension without value', '2;flag\r\n{}\r\n0\r\n\r\n', [400]],
    ['extension quoted', '2;a="b;c"\r\n{}\r\n0\r\n\r\n', [400]],
    ['extension with bad chars', '2;a=\x01\r\n{}\r\n0\r\n\r\n', [400, null]],
    ['extension 20 KB', `2;${'e'.repeat(20 * 1024)}\r\n{}\r\n0\r\n\r\n`, [400, 413, 431, null]],
    ['extension on the last chunk', '2\r\n{}\r\n0;last=1\r\n\r\n', [400]],
    ['trailer field', '2\r\n{}\r\n0\r\nX-Trailer: 1\r\n\r\n', [400]],
    ['trailer Content-Length', '2\r\n{}\r\n0\r\nContent-Length: 100\r\n\r\n', [400]],
    ['trailer Authorization (must not authenticate)', '2\r\n{}\r\n0\r\nAuthorization: Bearer x\r\n\r\n', [400]],
    ['trailer with NUL', '2\r\n{}\r\n0\r\nX-T: a\x00b\r\n\r\n', [400, null]],
    ['trailer of 20 KB', `2\r\n{}\r\n0\r\nX-T: ${'t'.repeat(20 * 1024)}\r\n\r\n`, [400, 413, 431, null]],
    ['1,000 trailer fields', `2\r\n{}\r\n0\r\n${'X-T: 1\r\n'.repeat(1000)}\r\n`, [400, 413, 431, null]],
    ['only the last chunk (empty body)', '0\r\n\r\n', [400]],
    ['zero-size chunk then data', '0\r\n\r\n2\r\n{}\r\n0\r\n\r\n', ['reject']],
    ['many 1-byte chunks forming invalid JSON', `${'1\r\n{\r\n'.repeat(500)}0\r\n\r\n`, [400]],
  ])
    add(`chunked: ${label}`, chunked(body), { expect });
  {
    const z = zoneBody();
    add('chunked: 1-byte chunks forming a valid zone', chunked(`${[...z].map((c) => `1\r\n${c}\r\n`).join('')}0\r\n\r\n`), { expect: [200] });
  }
  add('chunked: 80 KB of chunks on a 16 KiB route', [chunked(`4000\r\n${'x'.repeat(0x4000)}\r\n4000\r\n${'x'.repeat(0x4000)}\r\n`), `${'4000\r\n' + 'x'.repeat(0x4000) + '\r\n'}`.repeat(3) + '0\r\n\r\n'], { gapMs: 150, expect: [413] });
  add('chunked: on GET verify (no body allowed)', withHeaders([H, A, 'Transfer-Encoding: chunked'], verify, 'GET', '2\r\n{}\r\n0\r\n\r\n'), { expect: [200, 400, 413] });
  add('chunked: TE gzip, chunked', chunked('2\r\n{}\r\n0\r\n\r\n').toString().replace('Transfer-Encoding: chunked', 'Transfer-Encoding: gzip, chunked'), { expect: ['reject'] });

  // ---------------------------------------------------------------- JSON bodies
  // Members and invites: an invite of the account to edit; the bootstrap user's own membership
  // (answering it is a no-op); an invite id the user does not hold (bodies are parsed first).
  const r1Member = (await apiOk(server, 'POST', `/accounts/${acct}/members`, { body: { email: `r1-member-${hex32().slice(0, 8)}@example.com`, roles: ['05784afa30c1afe1440e79d9351c7430'] } })).result.id;
  const ownMembership = (await apiOk(server, 'GET', '/memberships')).result[0].id;
  const KEY_AUTH = [['X-Auth-Email', B.email], ['X-Auth-Key', B.global_api_key]];
  // The dashboard's Global API Key roll needs a signed-in session and its CSRF token: a user of its
  // own (the corpus's wrong passwords lock that e-mail, nobody else's).
  const rollUser = { email: `r1-roll-${hex32().slice(0, 8)}@example.com`, password: `pw-${hex32()}` };
  await request(server.port, 'POST', `${V4}/nubis/users`, { headers: [...KEY_AUTH, ['Content-Type', 'application/json']], body: JSON.stringify(rollUser) });
  const rollSignIn = await request(server.port, 'POST', '/dashboard/api/session', { headers: [['Content-Type', 'application/json']], body: JSON.stringify(rollUser) });
  if (rollSignIn.status !== 200) throw new Error(`R1 setup: sign-in → ${rollSignIn.status} ${clip(rollSignIn.body, 300)}`);
  const SESSION_AUTH = [['Cookie', String(rollSignIn.headers['set-cookie']).split(';')[0]], ['X-CSRF-Token', rollSignIn.json.result.csrf_token]];
  const jsonRoutes = [
    { label: 'POST /user/tokens', method: 'POST', target: `${V4}/user/tokens`, limit: 64 * 1024 },
    { label: 'POST /zones', method: 'POST', target: `${V4}/zones`, limit: 16 * 1024 },
    { label: 'PATCH /user', method: 'PATCH', target: `${V4}/user`, limit: 16 * 1024 },
    { label: 'PUT /accounts/{id}', method: 'PUT', target: `${V4}/accounts/${acct}`, limit: 16 * 1024 },
    { label: 'PUT /user/tokens/{id}', method: 'PUT', target: `${V4}/user/tokens/${putTok}`, limit: 64 * 1024 },
    { label: 'POST /accounts/{id}/tokens', method: 'POST', target: `${V4}/accounts/${acct}/tokens`, limit: 64 * 1024 },
    { label: 'PATCH /zones/{id}', method: 'PATCH', target: `${V4}/zones/${dnsZone}`, limit: 16 * 1024 },
    { label: 'POST /zones/{id}/dns_records/batch', method: 'POST', target: `${V4}/zones/${dnsZone}/dns_records/batch`, limit: 1024 * 1024 },
    { label: 'POST /zones/{id}/ssl/certificate_packs/order', method: 'POST', target: `${V4}/zones/${dnsZone}/ssl/certificate_packs/order`, limit: 16 * 1024 },
    { label: 'POST /accounts/{id}/members', method: 'POST', target: `${V4}/accounts/${acct}/members`, limit: 16 * 1024 },
    { label: 'PUT /accounts/{id}/members/{id}', method: 'PUT', target: `${V4}/accounts/${acct}/members/${r1Member}`, limit: 16 * 1024 },
    { label: 'PUT /memberships/{id}', method: 'PUT', target: `${V4}/memberships/${ownMembership}`, limit: 16 * 1024 },
    { label: 'PATCH /user/invites/{id}', method: 'PATCH', target: `${V4}/user/invites/${hex32()}`, limit: 16 * 1024 },
    // The instance admin's Global API Key only.
    { label: 'POST /nubis/users', method: 'POST', target: `${V4}/nubis/users`, limit: 16 * 1024, auth: KEY_AUTH },
    { label: 'PATCH /zones/{id}/settings/{id}', method: 'PATCH', target: `${V4}/zones/${dnsZone}/settings/ssl`, limit: 16 * 1024 },
    { label: 'PATCH /zones/{id}/settings', method: 'PATCH', target: `${V4}/zones/${dnsZone}/settings`, limit: 16 * 1024 },
    // The dashboard's sign-in: a public route (the bearer header the corpus sends is ignored).
    { label: 'POST /dashboard/api/session', method: 'POST', target: '/dashboard/api/session', limit: 16 * 1024 },
    { label: 'POST /dashboard/api/global_api_key/roll', method: 'POST', target: '/dashboard/api/global_api_key/roll', limit: 16 * 1024, auth: SESSION_AUTH },
    { label: 'POST /zones/{id}/dns_records', method: 'POST', target: `${V4}/zones/${dnsZone}/dns_records`, limit: 16 * 1024 },
  ];
  const splitHead = (buf) => {
    const i = buf.indexOf('\r\n\r\n') + 4;
    return [buf.subarray(0, i), buf.subarray(i)];
  };
  const jsonReq = (rt, body, ct = 'application/json') =>
    buildRequest(rt.method, rt.target, [...(rt.auth || [AUTH]), ['Content-Type', ct]], Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'));
  const invalidJson = [
    ['empty body', ''],
    ['whitespace only', '   \r\n\t '],
    ['lone {', '{'],
    ['lone }', '}'],
    ['lone [', '['],
    ['null', 'null'],
    ['true', 'true'],
    ['number', '12'],
    ['string', '"s"'],
    ['array', '[]'],
    ['single quotes', "{'name':'x'}"],
    ['missing value', '{"name":}'],
    ['trailing comma', '{"name":"x",}'],
    ['trailing garbage', '{}x'],
    ['two objects', '{}{}'],
    ['NaN', '{"name":NaN}'],
    ['Infinity', '{"name":Infinity}'],
    ['comment', '{/*c*/"name":"x"}'],
    ['UTF-8 BOM', '\xef\xbb\xbf{}'],
    ['UTF-16LE body', Buffer.from('{"name":"x"}', 'utf16le')],
    ['invalid UTF-8 byte 0xff in a string', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])],
    ['overlong UTF-8 C0 AF in a string', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['UTF-8 surrogate ED A0 80 in a string', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ['truncated UTF-8 E2 82 in a string', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')])],
    ['invalid UTF-8 in a key', Buffer.concat([Buffer.from('{"'), Buffer.from([0xff]), Buffer.from('":1}')])],
    ['NUL byte outside a string', '{"name":"x"\x00}'],
    ['raw control char in a string', '{"name":"a\x01b"}'],
    ['bad escape \\x', '{"name":"\\x41"}'],
    ['truncated \\u escape', '{"name":"\\u12"}'],
    ['unterminated string', '{"name":"abc'],
    ['depth 33 arrays', `{"name":${'['.repeat(33)}${']'.repeat(33)}}`],
    ['depth 10,000 arrays', `${'['.repeat(10000)}${']'.repeat(10000)}`],
    ['depth 10,000 objects', `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`],
    ['unclosed depth 10,000', '['.repeat(10000)],
    ['number 1e999999', '{"name":1e999999}'],
    ['number with 10,000 digits', `{"name":${'9'.repeat(10000)}}`],
    ['leading zero number', '{"name":0123}'],
    ['hex number', '{"name":0x10}'],
  ];
  for (const rt of jsonRoutes) {
    for (const [label, body] of invalidJson) {
      const len = Buffer.isBuffer(body) ? body.length : Buffer.byteLength(body, 'latin1');
      // Grammatically valid JSON whose value is merely of the wrong type/range may be refused as
      // a validation error instead of 6007.
      const validGrammar = /digits|1e999999/.test(label);
      const expect = len > rt.limit
        ? [413]
        : (r) => {
            if (r.status !== 400) return `expected 400, got ${r.status}`;
            const code = r.json?.errors?.[0]?.code;
            if (code === 6007 || (validGrammar && code !== undefined)) return null;
            return `expected error code 6007 (Malformed JSON), got ${code}`;
          };
      // Past the limit the server answers 413 from the headers alone and closes: send the body
      // after a pause so that answer is read before the unread body resets the connection.
      add(`JSON ${rt.label}: ${label}`, len > rt.limit ? splitHead(jsonReq(rt, body)) : jsonReq(rt, body), { expect, gapMs: len > rt.limit ? 150 : 0 });
    }
    // Oversized: headers first, body after a pause, so the early 413 is readable before the reset.
    const big = `{"name":"${'x'.repeat(1024 * 1024)}"}`;
    const head = buildRequest(rt.method, rt.target, [...(rt.auth || [AUTH]), ['Content-Type', 'application/json'], ['Content-Length', String(big.length)]]);
    add(`JSON ${rt.label}: 1 MB string (Content-Length)`, [head, big], { gapMs: 150, expect: [413] });
    const justOver = `{"name":"${'y'.repeat(rt.limit)}"}`;
    add(`JSON ${rt.label}: string just over the ${rt.limit / 1024} KiB limit`, splitHead(jsonReq(rt, justOver)), { gapMs: 150, expect: [413] });
    add(`JSON ${rt.label}: wrong Content-Type text/plain with an invalid field`, jsonReq(rt, '{"zzz_unknown":1}', 'text/plain'), { expect: [400, 415] });
  }

  // API-SURFACE §7: "Wrong Content-Type on JSON endpoint → 400 / 9207 Content-type must be
  // application/json." A body that would otherwise be accepted, labelled text/plain or multipart.
  for (const ct of ['text/plain', 'multipart/form-data; boundary=x', 'application/xml']) {
    add(`JSON PATCH /user: valid body with Content-Type ${ct} (API-SURFACE §7: 400 / 9207)`, jsonReq(jsonRoutes[2], '{"first_name":"R1ct"}', ct), {
      expect: (r) => (r.status === 400 && r.json?.errors?.[0]?.code === 9207 ? null : `expected 400/9207, got ${r.status}/${r.json?.errors?.[0]?.code}`),
    });
  }
  // ...but curl's default for -d (application/x-www-form-urlencoded) is read as JSON: the seed's
  // Windows examples (seeds/004) send JSON that way and must work verbatim.
  add('JSON PATCH /user: JSON body sent as curl -d does (x-www-form-urlencoded) is accepted', jsonReq(jsonRoutes[2], '{"first_name":"R1ct"}', 'application/x-www-form-urlencoded'), {
    expect: (r) => (r.status === 200 && r.json?.result?.first_name === 'R1ct' ? null : `expected 200 with first_name echoed, got ${r.status}`),
  });

  // Duplicate keys: either refused, or the echoed value is one of the duplicates.
  const dupCases = [
    [jsonRoutes[2], '{"first_name":"DupA","first_name":"DupB"}', (j) => ['DupA', 'DupB'].includes(j?.result?.first_name)],
    [jsonRoutes[3], `{"name":"R1 dup A","name":"R1 dup B"}`, (j) => ['R1 dup A', 'R1 dup B'].includes(j?.result?.name)],
    [jsonRoutes[1], `{"name":"r1-dupa-${hex32().slice(0, 8)}-example.com","name":"r1-dupb-${hex32().slice(0, 8)}-example.com","account":{"id":"${acct}"}}`, (j) => /^r1-dup[ab]-/.test(j?.result?.name || '')],
    [jsonRoutes[0], `{"name":"dup","policies":[],"policies":[{"effect":"allow","permission_groups":[{"id":"8acbe5bb0d54464ab867149d7f7cf8ac"}],"resources":{"com.cloudflare.api.user.${uid}":"*"}}]}`, (j) => j?.result?.name === 'dup'],
    [jsonRoutes[0], `{"name":"dup2","policies":[{"effect":"allow","effect":"deny","permission_groups":[{"id":"8acbe5bb0d54464ab867149d7f7cf8ac"}],"resources":{"com.cloudflare.api.user.${uid}":"*"}}]}`, (j) => ['allow', 'deny'].includes(j?.result?.policies?.[0]?.effect)],
  ];
  for (const [rt, body, ok] of dupCases) {
    add(`JSON ${rt.label}: duplicate keys`, jsonReq(rt, body), {
      expect: (r) => (r.status === 400 ? null : r.status === 200 ? (ok(r.json) ? null : 'accepted, but the echo matches neither duplicate') : `unexpected status ${r.status}`),
    });
  }

  // Wrong types for every field: each body is valid except the one field.
  const wrongValues = [123, -1, 1.5, true, false, [], ['x'], {}, { a: 1 }, 'not-the-right-type', null];
  const policy = () => ({ effect: 'allow', permission_groups: [{ id: '8acbe5bb0d54464ab867149d7f7cf8ac' }], resources: { [`com.cloudflare.api.user.${uid}`]: '*' } });
  const tokenBase = () => ({ name: 'r1 typed', policies: [policy()] });
  const setPath = (obj, p, v) => {
    const keys = p.split('/');
    let o = obj;
    for (const k of keys.slice(0, -1)) o = o[k];
    o[keys[keys.length - 1]] = v;
    return obj;
  };
  const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  // field path, base-body factory, which JSON types are legitimate there.
  const fieldSpecs = [
    // POST /user/tokens
    [jsonRoutes[0], 'name', tokenBase, ['string']],
    [jsonRoutes[0], 'policies', tokenBase, ['array']],
    [jsonRoutes[0], 'policies/0', tokenBase, ['object']],
    [jsonRoutes[0], 'policies/0/effect', tokenBase, ['string']],
    [jsonRoutes[0], 'policies/0/permission_groups', tokenBase, ['array']],
    [jsonRoutes[0], 'policies/0/permission_groups/0', tokenBase, ['object']],
    [jsonRoutes[0], 'policies/0/permission_groups/0/id', tokenBase, ['string']],
    [jsonRoutes[0], 'policies/0/resources', tokenBase, ['object']],
    [jsonRoutes[0], `policies/0/resources/com.cloudflare.api.user.${uid}`, tokenBase, ['string']],
    [jsonRoutes[0], 'not_before', tokenBase, ['string', 'null']],
    [jsonRoutes[0], 'expires_on', tokenBase, ['string', 'null']],
    // null = "no IP restriction" (like not_before/expires_on null): legitimate.
    [jsonRoutes[0], 'condition', () => ({ ...tokenBase(), condition: {} }), ['object', 'null']],
    [jsonRoutes[0], 'condition/request.ip', () => ({ ...tokenBase(), condition: { 'request.ip': { in: ['10.0.0.0/8'] } } }), ['object']],
    [jsonRoutes[0], 'condition/request.ip/in', () => ({ ...tokenBase(), condition: { 'request.ip': { in: ['10.0.0.0/8'] } } }), ['array']],
    [jsonRoutes[0], 'condition/request.ip/in/0', () => ({ ...tokenBase(), condition: { 'request.ip': { in: ['10.0.0.0/8'] } } }), ['string']],
    [jsonRoutes[0], 'condition/request.ip/not_in', () => ({ ...tokenBase(), condition: { 'request.ip': { not_in: ['10.0.0.0/8'] } } }), ['array']],
    // POST /zones
    [jsonRoutes[1], 'name', () => JSON.parse(zoneBody()), ['string']],
    [jsonRoutes[1], 'account', () => JSON.parse(zoneBody()), ['object']],
    [jsonRoutes[1], 'account/id', () => JSON.parse(zoneBody()), ['string']],
    [jsonRoutes[1], 'type', () => JSON.parse(zoneBody()), ['string']],
    [jsonRoutes[1], 'jump_start', () => JSON.parse(zoneBody()), ['boolean']],
    // PATCH /user (all nullable)
    ...['first_name', 'last_name', 'telephone', 'country', 'zipcode'].map((f) => [jsonRoutes[2], f, () => ({}), ['string', 'null']]),
    // PUT /accounts/{id}
    [jsonRoutes[3], 'name', () => ({ name: 'R1 account' }), ['string']],
    [jsonRoutes[3], 'id', () => ({ name: 'R1 account' }), ['string']],
    [jsonRoutes[3], 'settings', () => ({ name: 'R1 account' }), ['object']],
    [jsonRoutes[3], 'settings/abuse_contact_email', () => ({ name: 'R1 account', settings: {} }), ['string', 'null']],
    [jsonRoutes[3], 'settings/enforce_twofactor', () => ({ name: 'R1 account', settings: {} }), ['boolean']],
    [jsonRoutes[3], 'settings/default_nameservers', () => ({ name: 'R1 account', settings: {} }), ['string']],
    [jsonRoutes[3], 'settings/use_account_custom_ns_by_default', () => ({ name: 'R1 account', settings: {} }), ['boolean']],
  ];
  for (const [rt, field, base, legit] of fieldSpecs) {
    for (const v of wrongValues) {
      if (legit.includes(typeOf(v))) continue;
      // A fresh zone name per attempt, so "already exists" never masks a wrongly accepted type.
      const body = setPath(base(), field, v);
      // 400, and the error names the field (or its parent), so the refusal is this field's.
      const names = field.split('/').filter((k) => !/^\d+$/.test(k));
      add(`types ${rt.label}: ${field} = ${JSON.stringify(v)}`, jsonReq(rt, JSON.stringify(body)), {
        expect: (r) => {
          if (r.status !== 400) return `expected 400, got ${r.status}`;
          const msg = String(r.json?.errors?.[0]?.message ?? '');
          return names.some((n) => msg.includes(n)) ? null : `400, but the error does not name ${names.join(' or ')}: ${JSON.stringify(msg)}`;
        },
      });
    }
  }
  // Controls for the typed bodies: each base body alone is accepted, so a 400 above is the field's.
  add('types control: POST /user/tokens base body', jsonReq(jsonRoutes[0], JSON.stringify(tokenBase())), { expect: [200] });
  add('types control: POST /zones base body', jsonReq(jsonRoutes[1], zoneBody()), { expect: [200] });
  add('types control: PATCH /user base body', jsonReq(jsonRoutes[2], '{"first_name":"R1"}'), { expect: [200] });
  add('types control: PUT /accounts/{id} base body', jsonReq(jsonRoutes[3], JSON.stringify({ name: 'R1 account', settings: { enforce_twofactor: false } })), { expect: [200] });

  // Read-only fields (OWASP API3, mass assignment): either refused (400) or ignored — never
  // assigned. And a restriction the client asked for is never silently dropped.
  const ro = (label, rt, bodyObj, check) =>
    add(`read-only ${rt.label}: ${label}`, jsonReq(rt, JSON.stringify(bodyObj)), {
      expect: (r) => (r.status === 400 ? null : r.status === 200 ? check(r.json?.result) : `unexpected status ${r.status}`),
    });
  const FAKE_SECRET = 'AttackerChosenSecret_0123456789abcdefghij';
  ro('id', jsonRoutes[0], { ...tokenBase(), id: '0'.repeat(32) }, (x) => (x?.id === '0'.repeat(32) ? 'the client chose the token id' : null));
  ro('issued_on', jsonRoutes[0], { ...tokenBase(), issued_on: '2000-01-01T00:00:00Z' }, (x) => (x?.issued_on === '2000-01-01T00:00:00Z' ? 'issued_on was assigned' : null));
  ro('modified_on', jsonRoutes[0], { ...tokenBase(), modified_on: '2000-01-01T00:00:00Z' }, (x) => (x?.modified_on === '2000-01-01T00:00:00Z' ? 'modified_on was assigned' : null));
  ro('last_used_on', jsonRoutes[0], { ...tokenBase(), last_used_on: '2000-01-01T00:00:00Z' }, (x) => (x?.last_used_on === '2000-01-01T00:00:00Z' ? 'last_used_on was assigned' : null));
  ro('value (client-chosen secret)', jsonRoutes[0], { ...tokenBase(), value: FAKE_SECRET }, (x) => (x?.value === FAKE_SECRET ? 'the client chose its own secret' : null));
  ro('id of wrong type', jsonRoutes[0], { ...tokenBase(), id: 123 }, (x) => (x?.id === 123 ? 'id assigned' : null));
  ro('value on update', jsonRoutes[4], { ...tokenBase(), value: FAKE_SECRET }, (x) => (x?.value === FAKE_SECRET ? 'the client set the secret' : null));
  ro('type', jsonRoutes[3], { name: 'R1 account', type: 'enterprise' }, (x) => (x?.type === 'enterprise' ? 'account type was assigned' : null));
  ro('created_on', jsonRoutes[3], { name: 'R1 account', created_on: '2000-01-01T00:00:00Z' }, (x) => (String(x?.created_on).startsWith('2000-01-01') ? 'created_on was assigned' : null));
  ro('managed_by', jsonRoutes[3], { name: 'R1 account', managed_by: { parent_org_id: 'f'.repeat(32), parent_org_name: 'evil' } }, (x) => (x?.managed_by?.parent_org_name === 'evil' ? 'managed_by was assigned' : null));
  add('read-only PUT /accounts/{id}: id of another account', jsonReq(jsonRoutes[3], JSON.stringify({ name: 'R1 account', id: 'f'.repeat(32) })), { expect: [400] });
  ro('status "active"', jsonRoutes[1], { ...JSON.parse(zoneBody()), status: 'active' }, (x) => (x?.status === 'active' ? 'zone status was assigned' : null));
  ro('id', jsonRoutes[1], { ...JSON.parse(zoneBody()), id: '0'.repeat(32) }, (x) => (x?.id === '0'.repeat(32) ? 'the client chose the zone id' : null));
  add('read-only POST /zones: account the caller does not belong to', jsonReq(jsonRoutes[1], JSON.stringify({ name: JSON.parse(zoneBody()).name, account: { id: 'f'.repeat(32) } })), { expect: [400, 403, 404] });

  // ---------------------------------------------------------------- multipart (Images upload)
  // POST /accounts/{id}/images/v1 as raw bytes: boundaries, framing, part headers, part counts
  // and duplicate fields. The parser is also fed these shapes split every way in
  // src/api/multipart_test.cc; here they arrive through the real HTTP path.
  {
    const upload = `${V4}/accounts/${acct}/images/v1`;
    // A 1x1 PNG (valid: its data inflates to exactly one row).
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const mpReq = (contentType, body, extra = []) =>
      req('POST', upload, [AUTH, ['Content-Type', contentType], ...extra], Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'));
    const bnd = 'r1Boundary7MA4YWxkTrZu0gW';
    const CT = `multipart/form-data; boundary=${bnd}`;
    const filePart = (b = bnd, name = 'file', bytes = PNG, type = 'image/png') =>
      Buffer.concat([Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name="${name}"; filename="a.png"${CRLF}Content-Type: ${type}${CRLF}${CRLF}`, 'latin1'), bytes, Buffer.from(CRLF, 'latin1')]);
    const field = (name, value, b = bnd) => Buffer.from(`--${b}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`, 'latin1');
    const close = (b = bnd) => Buffer.from(`--${b}--${CRLF}`, 'latin1');
    const form = (...parts) => Buffer.concat(parts);
    const mustName = (words) => (r) => {
      if (r.status !== 400) return `expected 400, got ${r.status}`;
      const msg = JSON.stringify(r.json?.errors ?? '');
      return words.some((w) => msg.toLowerCase().includes(w)) ? null : `message does not say what is wrong: ${clip(msg, 160)}`;
    };

    add('multipart control: one PNG file part', mpReq(CT, form(filePart(), close())), { expect: [200] });
    add('multipart control: quoted boundary', mpReq(`multipart/form-data; boundary="${bnd}"`, form(filePart(), close())), { expect: [200] });
    add('multipart control: preamble and epilogue are ignored (RFC 2046)', mpReq(CT, form(Buffer.from(`preamble text${CRLF}`), filePart(), close(), Buffer.from('epilogue \x00\xff bytes'))), { expect: [200] });
    add('multipart control: 70-character boundary (the RFC 2046 maximum)', mpReq(`multipart/form-data; boundary=${'b'.repeat(70)}`, form(filePart('b'.repeat(70)), close('b'.repeat(70)))), { expect: [200] });
    add('multipart control: transport padding after the delimiter', mpReq(CT, form(Buffer.from(`--${bnd} \t${CRLF}Content-Disposition: form-data; name="file"; filename="a.png"${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [200] });

    add('multipart: no boundary parameter', mpReq('multipart/form-data', form(filePart(), close())), { expect: mustName(['boundary']) });
    add('multipart: empty boundary', mpReq('multipart/form-data; boundary=', form(filePart(''), close(''))), { expect: mustName(['boundary']) });
    add('multipart: 71-character boundary (over RFC 2046\'s 70)', mpReq(`multipart/form-data; boundary=${'b'.repeat(71)}`, form(filePart('b'.repeat(71)), close('b'.repeat(71)))), { expect: mustName(['boundary']) });
    add('multipart: 5,000-character boundary', mpReq(`multipart/form-data; boundary=${'b'.repeat(5000)}`, form(filePart('b'.repeat(5000)), close('b'.repeat(5000)))), { expect: [400, 431] });
    add('multipart: boundary with a forbidden character', mpReq('multipart/form-data; boundary=ab<c>', form(filePart('ab<c>'), close('ab<c>'))), { expect: mustName(['boundary']) });
    add('multipart: boundary ending in a space', mpReq('multipart/form-data; boundary="abc "', form(filePart('abc '), close('abc '))), { expect: mustName(['boundary']) });
    add('multipart: boundary never appears in the body', mpReq(CT, form(filePart('other'), close('other'))), { expect: mustName(['boundary', 'no parts']) });
    add('multipart: empty body (0 bytes)', mpReq(CT, Buffer.alloc(0)), { expect: [400] });
    add('multipart: close delimiter only (0 parts)', mpReq(CT, close()), { expect: [400] });
    add('multipart: unterminated (no close delimiter)', mpReq(CT, filePart()), { expect: mustName(['unterminated', 'close delimiter']) });
    add('multipart: cut inside the part headers', mpReq(CT, Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-da`)), { expect: [400] });
    add('multipart: cut inside the file data', mpReq(CT, filePart().subarray(0, 120)), { expect: [400] });
    add('multipart: garbage after the delimiter instead of CRLF', mpReq(CT, form(Buffer.from(`--${bnd}garbage${CRLF}`), filePart(), close())), { expect: [400] });
    add('multipart: bare LF line ends', mpReq(CT, Buffer.from(form(filePart(), close()).toString('latin1').replaceAll(CRLF, '\n'), 'latin1')), { expect: [400] });
    add('multipart: part without Content-Disposition', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Type: image/png${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: mustName(['content-disposition']) });
    add('multipart: Content-Disposition without a name', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-data; filename="a.png"${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [400] });
    add('multipart: Content-Disposition attachment, not form-data', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Disposition: attachment; name="file"${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [400] });
    add('multipart: part header line with no colon', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-data; name="file"; filename="a.png"${CRLF}NoColonHere${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [400] });
    add('multipart: 20 KB part header section', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-data; name="file"; filename="a.png"${CRLF}X-Pad: ${'p'.repeat(20000)}${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [400] });
    add('multipart: NUL in a part header', mpReq(CT, form(Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-data; name="fi\x00le"; filename="a.png"${CRLF}${CRLF}`), PNG, Buffer.from(CRLF), close())), { expect: [400] });
    add('multipart: 1,000 parts', mpReq(CT, form(filePart(), ...Array.from({ length: 999 }, (_, i) => field(`x${i}`, 'v')), close())), { expect: mustName(['parts', 'field']) });
    add('multipart: 1,000 empty parts', mpReq(CT, form(...Array.from({ length: 1000 }, () => Buffer.from(`--${bnd}${CRLF}Content-Disposition: form-data; name="e"${CRLF}${CRLF}${CRLF}`)), close())), { expect: [400] });
    add('multipart: two file parts', mpReq(CT, form(filePart(), filePart(), close())), { expect: mustName(['file', 'duplicate', 'more than once']) });
    add('multipart: id given twice', mpReq(CT, form(filePart(), field('id', 'one'), field('id', 'two'), close())), { expect: mustName(['id']) });
    add('multipart: metadata given twice', mpReq(CT, form(filePart(), field('metadata', '{}'), field('metadata', '{}'), close())), { expect: mustName(['metadata']) });
    add('multipart: requireSignedURLs given twice', mpReq(CT, form(filePart(), field('requireSignedURLs', 'false'), field('requireSignedURLs', 'true'), close())), { expect: mustName(['requiresignedurls']) });
    add('multipart: file and url together', mpReq(CT, form(filePart(), field('url', 'http://127.0.0.1/x.png'), close())), { expect: mustName(['file', 'url']) });
    add('multipart: neither file nor url', mpReq(CT, form(field('id', 'lonely'), close())), { expect: mustName(['file', 'url']) });
    add('multipart: metadata that is not JSON', mpReq(CT, form(filePart(), field('metadata', '{not json'), close())), { expect: mustName(['metadata']) });
    add('multipart: metadata over 1024 bytes', mpReq(CT, form(filePart(), field('metadata', JSON.stringify({ k: 'v'.repeat(1100) })), close())), { expect: [400, 413] });
    add('multipart: requireSignedURLs not a boolean', mpReq(CT, form(filePart(), field('requireSignedURLs', 'maybe'), close())), { expect: mustName(['requiresignedurls']) });
    add('multipart: file part holding text, labelled image/png', mpReq(CT, form(filePart(bnd, 'file', Buffer.from('just text, not an image')), close())), { expect: (r) => (r.status === 415 || r.status === 400 ? null : `expected 415 or 400, got ${r.status}`) });
    add('multipart: empty file part', mpReq(CT, form(filePart(bnd, 'file', Buffer.alloc(0)), close())), { expect: (r) => (r.status >= 400 && r.status < 500 ? null : `expected a 4xx, got ${r.status}`) });
    add('multipart: nested multipart/mixed as the file', mpReq(CT, form(filePart(bnd, 'file', Buffer.from(`--inner${CRLF}Content-Type: image/png${CRLF}${CRLF}x${CRLF}--inner--`), 'multipart/mixed'), close())), { expect: (r) => (r.status === 415 || r.status === 400 ? null : `expected 415 or 400, got ${r.status}`) });
    add('multipart: Content-Length larger than the body sent', mpReq(CT, form(filePart(), close()), [['Content-Length', '999999']]), { expect: ['reject'] });
    add('multipart: labelled application/x-www-form-urlencoded', mpReq('application/x-www-form-urlencoded', 'file=abc'), { expect: [400, 415] });
  }

  // ---------------------------------------------------------------- DNS record bodies
  {
    const dnsRt = jsonRoutes[jsonRoutes.length - 1];
    const rec = (o) => JSON.stringify({ type: 'A', name: `r1-${hex32().slice(0, 8)}`, content: '192.0.2.1', ...o });
    for (const [label, body] of [
      ['type a number', rec({ type: 1 })],
      ['type null', rec({ type: null })],
      ['name an object', rec({ name: { a: 1 } })],
      ['name 300 characters', rec({ name: 'n'.repeat(300) })],
      ['content an array', rec({ content: ['192.0.2.1'] })],
      ['content 10,000 characters', rec({ type: 'TXT', content: 't'.repeat(10000) })],
      ['ttl a string', rec({ ttl: '3600' })],
      ['ttl 1e400', rec({ ttl: 1e400 }).replace('null', '1e400')],
      ['ttl negative', rec({ ttl: -1 })],
      ['ttl a fraction', rec({ ttl: 60.5 })],
      ['proxied a string', rec({ proxied: 'true' })],
      ['priority -1 on MX', rec({ type: 'MX', content: 'mx.example.com', priority: -1 })],
      ['priority 65536 on MX', rec({ type: 'MX', content: 'mx.example.com', priority: 65536 })],
      ['data an array on SRV', rec({ type: 'SRV', content: undefined, data: [] })],
      ['data with a string port', rec({ type: 'SRV', content: undefined, data: { priority: 1, weight: 1, port: '80', target: 'x.example.com' } })],
      ['data nested 64 deep', rec({ type: 'CAA', content: undefined, data: JSON.parse('{"a":'.repeat(64) + '1' + '}'.repeat(64)) })],
      ['tags not an array', rec({ tags: 'a:b' })],
      ['tags of numbers', rec({ tags: [1, 2] })],
      ['comment an object', rec({ comment: {} })],
      ['NUL in content', rec({ type: 'TXT', content: 'a\u0000b' })],
    ])
      add(`DNS record body: ${label}`, jsonReq(dnsRt, body), { expect: (r) => (r.status === 400 ? null : `expected 400, got ${r.status}`) });
    add('DNS record body: control', jsonReq(dnsRt, rec({})), { expect: [200] });
  }

  // ---------------------------------------------------------------- DNS list queries
  // Filters whose text reaches SQL (bound, never spliced) and the tag/search forms: a malformed
  // one is a 400 (1004), a hostile one a plain answer, never a 5xx.
  {
    const list = `${V4}/zones/${dnsZone}/dns_records`;
    const bad400 = (r) => (r.status === 400 ? null : `expected 400, got ${r.status}`);
    const ok200 = (r) => (r.status === 200 ? null : `expected 200, got ${r.status}`);
    for (const [label, query, expect] of [
      ['tag.exact without a value', 'tag.exact=novalue', bad400],
      ['tag.contains without a name', 'tag.contains=:x', bad400],
      ['tag.present empty', 'tag.present=', bad400],
      ['tag_match neither all nor any', 'tag_match=some', bad400],
      ['match neither all nor any', 'match=%00', bad400],
      ['tag of 300 characters', `tag=${'t'.repeat(300)}`, bad400],
      ['search of 300 characters', `search=${'s'.repeat(300)}`, bad400],
      ['type not a DNS type', 'type=SPF', bad400],
      ['tag with SQL quotes', `tag=${encodeURIComponent("x'); DROP TABLE dns_records; --:y")}`, ok200],
      ['tag.startswith with LIKE wildcards', 'tag.startswith=%25:%25_', ok200],
      ['search with SQL quotes', `search=${encodeURIComponent("' OR 1=1 --")}`, ok200],
      ['search with NUL and CRLF', 'search=%00%0d%0a', ok200],
      ['search of raw UTF-8', `search=${encodeURIComponent('ü€😀')}`, ok200],
      ['search with a lone surrogate', 'search=%ED%A0%80', null],
      ['tag.absent with a bad escape', 'tag.absent=%zz', null],
      ['500 tag filters', Array.from({ length: 500 }, (_, i) => `tag.present=t${i}`).join('&'), ok200],
      ['500 tag filters, tag_match=any', `${Array.from({ length: 500 }, (_, i) => `tag.exact=t${i}:v`).join('&')}&tag_match=any&match=any&name=x`, ok200],
      ['every filter at once', 'name.contains=a&content.endswith=b&comment.present&proxied=false&tag=k&tag.absent=j&tag.contains=k:v&search=z&match=any&tag_match=any&order=ttl&direction=desc', ok200],
    ])
      add(`DNS list query: ${label}`, goodHead(`GET ${list}?${query} HTTP/1.1`), expect ? { expect } : {});
  }

  // ---------------------------------------------------------------- HTTP/1.0 and pipelining
  add('HTTP/1.0 GET, no Host', `GET ${verify} HTTP/1.0\r\n${A}\r\n\r\n`, { expect: [200], halfClose: false });
  add('HTTP/1.0 GET, keep-alive', `GET ${verify} HTTP/1.0\r\n${A}\r\nConnection: keep-alive\r\n\r\n`, { expect: [200] });
  {
    const z = zoneBody();
    add('HTTP/1.0 POST with Content-Length', `POST ${V4}/zones HTTP/1.0\r\n${A}\r\nContent-Type: application/json\r\nContent-Length: ${z.length}\r\n\r\n${z}`, { expect: [200] });
  }
  add('HTTP/1.0 POST without Content-Length (body until close)', `POST ${V4}/zones HTTP/1.0\r\n${A}\r\nContent-Type: application/json\r\n\r\n{"name":"x"}`, { expect: ['reject'] });
  add('HTTP/1.0 without the version minor', `GET ${verify} HTTP/1\r\n${A}\r\n\r\n`, { expect: ['reject'] });
  add('HTTP/0.9 style request', `GET ${verify}\r\n`, { expect: ['reject'] });
  const pipe = (n) => Array.from({ length: n }, () => `GET ${verify} HTTP/1.1\r\n${H}\r\n${A}\r\n\r\n`).join('');
  for (const n of [2, 10, 100]) {
    add(`pipelining: ${n} GETs in one write`, pipe(n), {
      expect: (r) => (r.responses.length === n && r.responses.every((x) => x.status === 200) ? null : `expected ${n} × 200, got ${r.responses.map((x) => x.status).join(',')}`),
    });
  }
  add('pipelining: GET, garbage, GET (answers stop at the garbage)', `${pipe(1)}GARBAGE\r\n\r\n${pipe(1)}`, {
    expect: (r) => (r.responses.length >= 1 && r.responses[0].status === 200 && r.responses.slice(1).every((x) => x.status === 400) && r.responses.length <= 2 ? null : `got ${r.responses.map((x) => x.status).join(',')}`),
  });
  add('pipelining: POST with body then GET', `${postZones([`Content-Length: ${goodZone.length}`], zoneBody())}${pipe(1)}`, {
    expect: (r) => (r.responses.length === 2 && r.responses[1].status === 200 ? null : `got ${r.responses.map((x) => x.status).join(',')}`),
  });
  add('pipelining: 50 GETs sent one byte-burst at a time', [...pipe(50).match(/[\s\S]{1,97}/g)], {
    gapMs: 0,
    expect: (r) => (r.responses.length === 50 ? null : `expected 50 answers, got ${r.responses.length}`),
  });
  add('pipelining: request split mid-header across writes', [`GET ${verify} HTTP/1.1\r\nHo`, `st: x\r\n${A}\r\n`, '\r\n'], { gapMs: 50, expect: [200] });

  // ---------------------------------------------------------------- run
  t.measure('cases_planned', cases.length);
  let executed = 0;
  const crashes = [];
  const fivexx = [];
  for (const c of cases) {
    const r = await sendRaw(server.port, c.bytes, { timeoutMs: 2000, gapMs: c.gapMs ?? 0, halfClose: c.halfClose ?? true });
    executed++;
    const problems = [];
    if (r.connectError) problems.push(`could not connect: ${r.connectError}`);
    if (r.elapsedMs === null) problems.push('no answer and no close within 2 s of the last byte sent');
    for (const x of r.responses) if (x.status >= 500) problems.push(`5xx: ${x.status}`);
    if (r.responses.some((x) => x.status >= 500)) fivexx.push(c.name);
    if (r.parseError && r.responses.length === 0 && r.raw.length > 0) problems.push(`unparseable response bytes: ${r.parseError}`);
    if (c.api) {
      for (const x of r.responses) {
        if (x.head) {
          // A response to HEAD carries the GET's header fields and no body (RFC 9110 §9.3.2):
          // the envelope cannot be checked, its Content-Type can, and nothing may follow.
          if (!/json/i.test(x.headers['content-type'] || '')) problems.push(`HEAD answer ${x.status} without a JSON Content-Type`);
          if (r.extraBytes > 0 || (r.parseError && r.closed)) problems.push(`bytes after the HEAD answer (a body?): ${r.parseError || `${r.extraBytes} bytes`}`);
          continue;
        }
        const e = x.json ? envelopeProblem(x.json) : 'body is not JSON';
        if (e) problems.push(`answer ${x.status} is not a Cloudflare envelope: ${e}`);
      }
    }
    const exp = c.expect;
    if (Array.isArray(exp)) {
      if (exp[0] === 'reject') {
        if (r.status !== undefined && r.status < 400) problems.push(`expected a refusal (4xx or a close), got ${r.status}`);
      } else if (r.status === undefined) {
        if (!exp.includes(null)) problems.push(`expected ${exp.join('/')}, got no answer (closed=${r.closed})`);
      } else if (!exp.includes(r.status)) problems.push(`expected ${exp.filter((x) => x !== null).join('/')}, got ${r.status}`);
    } else if (typeof exp === 'function') {
      const p = exp(r);
      if (p) problems.push(p);
    }
    // Liveness: the same process, still answering.
    let alive = server.alive();
    if (alive) {
      const h = await request(server.port, 'GET', '/healthz', { timeoutMs: 2000 }).catch(() => null);
      if (!h || h.status !== 200) {
        problems.push(`/healthz after the case: ${h ? h.status : 'no answer'}`);
        alive = server.alive();
      }
    }
    if (!alive) {
      await server.waitExit(500);
      problems.push(`server process died: ${JSON.stringify(server.exitInfo)}`);
      crashes.push(c.name);
    }
    const reqText = Buffer.isBuffer(c.bytes) || !Array.isArray(c.bytes) ? c.bytes : c.bytes.join('');
    t.check(`R1 ${c.name}`, problems.length === 0, () => `${problems.join('; ')}\nrequest (${Buffer.byteLength(Buffer.isBuffer(reqText) ? reqText : String(reqText), 'latin1')} bytes): ${clip(reqText, 300)}\nresponse: ${r.status !== undefined ? `${r.status} ${clip(r.body, 400)}` : 'none'}; closed=${r.closed}${r.reset ? ' (reset)' : ''} elapsedMs=${r.elapsedMs} responses=${r.responses.length}${!alive ? `\n--- server log ---\n${server.logTail(10)}` : ''}`);
    if (!alive) server = await server.restart();
  }
  console.log(`R1: ${executed} malformed-request cases executed`);
  t.measure('cases_executed', executed);
  t.measure('crashes', crashes);
  t.measure('responses_5xx', fivexx);

  t.check('R1 executed at least 200 cases', executed >= 200, `only ${executed}`);
  const h = await request(server.port, 'GET', '/healthz').catch(() => null);
  t.check('server healthy at the end', h?.status === 200, h ? `${h.status} ${h.body}` : 'no answer');
  const v = await request(server.port, 'GET', verify, { token: T }).catch(() => null);
  t.check('API still serves a normal request at the end', v?.status === 200 && v.json?.success === true, v ? `${v.status} ${clip(v.body)}` : 'no answer');
  t.check('server process still alive with the same PID (since the last restart)', server.alive() && server.serverJson.pid === server.pid, JSON.stringify(server.exitInfo));
  const stopped = await server.stop();
  t.check('server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
});
