// Create / edit an API token, as Cloudflare's dashboard does it (seed 003): permission rows of
// (Account | Zone | User, product, Read | Edit), the resources they apply to (include / exclude;
// a zone, all zones, all zones of an account; an account or all accounts), client IP filtering,
// TTL, then "Continue to summary" and "Create Token", and the secret shown once with the command
// that verifies it. The form builds the v4 body (POST or PUT /user/tokens) the way the dashboard
// does: one allow policy per resource kind, and a deny policy of the same groups for excludes.
import { alertLine, api, copyButton, errorLine, h, listAll, navigate, session } from './lib.js';
import { TEMPLATES, slug } from './token_templates.js';

const SCOPE = {
  'com.cloudflare.api.account': 'Account',
  'com.cloudflare.api.account.zone': 'Zone',
  'com.cloudflare.api.user': 'User',
};
const ACCOUNT_RES = 'com.cloudflare.api.account.';
const ZONE_RES = 'com.cloudflare.api.account.zone.';
const USER_RES = 'com.cloudflare.api.user.';
// The dashboard's product names where they differ from the API's group names.
const PRODUCT_LABEL = { Images: 'Cloudflare Images' };

// "DNS Write" -> { product: 'DNS', level: 'Edit' } (the dashboard says Edit where the API says Write).
function splitGroup(name) {
  const at = name.lastIndexOf(' ');
  if (at < 0) return { product: name, level: name };
  const product = name.slice(0, at);
  const word = name.slice(at + 1);
  return { product: PRODUCT_LABEL[product] || product, level: word === 'Write' ? 'Edit' : word };
}

// The catalog from GET /user/tokens/permission_groups: per scope, product -> level -> group.
async function loadCatalog() {
  const res = await api('GET', '/client/v4/user/tokens/permission_groups');
  if (!res.ok) return { error: res.error };
  const byScope = { Account: new Map(), Zone: new Map(), User: new Map() };
  const byId = new Map();
  for (const g of res.result) {
    const scope = SCOPE[(g.scopes || [])[0]];
    if (!scope) continue;
    const { product, level } = splitGroup(g.name);
    if (!byScope[scope].has(product)) byScope[scope].set(product, new Map());
    byScope[scope].get(product).set(level, g.id);
    byId.set(g.id, { ...g, scope, product, level });
  }
  for (const scope of Object.keys(byScope)) {
    byScope[scope] = new Map([...byScope[scope]].sort((a, b) => a[0].localeCompare(b[0])));
  }
  return { byScope, byId };
}

// The form's state for a template (or an empty custom token).
function fromTemplate(t, catalog) {
  const ids = t.groups === 'every Read'
    ? [...catalog.byId.values()].filter((g) => g.name.endsWith(' Read')).map((g) => g.id)
    : t.groups;
  const rows = ids.filter((id) => catalog.byId.has(id)).map((id) => {
    const g = catalog.byId.get(id);
    return { scope: g.scope, product: g.product, level: g.level };
  });
  return {
    name: t.name,
    rows,
    accounts: [{ effect: 'include', target: t.accounts === 'all' ? '*' : (session.accounts[0] || {}).id || '*' }],
    zones: [{ effect: 'include', kind: t.zones === 'all' ? 'all' : 'zone', id: '' }],
    ips: [{ op: 'in', value: '' }],
    notBefore: '',
    expiresOn: '',
  };
}

// The form's state for an existing token (edit): the reverse of toBody().
function fromToken(token, catalog) {
  const state = { name: token.name, rows: [], accounts: [], zones: [], ips: [], notBefore: '', expiresOn: '', status: token.status };
  const seen = new Set();
  for (const p of token.policies || []) {
    const effect = p.effect === 'deny' ? 'exclude' : 'include';
    for (const pg of p.permission_groups || []) {
      const g = catalog.byId.get(pg.id);
      if (!g || seen.has(g.id)) continue;
      seen.add(g.id);
      state.rows.push({ scope: g.scope, product: g.product, level: g.level });
    }
    for (const [key, value] of Object.entries(p.resources || {})) {
      if (key.startsWith(ZONE_RES)) {
        const id = key.slice(ZONE_RES.length);
        state.zones.push(id === '*' ? { effect, kind: 'all', id: '' } : { effect, kind: 'zone', id });
      } else if (key.startsWith(ACCOUNT_RES)) {
        const id = key.slice(ACCOUNT_RES.length);
        if (value !== null && typeof value === 'object') state.zones.push({ effect, kind: 'account', id });
        else state.accounts.push({ effect, target: id });
      }
    }
  }
  const ip = token.condition && (token.condition['request.ip'] || token.condition.request_ip);
  for (const v of (ip && ip.in) || []) state.ips.push({ op: 'in', value: v });
  for (const v of (ip && ip.not_in) || []) state.ips.push({ op: 'not_in', value: v });
  if (!state.accounts.length) state.accounts.push({ effect: 'include', target: '*' });
  if (!state.zones.length) state.zones.push({ effect: 'include', kind: 'zone', id: '' });
  if (!state.ips.length) state.ips.push({ op: 'in', value: '' });
  state.notBefore = (token.not_before || '').slice(0, 10);
  state.expiresOn = (token.expires_on || '').slice(0, 10);
  // The exact times as they are: the form edits dates, and a date left alone keeps its time.
  state.original = { notBefore: token.not_before || '', expiresOn: token.expires_on || '' };
  return state;
}

// Checks the form as a person would be told: { field: message }.
function problems(state, catalog) {
  const out = {};
  if (!state.name.trim()) out.name = 'Enter a token name.';
  const chosen = state.rows.filter((r) => r.product);
  if (!chosen.length) out.rows = 'Choose at least one permission.';
  if (chosen.some((r) => !groupOf(r, catalog))) out.rows = 'Choose a level (Read or Edit) for every permission.';
  if (chosen.some((r) => r.scope === 'Zone') && !state.zones.some((z) => z.effect === 'include' && (z.kind === 'all' || z.id)))
    out.zones = 'Choose the zone(s) this token may act on.';
  if (state.notBefore && state.expiresOn && state.expiresOn < state.notBefore) out.ttl = 'The end date is before the start date.';
  return out;
}

function groupOf(row, catalog) {
  const levels = catalog.byScope[row.scope].get(row.product);
  return levels ? levels.get(row.level) : undefined;
}

// The v4 body for POST / PUT /user/tokens.
function toBody(state, catalog) {
  const policies = [];
  const add = (ids, include, exclude) => {
    if (!ids.length) return;
    const groups = ids.map((id) => ({ id }));
    if (Object.keys(include).length) policies.push({ effect: 'allow', permission_groups: groups, resources: include });
    if (Object.keys(exclude).length) policies.push({ effect: 'deny', permission_groups: groups, resources: exclude });
  };
  const ids = (scope) => [...new Set(state.rows.filter((r) => r.scope === scope && r.product).map((r) => groupOf(r, catalog)).filter(Boolean))];
  const sides = () => ({ include: {}, exclude: {} });

  const acc = sides();
  for (const a of state.accounts) acc[a.effect][ACCOUNT_RES + (a.target || '*')] = '*';
  add(ids('Account'), acc.include, acc.exclude);

  const zon = sides();
  for (const z of state.zones) {
    if (z.kind === 'all') zon[z.effect][`${ZONE_RES}*`] = '*';
    else if (z.kind === 'zone' && z.id) zon[z.effect][ZONE_RES + z.id] = '*';
    else if (z.kind === 'account' && z.id) zon[z.effect][ACCOUNT_RES + z.id] = { [`${ZONE_RES}*`]: '*' };
  }
  add(ids('Zone'), zon.include, zon.exclude);

  add(ids('User'), { [USER_RES + session.user.id]: '*' }, {});

  const body = { name: state.name.trim(), policies };
  const ins = state.ips.filter((i) => i.op === 'in' && i.value.trim()).map((i) => i.value.trim());
  const outs = state.ips.filter((i) => i.op === 'not_in' && i.value.trim()).map((i) => i.value.trim());
  if (ins.length || outs.length) {
    body.condition = { 'request.ip': {} };
    if (ins.length) body.condition['request.ip'].in = ins;
    if (outs.length) body.condition['request.ip'].not_in = outs;
  }
  const kept = state.original || { notBefore: '', expiresOn: '' };
  if (state.notBefore) body.not_before = kept.notBefore.startsWith(state.notBefore) ? kept.notBefore : `${state.notBefore}T00:00:00Z`;
  if (state.expiresOn) body.expires_on = kept.expiresOn.startsWith(state.expiresOn) ? kept.expiresOn : `${state.expiresOn}T23:59:59Z`;
  if (state.status) body.status = state.status;
  return body;
}

// ---- rendering ---------------------------------------------------------------------------------

function select(label, options, value, onchange, extra = {}) {
  return h('select', { 'aria-label': label, onchange: (e) => onchange(e.target.value), ...extra },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

function removeButton(label, onclick) {
  return h('button', { type: 'button', class: 'remove', 'aria-label': label, onclick }, 'Remove');
}

function permissionRows(state, catalog, redraw) {
  const list = h('div', { class: 'rows', role: 'group', 'aria-labelledby': 'perm-title' });
  state.rows.forEach((row, i) => {
    const products = [['', 'Select item…'], ...[...catalog.byScope[row.scope].keys()].map((p) => [p, p])];
    const levels = row.product ? [...(catalog.byScope[row.scope].get(row.product) || new Map()).keys()] : [];
    list.append(h('div', { class: 'row', dataset: { row: String(i) } },
      select(`Permission ${i + 1} group`, [['Account', 'Account'], ['Zone', 'Zone'], ['User', 'User']], row.scope,
        (v) => { Object.assign(row, { scope: v, product: '', level: '' }); redraw(); }),
      select(`Permission ${i + 1} item`, products, row.product, (v) => {
        row.product = v;
        const ls = [...(catalog.byScope[row.scope].get(v) || new Map()).keys()];
        row.level = ls.includes(row.level) ? row.level : ls.includes('Read') ? 'Read' : ls[0] || '';
        redraw();
      }),
      select(`Permission ${i + 1} level`, levels.length ? levels.map((l) => [l, l]) : [['', '—']], row.level,
        (v) => { row.level = v; redraw(); }, { disabled: !levels.length }),
      state.rows.length > 1 ? removeButton(`Remove permission ${i + 1}`, () => { state.rows.splice(i, 1); redraw(); }) : null));
  });
  return list;
}

function accountRows(state, redraw) {
  const list = h('div', { class: 'rows' });
  state.accounts.forEach((a, i) => {
    list.append(h('div', { class: 'row' },
      select(`Account resource ${i + 1} effect`, [['include', 'Include'], ['exclude', 'Exclude']], a.effect, (v) => { a.effect = v; redraw(); }),
      select(`Account resource ${i + 1}`, [['*', 'All accounts'], ...session.accounts.map((x) => [x.id, x.name])], a.target,
        (v) => { a.target = v; redraw(); }),
      state.accounts.length > 1 ? removeButton(`Remove account resource ${i + 1}`, () => { state.accounts.splice(i, 1); redraw(); }) : null));
  });
  return list;
}

function zoneRows(state, zones, redraw) {
  const list = h('div', { class: 'rows' });
  state.zones.forEach((z, i) => {
    const kinds = [['zone', 'Specific zone'], ['all', 'All zones'], ['account', 'All zones from an account']];
    let target = null;
    if (z.kind === 'zone') {
      target = select(`Zone resource ${i + 1} zone`, [['', 'Select…'], ...zones.map((x) => [x.id, x.name])], z.id, (v) => { z.id = v; redraw(); });
    } else if (z.kind === 'account') {
      target = select(`Zone resource ${i + 1} account`, [['', 'Select…'], ...session.accounts.map((x) => [x.id, x.name])], z.id, (v) => { z.id = v; redraw(); });
    }
    list.append(h('div', { class: 'row' },
      select(`Zone resource ${i + 1} effect`, [['include', 'Include'], ['exclude', 'Exclude']], z.effect, (v) => { z.effect = v; redraw(); }),
      select(`Zone resource ${i + 1} kind`, kinds, z.kind, (v) => { Object.assign(z, { kind: v, id: '' }); redraw(); }),
      target,
      state.zones.length > 1 ? removeButton(`Remove zone resource ${i + 1}`, () => { state.zones.splice(i, 1); redraw(); }) : null));
  });
  return list;
}

function ipRows(state, redraw) {
  const list = h('div', { class: 'rows' });
  state.ips.forEach((ip, i) => {
    list.append(h('div', { class: 'row' },
      select(`IP filter ${i + 1} operator`, [['in', 'Is in'], ['not_in', 'Is not in']], ip.op, (v) => { ip.op = v; }),
      h('input', { type: 'text', 'aria-label': `IP filter ${i + 1} address`, placeholder: 'e.g. 192.0.2.1 or 192.0.2.0/24', value: ip.value,
        spellcheck: 'false', oninput: (e) => { ip.value = e.target.value; } }),
      state.ips.length > 1 ? removeButton(`Remove IP filter ${i + 1}`, () => { state.ips.splice(i, 1); redraw(); }) : null));
  });
  return list;
}

function addButton(text, onclick) {
  return h('button', { type: 'button', class: 'add', onclick }, text);
}

// The editing step. done(state) when "Continue to summary" passes the checks.
function renderForm(view, state, catalog, zones, heading, done) {
  // Draws the form again from `state`, keeping the focus where it was (or on `focusLabel`: the
  // first control of a row just added).
  const redraw = (focusLabel) => {
    const focusedLabel = typeof focusLabel === 'string' ? focusLabel : document.activeElement && document.activeElement.getAttribute('aria-label');
    const scrolled = window.scrollY;
    renderForm(view, state, catalog, zones, heading, done);
    window.scrollTo(0, scrolled);
    if (focusedLabel) { const again = view.querySelector(`[aria-label="${CSS.escape(focusedLabel)}"]`); if (again) again.focus(); }
  };
  const errors = {
    name: errorLine('name-error'), rows: errorLine('rows-error'), zones: errorLine('zones-error'), ttl: errorLine('ttl-error'),
  };
  const usesScope = (s) => state.rows.some((r) => r.scope === s && r.product);
  const form = h('form', { class: 'token-form', novalidate: true },
    h('label', { for: 'token-name' }, 'Token name'),
    h('input', { id: 'token-name', type: 'text', maxlength: '120', value: state.name, 'aria-describedby': 'name-error', oninput: (e) => { state.name = e.target.value; } }),
    errors.name,
    h('h2', { id: 'perm-title' }, 'Permissions'),
    h('p', { class: 'hint' }, 'Select the resource type (Account, Zone or User), the item, and Read or Edit.'),
    permissionRows(state, catalog, redraw),
    errors.rows,
    addButton('+ Add more', () => { state.rows.push({ scope: 'Account', product: '', level: '' }); redraw(`Permission ${state.rows.length} group`); }),
    usesScope('Account') ? h('section', { 'aria-labelledby': 'acc-title' }, h('h2', { id: 'acc-title' }, 'Account Resources'),
      accountRows(state, redraw), addButton('+ Add more', () => { state.accounts.push({ effect: 'include', target: '*' }); redraw(`Account resource ${state.accounts.length} effect`); })) : null,
    usesScope('Zone') ? h('section', { 'aria-labelledby': 'zone-title' }, h('h2', { id: 'zone-title' }, 'Zone Resources'),
      zoneRows(state, zones, redraw), errors.zones,
      addButton('+ Add more', () => { state.zones.push({ effect: 'include', kind: 'zone', id: '' }); redraw(`Zone resource ${state.zones.length} effect`); })) : null,
    h('h2', {}, 'Client IP Address Filtering'),
    h('p', { class: 'hint' }, 'Optional: the addresses this token may be used from (an empty filter allows every address).'),
    ipRows(state, redraw),
    addButton('+ Add more', () => { state.ips.push({ op: 'in', value: '' }); redraw(`IP filter ${state.ips.length} operator`); }),
    h('h2', {}, 'TTL'),
    h('p', { class: 'hint' }, 'Optional: when this token becomes active and when it expires (UTC).'),
    h('div', { class: 'row' },
      h('label', { for: 'ttl-start' }, 'Start date'),
      h('input', { id: 'ttl-start', type: 'date', value: state.notBefore, onchange: (e) => { state.notBefore = e.target.value; } }),
      h('label', { for: 'ttl-end' }, 'End date'),
      h('input', { id: 'ttl-end', type: 'date', value: state.expiresOn, onchange: (e) => { state.expiresOn = e.target.value; } })),
    errors.ttl,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: '#/profile/api-tokens' }, 'Cancel'),
      h('button', { type: 'submit' }, 'Continue to summary')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const found = problems(state, catalog);
    for (const [k, line] of Object.entries(errors)) line.set(found[k] || '');
    const first = Object.keys(found)[0];
    if (first) {
      const target = first === 'name' ? view.querySelector('#token-name') : errors[first];
      if (target) { target.scrollIntoView({ block: 'center' }); if (target.focus) target.focus(); }
      return;
    }
    done();
  });
  view.replaceChildren(h('h1', {}, heading), form);
}

// Words for a resource key of a policy.
function describeResource(key, value, zonesById) {
  if (key === `${ZONE_RES}*`) return 'All zones';
  if (key.startsWith(ZONE_RES)) { const z = zonesById.get(key.slice(ZONE_RES.length)); return z ? z.name : key.slice(ZONE_RES.length); }
  if (key.startsWith(USER_RES)) return session.user.email;
  if (key.startsWith(ACCOUNT_RES)) {
    const id = key.slice(ACCOUNT_RES.length);
    const name = id === '*' ? 'All accounts' : (session.accounts.find((a) => a.id === id) || { name: id }).name;
    return value !== null && typeof value === 'object' ? `All zones from ${name}` : name;
  }
  return key;
}

// The summary step (seed 003 step 9): what the token may do, on what.
function renderSummary(view, body, catalog, zones, { verb, onBack, onConfirm }) {
  const zonesById = new Map(zones.map((z) => [z.id, z]));
  const rows = h('tbody');
  for (const p of body.policies) {
    const perms = p.permission_groups.map((g) => { const x = catalog.byId.get(g.id); return x ? `${x.product}:${x.level}` : g.id; });
    for (const [key, value] of Object.entries(p.resources)) {
      rows.append(h('tr', {},
        h('td', {}, `${p.effect === 'deny' ? 'Exclude' : 'Include'} ${describeResource(key, value, zonesById)}`),
        h('td', {}, perms.join(', '))));
    }
  }
  const ip = body.condition ? body.condition['request.ip'] : null;
  const error = errorLine('summary-error');
  const confirm = h('button', { type: 'button', class: 'primary' }, `${verb} Token`);
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    error.clear();
    const message = await onConfirm();
    confirm.disabled = false;
    if (message) { error.set(message); error.focus(); }
  });
  error.tabIndex = -1;
  view.replaceChildren(
    h('h1', {}, `${body.name} API token summary`),
    h('p', {}, 'This API token will affect the below accounts and zones, along with their respective permissions.'),
    h('table', { class: 'summary' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Resources'), h('th', { scope: 'col' }, 'Permissions'))), rows),
    ip ? h('p', {}, `Client IP Address Filtering: ${[...(ip.in || []).map((x) => `is in ${x}`), ...(ip.not_in || []).map((x) => `is not in ${x}`)].join('; ')}`) : null,
    body.not_before || body.expires_on ? h('p', {}, `TTL: ${body.not_before ? `from ${body.not_before}` : 'from now'} ${body.expires_on ? `until ${body.expires_on}` : 'with no end'}`) : null,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: onBack }, 'Edit token'), confirm));
  view.querySelector('h1').tabIndex = -1;
  view.querySelector('h1').focus();
}

// The secret, once (after create or roll), with the command that checks it (seed 003).
export function renderSecret(view, title, secret) {
  const verify = `curl "${location.origin}/client/v4/user/tokens/verify" \\\n-H "Authorization: Bearer ${secret}"`;
  view.replaceChildren(
    h('h1', {}, title),
    h('p', { class: 'notice' }, 'Copy this token to access the Cloudflare API. For security this will not be shown again.'),
    h('div', { class: 'id-row secret' },
      h('label', { for: 'token-secret', class: 'sr-only' }, 'API token secret'),
      h('input', { id: 'token-secret', type: 'text', readonly: true, value: secret, spellcheck: 'false', size: '44' }),
      copyButton(secret, 'API token')),
    h('h2', {}, 'Test this token'),
    h('p', {}, 'To confirm your token is working correctly, copy and paste the below CURL command in a terminal shell to test.'),
    h('pre', { id: 'verify-command' }, verify),
    copyButton(verify, 'test command'),
    // The page may already be at #/profile/api-tokens (after a roll): navigate() renders it anew.
    h('p', {}, h('a', { href: '#/profile/api-tokens', onclick: (e) => { e.preventDefault(); navigate('#/profile/api-tokens'); } }, 'View all API tokens')));
  view.querySelector('#token-secret').select();
}

// #/profile/api-tokens/create: the templates and "Custom token".
function renderChooser(view) {
  const list = h('ul', { class: 'templates' });
  for (const t of TEMPLATES) {
    list.append(h('li', {},
      h('div', {}, h('strong', {}, t.name), h('p', { class: 'hint' }, t.description)),
      h('a', { class: 'button', href: `#/profile/api-tokens/create/${slug(t.name)}`, 'aria-label': `Use template ${t.name}` }, 'Use template')));
  }
  view.append(
    h('h1', {}, 'Create API Token'),
    h('h2', {}, 'API token templates'),
    list,
    h('h2', {}, 'Create Custom Token'),
    h('div', { class: 'card actions' }, h('p', {}, 'Custom token: choose the permissions and resources yourself.'),
      h('a', { class: 'button primary', href: '#/profile/api-tokens/create/custom' }, 'Get started')));
}

// #/profile/api-tokens/create[/<template>] and #/profile/api-tokens/edit/<id>.
export async function renderTokenEditor(view, mode, arg) {
  if (mode === 'create' && !arg) { renderChooser(view); return; }
  const [catalog, zoneList] = await Promise.all([loadCatalog(), listAll('/client/v4/zones')]);
  if (catalog.error) { view.append(alertLine(catalog.error.message)); return; }
  const zones = zoneList.items;
  let state;
  let existing = null;
  if (mode === 'edit') {
    const res = await api('GET', `/client/v4/user/tokens/${encodeURIComponent(arg)}`);
    if (!res.ok) { view.append(h('h1', {}, 'Edit API Token'), alertLine(res.error.message)); return; }
    existing = res.result;
    state = fromToken(existing, catalog);
  } else if (arg === 'custom') {
    state = { name: '', rows: [{ scope: 'Account', product: '', level: '' }], accounts: [{ effect: 'include', target: '*' }],
      zones: [{ effect: 'include', kind: 'zone', id: '' }], ips: [{ op: 'in', value: '' }], notBefore: '', expiresOn: '' };
  } else {
    const t = TEMPLATES.find((x) => slug(x.name) === arg);
    if (!t) { navigate('#/profile/api-tokens/create'); return; }
    state = fromTemplate(t, catalog);
  }
  const heading = existing ? `Edit ${existing.name}` : 'Create API Token';
  const edit = () => renderForm(view, state, catalog, zones, heading, summary);
  const summary = () => {
    const body = toBody(state, catalog);
    renderSummary(view, body, catalog, zones, {
      verb: existing ? 'Update' : 'Create',
      onBack: edit,
      onConfirm: async () => {
        const res = existing
          ? await api('PUT', `/client/v4/user/tokens/${encodeURIComponent(existing.id)}`, body)
          : await api('POST', '/client/v4/user/tokens', body);
        if (!res.ok) return res.error.message;
        if (existing) navigate('#/profile/api-tokens');
        else renderSecret(view, `${body.name} was successfully created`, res.result.value);
        return '';
      },
    });
  };
  edit();
}
