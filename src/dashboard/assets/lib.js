// What every page of the dashboard shares: the v4 API client (the session cookie plus its CSRF
// token), element building that only ever sets text, copy buttons, field errors and paging.
// Pages never read the store: everything goes through the public API with the session's rights.

export const session = { csrf: '', user: null, accounts: [] };

function errorOf(json, status) {
  const e = json && Array.isArray(json.errors) && json.errors[0];
  return e ? { code: e.code, message: e.message, pointer: e.source && e.source.pointer } : { code: 0, message: `HTTP ${status}` };
}

// One call of the v4 API (or /dashboard/api). body: a plain object (sent as JSON) or FormData.
// Resolves to { ok, status, json, result, error: { code, message, pointer } }; never throws for an
// HTTP error, so every page shows the API's own words.
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = session.csrf;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch (e) {
    return { ok: false, status: 0, json: null, result: null, error: { code: 0, message: `Network error: ${e.message}` } };
  }
  let json = null;
  try { json = await res.json(); } catch { /* not JSON */ }
  const ok = res.ok && json !== null && json.success !== false;
  // The page's only credential is the session cookie: a 401 from the v4 API means the session
  // ended (idle, signed out elsewhere, server restarted). The shell shows the sign-in form.
  if (res.status === 401 && path.startsWith('/client/v4/') && session.user) window.dispatchEvent(new Event('nubis:signed-out'));
  return { ok, status: res.status, json, result: json ? json.result : null, error: ok ? null : errorOf(json, res.status) };
}

// A multipart upload with progress (fetch reports none): onProgress(fraction 0..1).
export function upload(path, form, onProgress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('X-CSRF-Token', session.csrf);
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); });
    const done = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      const ok = xhr.status >= 200 && xhr.status < 300 && json !== null && json.success !== false;
      resolve({ ok, status: xhr.status, json, result: json ? json.result : null, error: ok ? null : errorOf(json, xhr.status) });
    };
    xhr.addEventListener('load', done);
    xhr.addEventListener('error', () => resolve({ ok: false, status: 0, json: null, result: null, error: { code: 0, message: 'Network error' } }));
    xhr.send(form);
  });
}

// Every item of a paged v4 list, page by page up to result_info.total_pages (or, without it, to
// an empty page, as the SDK does); at most `max` items (truncated: true when there were more).
export async function listAll(path, perPage = 50, max = 1000) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page++) {
    const res = await api('GET', `${path}${sep}page=${page}&per_page=${perPage}`);
    if (!res.ok) return { ok: false, error: res.error, items };
    const rows = Array.isArray(res.result) ? res.result : [];
    items.push(...rows);
    const info = res.json.result_info;
    const last = info && info.total_pages ? page >= info.total_pages : rows.length === 0;
    if (last || rows.length === 0) return { ok: true, items: items.slice(0, max), truncated: items.length > max };
    if (items.length >= max) return { ok: true, items: items.slice(0, max), truncated: true };
  }
}

// h('p', { class: 'x', for: 'id', onclick: fn }, 'text', child, ...): an element whose strings are
// text nodes, never markup. Attributes named on* become listeners; `hidden`, `disabled`,
// `checked`, `selected` and `value` are set as properties.
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (['hidden', 'disabled', 'checked', 'selected', 'value', 'multiple'].includes(k)) el[k] = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  el.append(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

// Ids for label/control pairs and dialogs (several forms can be on one page).
let uidCount = 0;
export const uid = (name) => `ui-${name}-${++uidCount}`;

// A modal confirmation (<dialog>): resolves true only when the user picks the action. The safe
// choice comes first and has the focus, so Enter or Escape never destroys anything; focus goes
// back to where it was.
export function confirmDialog({ title, text, action, cancel = 'Cancel', danger = true }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = uid('dialog-title');
    const textId = uid('dialog-text');
    const no = h('button', { type: 'button' }, cancel);
    const yes = h('button', { type: 'button', class: danger ? 'danger' : 'primary' }, action);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': titleId, 'aria-describedby': textId },
      h('h2', { id: titleId }, title), h('p', { id: textId }, text), h('div', { class: 'actions' }, no, yes));
    const done = (value) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(value);
    };
    no.addEventListener('click', () => done(false));
    yes.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}

// For lists reloaded by pager clicks and filters: an older answer arriving after a newer request
// must not overwrite it. const loads = latest(); … const t = loads.next(); await …;
// if (!loads.is(t)) return;
export function latest() {
  let n = 0;
  return { next: () => ++n, is: (t) => t === n };
}

export function copyButton(text, label) {
  const b = h('button', { type: 'button', class: 'copy', 'aria-label': `Copy ${label}` }, 'Copy');
  b.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(typeof text === 'function' ? text() : text); b.textContent = 'Copied'; } catch { b.textContent = 'Select and copy'; }
    setTimeout(() => { b.textContent = 'Copy'; }, 1500);
  });
  return b;
}

export function idRow(label, value) {
  return h('p', { class: 'id-row' }, h('span', {}, `${label}:`), h('code', {}, value), copyButton(value, label));
}

// A message in words, announced at once: what went wrong (usually the API's own message).
export const alertLine = (message) => h('p', { class: 'error', role: 'alert' }, message);

// An error paragraph (role=alert) to place next to a field or form; set(message) / clear().
export function errorLine(id) {
  // Focusable from script (tabindex -1), so a form can move the focus to its first mistake.
  const p = h('p', { class: 'error', role: 'alert', id, hidden: true, tabindex: '-1' });
  p.set = (message) => { p.textContent = message; p.hidden = !message; };
  p.clear = () => p.set('');
  return p;
}

export function emptyState(text, ...more) {
  return h('div', { class: 'empty' }, h('p', {}, text), ...more);
}

// The session's accounts, read again (after sign-in, or after accepting an invitation); the
// shell's account picker follows through the 'nubis:accounts' event.
export async function refreshAccounts() {
  const res = await listAll('/client/v4/accounts');
  session.accounts = res.items;
  window.dispatchEvent(new Event('nubis:accounts'));
}

// The account the account-scoped pages act on: the one chosen in the header, else the first.
export function currentAccount() {
  const id = sessionStorage.getItem('nubis.account');
  return session.accounts.find((a) => a.id === id) || session.accounts[0] || null;
}

export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = hash;
}

export function formatDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC');
}

// An accessible pager for a v4 list's result_info: onPage(page).
export function pager(info, onPage) {
  if (!info) return h('nav', { hidden: true });
  const page = info.page || 1;
  const pages = info.total_pages || Math.max(1, Math.ceil((info.total_count || 0) / (info.per_page || 1)));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', disabled: page <= 1, onclick: () => onPage(page - 1) }, 'Previous'),
    h('span', {}, `Page ${page} of ${pages}`),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => onPage(page + 1) }, 'Next'));
}
