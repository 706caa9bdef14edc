// The dashboard: it signs in at /dashboard/api/session and then acts only through the public
// v4 API with the session cookie, sending the session's CSRF token on every call but a read.
// Everything shown is set with textContent: names, ids and messages from the API stay text.

const $ = (id) => document.getElementById(id);
let csrf = '';

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  let json = null;
  try { json = await res.json(); } catch { /* not JSON */ }
  const message = json && json.errors && json.errors[0] ? json.errors[0].message : `HTTP ${res.status}`;
  return { ok: res.ok && json && json.success !== false, status: res.status, json, message };
}

function show(section) {
  for (const id of ['sign-in', 'overview']) $(id).hidden = id !== section;
  $('sign-out').hidden = section !== 'overview';
  $('who').hidden = section !== 'overview';
}

function copyButton(text, label) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = 'Copy';
  b.setAttribute('aria-label', `Copy ${label}`);
  b.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(text); b.textContent = 'Copied'; } catch { b.textContent = 'Select and copy'; }
    setTimeout(() => { b.textContent = 'Copy'; }, 1500);
  });
  return b;
}

function idRow(label, value) {
  const row = document.createElement('p');
  row.className = 'id-row';
  const name = document.createElement('span');
  name.textContent = `${label}:`;
  const code = document.createElement('code');
  code.textContent = value;
  row.append(name, code, copyButton(value, label));
  return row;
}

async function overview(user) {
  $('who').textContent = user.email;
  show('overview');
  const accounts = await api('GET', '/client/v4/accounts?per_page=50');
  const box = $('accounts');
  box.replaceChildren();
  for (const a of accounts.ok ? accounts.json.result : []) {
    const h = document.createElement('h2');
    h.textContent = a.name;
    box.append(h, idRow('Account ID', a.id));
  }
  const zones = await api('GET', '/client/v4/zones?per_page=50');
  const rows = zones.ok ? zones.json.result : [];
  $('zones-empty').hidden = rows.length > 0;
  $('zones').hidden = rows.length === 0;
  const body = $('zones').tBodies[0];
  body.replaceChildren();
  for (const z of rows) {
    const tr = body.insertRow();
    tr.insertCell().textContent = z.name;
    tr.insertCell().textContent = z.status;
    const cell = tr.insertCell();
    const code = document.createElement('code');
    code.textContent = z.id;
    cell.append(code, ' ', copyButton(z.id, `Zone ID of ${z.name}`));
  }
}

$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const err = $('sign-in-error');
  err.hidden = true;
  const res = await api('POST', '/dashboard/api/session', { email: $('email').value, password: $('password').value });
  if (!res.ok) {
    err.textContent = res.message;
    err.hidden = false;
    $('password').focus();
    return;
  }
  csrf = res.json.result.csrf_token;
  $('password').value = '';
  await overview(res.json.result.user);
});

$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/dashboard/api/session');
  csrf = '';
  show('sign-in');
  $('email').focus();
});

const session = await api('GET', '/dashboard/api/session');
if (session.ok) {
  csrf = session.json.result.csrf_token;
  await overview(session.json.result.user);
} else {
  show('sign-in');
  $('email').focus();
}
