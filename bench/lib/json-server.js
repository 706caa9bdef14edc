// The "what a user might reach for" peer: one node:http process answering
// GET /client/v4/user/tokens/verify with the bytes of $BODY_FILE (the body
// captured from Nubis) when "Authorization: Bearer $BENCH_TOKEN" is sent,
// 401 otherwise. Listens on 127.0.0.1:$PORT (0 = any free port) and prints
// "listening <port>" once bound.
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const body = fs.readFileSync(process.env.BODY_FILE);
const expected = 'Bearer ' + process.env.BENCH_TOKEN;
const server = http.createServer((req, res) => {
  if (req.url !== '/client/v4/user/tokens/verify') { res.writeHead(404).end(); return; }
  if (req.headers.authorization !== expected) { res.writeHead(401).end(); return; }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
