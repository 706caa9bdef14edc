// R2 — request smuggling (RELIABILITY.md §7, RFC 9112 §6.1/§6.3). Each case sends a request whose
// framing could be read two ways, immediately followed ON THE SAME CONNECTION by a canary: a
// POST /client/v4/zones (with the admin token) creating a uniquely named zone. Pass per case:
//   - the first request is refused (4xx; 501 also accepted for an unknown transfer coding),
//   - exactly one answer comes back (the canary is never answered),
//   - the server itself closes the connection within 2 s (we do not half-close),
//   - afterwards GET /zones?name=<canary> finds nothing.
// Two controls prove the canary would be executed if the first request were accepted: the canary
// alone creates its zone, and a well-formed request followed by the canary gets both answered.

import { runScript, startServer, sendRaw, request, apiOk, clip, hex32, describe } from './lib.mjs';

runScript('r2_smuggling', async (t) => {
  let server = await startServer();
  const B = server.bootstrap;
  const T = server.token;
  const acct = B.account_id;
  const A = `Authorization: Bearer ${T}`;

  const canary = (name) => {
    const body = JSON.stringify({ name, account: { id: acct } });
    return `POST /client/v4/zones HTTP/1.1\r\nHost: x\r\n${A}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  };
  const newName = (tag) => `r2-${tag}-${hex32().slice(0, 12)}-example.com`;
  const zoneExists = async (name) => {
    const j = await apiOk(server, 'GET', `/zones?name=${encodeURIComponent(name)}`);
    return j.result.some((z) => z.name === name);
  };
  const head = (lines, method = 'POST', target = '/client/v4/zones', version = '1.1') =>
    `${method} ${target} HTTP/${version}\r\n${version === '1.1' ? 'Host: x\r\n' : ''}${A}\r\nContent-Type: application/json\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;

  // ---- controls --------------------------------------------------------------------------
  {
    const name = newName('control-alone');
    const r = await sendRaw(server.port, canary(name), { halfClose: true });
    t.check('control: the canary alone is answered 200', r.status === 200, describe(canary(name), r));
    t.check('control: the canary alone creates its zone', await zoneExists(name), `zone ${name} not found`);
  }
  {
    const name = newName('control-pipelined');
    const first = `GET /client/v4/user/tokens/verify HTTP/1.1\r\nHost: x\r\n${A}\r\n\r\n`;
    const r = await sendRaw(server.port, first + canary(name), { halfClose: true });
    t.check('control: a valid request followed by the canary gets two answers', r.responses.length === 2 && r.responses[1].status === 200, `answers: ${r.responses.map((x) => x.status).join(',')}`);
    t.check('control: the pipelined canary creates its zone', await zoneExists(name), `zone ${name} not found`);
  }

  // ---- cases -----------------------------------------------------------------------------
  // Each: [label, builder(first, canary) → bytes, allow501]. `first` is a valid zone-creation
  // body of its own (another unique name): under at least one reading of the framing the first
  // request would succeed, so a refusal is the framing's doing, and that zone must not exist
  // afterwards either.
  const chunkOf = (j) => `${Buffer.byteLength(j).toString(16)}\r\n${j}\r\n0\r\n\r\n`;
  const cases = [
    // CL.TE: Content-Length spans the canary, chunked ends before it.
    ['CL.TE: Content-Length spans the canary, chunked ends first', (j, c) => head([`Content-Length: ${chunkOf(j).length + c.length}`, 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    ['CL.TE: Transfer-Encoding first, then Content-Length', (j, c) => head(['Transfer-Encoding: chunked', `Content-Length: ${chunkOf(j).length + c.length}`]) + chunkOf(j) + c],
    // TE.CL: the canary sits inside a chunk; Content-Length ends before it.
    ['TE.CL: canary inside a chunk, Content-Length short', (j, c) => head(['Transfer-Encoding: chunked', 'Content-Length: 4']) + `${c.length.toString(16)}\r\n${c}\r\n0\r\n\r\n`],
    ['CL + TE: Content-Length 5', (j, c) => head(['Content-Length: 5', 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    ['CL + TE: Content-Length 0', (j, c) => head(['Content-Length: 0', 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    ['CL + TE: Content-Length equal to the chunked body', (j, c) => head([`Content-Length: ${chunkOf(j).length}`, 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    // Duplicate, contradictory Content-Length.
    ['duplicate Content-Length N then 0', (j, c) => head([`Content-Length: ${j.length}`, 'Content-Length: 0']) + j + c],
    ['duplicate Content-Length 0 then N', (j, c) => head(['Content-Length: 0', `Content-Length: ${j.length}`]) + j + c],
    ['duplicate Content-Length N then N + canary', (j, c) => head([`Content-Length: ${j.length}`, `Content-Length: ${j.length + c.length}`]) + j + c],
    ['Content-Length list "N, 0"', (j, c) => head([`Content-Length: ${j.length}, 0`]) + j + c],
    ['Content-Length list "0, N"', (j, c) => head([`Content-Length: 0, ${j.length}`]) + j + c],
    // Transfer-Encoding variants (alone: no Content-Length).
    ['TE "chunked, identity"', (j, c) => head(['Transfer-Encoding: chunked, identity']) + chunkOf(j) + c, true],
    ['TE "identity, chunked"', (j, c) => head(['Transfer-Encoding: identity, chunked']) + chunkOf(j) + c, true],
    ['TE "Chunked"', (j, c) => head(['Transfer-Encoding: Chunked']) + chunkOf(j) + c, true],
    ['TE "CHUNKED"', (j, c) => head(['Transfer-Encoding: CHUNKED']) + chunkOf(j) + c, true],
    ['TE "xchunked"', (j, c) => head(['Transfer-Encoding: xchunked']) + chunkOf(j) + c, true],
    ['TE "chunkedx"', (j, c) => head(['Transfer-Encoding: chunkedx']) + chunkOf(j) + c, true],
    ['TE "chunked;q=1"', (j, c) => head(['Transfer-Encoding: chunked;q=1']) + chunkOf(j) + c, true],
    ['TE "identity"', (j, c) => head(['Transfer-Encoding: identity']) + j + c, true],
    ['TE "gzip, chunked"', (j, c) => head(['Transfer-Encoding: gzip, chunked']) + chunkOf(j) + c, true],
    ['TE "chunked, chunked"', (j, c) => head(['Transfer-Encoding: chunked, chunked']) + chunkOf(j) + c, true],
    ['TE empty value', (j, c) => head(['Transfer-Encoding:']) + chunkOf(j) + c, true],
    ['TE twice: chunked + chunked', (j, c) => head(['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    ['TE twice: chunked + identity', (j, c) => head(['Transfer-Encoding: chunked', 'Transfer-Encoding: identity']) + chunkOf(j) + c],
    ['TE twice: identity + chunked', (j, c) => head(['Transfer-Encoding: identity', 'Transfer-Encoding: chunked']) + chunkOf(j) + c],
    // Obfuscated TE next to a Content-Length that spans the canary (front-end/back-end disagreement).
    ...[
      ['" chunked" (leading space)', 'Transfer-Encoding:  chunked'],
      ['"\\tchunked" (leading tab)', 'Transfer-Encoding:\tchunked'],
      ['"chunked " (trailing space)', 'Transfer-Encoding: chunked '],
      ['"xchunked"', 'Transfer-Encoding: xchunked'],
      ['"Chunked"', 'Transfer-Encoding: Chunked'],
      ['"chunked, identity"', 'Transfer-Encoding: chunked, identity'],
      ['via obs-fold', 'Transfer-Encoding:\r\n chunked'],
      ['with space before the colon', 'Transfer-Encoding : chunked'],
      ['on a line starting with a space', ' Transfer-Encoding: chunked'],
      ['with a NUL', 'Transfer-Encoding: chunked\x00'],
      ['with a bare CR', 'Transfer-Encoding: chunked\rX: y'],
    ].map(([l, te]) => [`CL + TE ${l}`, (j, c) => head([`Content-Length: ${chunkOf(j).length + c.length}`, te]) + chunkOf(j) + c]),
    ['CL + TE "chunked" on a GET', (j, c) => head([`Content-Length: ${chunkOf(j).length + c.length}`, 'Transfer-Encoding: chunked'], 'GET', '/client/v4/user/tokens/verify') + chunkOf(j) + c],
    // HTTP/1.0 with Transfer-Encoding: RFC 9112 §6.1 — the framing MUST be treated as faulty and
    // the connection closed (an HTTP/1.0 front end does not know chunked and would forward the
    // canary as part of the body).
    ['HTTP/1.0 + TE chunked + keep-alive', (j, c) => head(['Connection: keep-alive', 'Transfer-Encoding: chunked'], 'POST', '/client/v4/zones', '1.0') + chunkOf(j) + c],
    ['HTTP/1.0 + TE chunked + CL + keep-alive', (j, c) => head(['Connection: keep-alive', `Content-Length: ${chunkOf(j).length + c.length}`, 'Transfer-Encoding: chunked'], 'POST', '/client/v4/zones', '1.0') + chunkOf(j) + c],
  ];

  const pending = [];
  let executed = 0;
  for (const [label, build, allow501] of cases) {
    const name = newName('canary');
    const firstName = newName('first');
    const first = JSON.stringify({ name: firstName, account: { id: acct } });
    const bytes = build(first, canary(name));
    const r = await sendRaw(server.port, bytes, { halfClose: false, timeoutMs: 2000 });
    executed++;
    const problems = [];
    const st = r.status;
    const refused = st !== undefined && ((st >= 400 && st < 500) || (allow501 && st === 501));
    if (!refused) problems.push(st === undefined ? 'no answer (expected a refusal)' : `first request not refused: ${st}`);
    if (r.responses.length > 1) problems.push(`${r.responses.length} answers: the canary was parsed as a request (${r.responses.map((x) => x.status).join(',')})`);
    if (!r.closed) problems.push('connection still open 2 s after the refusal');
    for (const x of r.responses) if (x.status >= 500 && !(allow501 && x.status === 501)) problems.push(`5xx: ${x.status}`);
    if (!server.alive()) problems.push(`server died: ${JSON.stringify(server.exitInfo)}`);
    t.check(`R2 ${label}: refused and closed`, problems.length === 0, () => `${problems.join('; ')}\n${describe(bytes, r)}\nall answers: ${r.responses.map((x) => `${x.status} ${clip(x.body, 200)}`).join(' || ')}`);
    pending.push({ label, name, firstName, bytes, r });
    if (!server.alive()) server = await server.restart();
  }
  // The canaries, checked after every case ran (a delayed execution would show up too).
  await new Promise((res) => setTimeout(res, 200));
  for (const p of pending) {
    const exists = await zoneExists(p.name);
    t.check(`R2 ${p.label}: canary zone never created`, !exists, () => `zone ${p.name} exists: the smuggled canary was executed\n${describe(p.bytes, p.r)}`);
    if (!p.bytes.includes(p.firstName)) continue; // this layout carries no first zone
    const firstExists = await zoneExists(p.firstName);
    t.check(`R2 ${p.label}: the ambiguous request's own zone never created`, !firstExists, () => `zone ${p.firstName} exists: the ambiguously framed request was executed\n${describe(p.bytes, p.r)}`);
  }
  console.log(`R2: ${executed} smuggling cases executed`);
  t.measure('cases_executed', executed);

  const h = await request(server.port, 'GET', '/healthz').catch(() => null);
  t.check('server healthy at the end', h?.status === 200, h ? `${h.status}` : 'no answer');
  t.check('server process still alive with the same PID (since the last restart)', server.alive() && server.serverJson.pid === server.pid, JSON.stringify(server.exitInfo));
  const stopped = await server.stop();
  t.check('server exits 0 on SIGTERM', stopped.code === 0 && !stopped.killed, JSON.stringify(stopped));
});
