// DNS (issue 6): #/dns picks a zone, #/dns/<zone_id> manages its records through the v4 API:
// the list with the API's own sort (order/direction), filters (type, search, name.contains,
// content.contains) and paging (page/per_page, result_info); add, edit (PATCH) and delete; BIND
// export (a blob: download and the text shown) and import (multipart `file`). Every string from
// the API is set as text; the API's validation message is shown next to the field it names.
import { alertLine, api, currentAccount, emptyState, errorLine, h, idRow, latest, listAll, pager } from './lib.js';

// Record types the API accepts (API-SURFACE §4.7, + OPENPGPKEY), in Cloudflare's menu order.
const TYPES = ['A', 'AAAA', 'CAA', 'CERT', 'CNAME', 'DNSKEY', 'DS', 'HTTPS', 'LOC', 'MX', 'NAPTR', 'NS',
  'OPENPGPKEY', 'PTR', 'SMIMEA', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT', 'URI'];
const PROXIABLE = new Set(['A', 'AAAA', 'CNAME']);
// Types with a top-level `priority` (SRV, HTTPS and SVCB keep theirs inside `data`).
const TOP_PRIORITY = new Set(['MX', 'URI']);

// What `content` holds for the content types: the field's hint.
const CONTENT_HINT = {
  A: 'An IPv4 address, e.g. 192.0.2.1',
  AAAA: 'An IPv6 address, e.g. 2001:db8::1',
  CNAME: 'The target host name, e.g. www.example.net',
  MX: 'The mail server, e.g. mail.example.com',
  NS: 'The name server, e.g. ns1.example.net',
  PTR: 'The host name it points to',
  TXT: 'The text, e.g. v=spf1 -all (at most 2048 characters)',
  OPENPGPKEY: 'One base64 OpenPGP public key (RFC 7929)',
};

// The `data` fields of the data types (the schema's names and bounds): [name, label, kind, bound]
// with kind int (0..bound), dec (a decimal), text, or choice (bound = the letters allowed).
const TLSA = [['usage', 'Usage', 'int', 255], ['selector', 'Selector', 'int', 255],
  ['matching_type', 'Matching type', 'int', 255], ['certificate', 'Certificate (hex)', 'text']];
const SVCB = [['priority', 'Priority', 'int', 65535], ['target', 'Target', 'text'], ['value', 'Value', 'text']];
const DATA_FIELDS = {
  SRV: [['priority', 'Priority', 'int', 65535], ['weight', 'Weight', 'int', 65535], ['port', 'Port', 'int', 65535],
    ['target', 'Target', 'text']],
  URI: [['weight', 'Weight', 'int', 65535], ['target', 'Target', 'text']],
  CAA: [['flags', 'Flags', 'int', 255], ['tag', 'Tag (issue, issuewild, iodef)', 'text'], ['value', 'Value', 'text']],
  TLSA,
  SMIMEA: TLSA,
  SSHFP: [['algorithm', 'Algorithm', 'int', 255], ['type', 'Fingerprint type', 'int', 255], ['fingerprint', 'Fingerprint (hex)', 'text']],
  DS: [['key_tag', 'Key tag', 'int', 65535], ['algorithm', 'Algorithm', 'int', 255], ['digest_type', 'Digest type', 'int', 255],
    ['digest', 'Digest (hex)', 'text']],
  DNSKEY: [['flags', 'Flags', 'int', 65535], ['protocol', 'Protocol', 'int', 255], ['algorithm', 'Algorithm', 'int', 255],
    ['public_key', 'Public key (base64)', 'text']],
  CERT: [['type', 'Certificate type', 'int', 65535], ['key_tag', 'Key tag', 'int', 65535], ['algorithm', 'Algorithm', 'int', 255],
    ['certificate', 'Certificate (base64)', 'text']],
  HTTPS: SVCB,
  SVCB,
  NAPTR: [['order', 'Order', 'int', 65535], ['preference', 'Preference', 'int', 65535], ['flags', 'Flags', 'text'],
    ['service', 'Service', 'text'], ['regex', 'Regex', 'text'], ['replacement', 'Replacement', 'text']],
  LOC: [['lat_degrees', 'Latitude degrees', 'int', 90], ['lat_minutes', 'Latitude minutes', 'int', 59],
    ['lat_seconds', 'Latitude seconds', 'dec', 59.999], ['lat_direction', 'Latitude direction', 'choice', 'NS'],
    ['long_degrees', 'Longitude degrees', 'int', 180], ['long_minutes', 'Longitude minutes', 'int', 59],
    ['long_seconds', 'Longitude seconds', 'dec', 59.999], ['long_direction', 'Longitude direction', 'choice', 'EW'],
    ['altitude', 'Altitude (m)', 'dec'], ['size', 'Size (m)', 'dec'], ['precision_horz', 'Horizontal precision (m)', 'dec'],
    ['precision_vert', 'Vertical precision (m)', 'dec']],
};

// The TTLs Cloudflare's own menu offers (1 = Auto); a record's other TTL is added when editing.
const TTLS = [1, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000, 43200, 86400];
const SORTABLE = [['type', 'Type'], ['name', 'Name'], ['content', 'Content'], ['proxied', 'Proxy status'], ['ttl', 'TTL']];
const PER_PAGE = [25, 50, 100];

function ttlLabel(ttl) {
  if (ttl === 1) return 'Auto';
  if (ttl % 86400 === 0) return `${ttl / 86400} day${ttl === 86400 ? '' : 's'}`;
  if (ttl % 3600 === 0) return `${ttl / 3600} hr`;
  if (ttl % 60 === 0) return `${ttl / 60} min`;
  return `${ttl} s`;
}

const zoneBase = (zoneId) => `/client/v4/zones/${encodeURIComponent(zoneId)}`;

export async function render(view, args) {
  if (args[0]) await renderZone(view, args[0]);
  else await renderPicker(view);
}

// ---- #/dns: the zone picker -------------------------------------------------------------------

async function renderPicker(view) {
  view.append(h('h1', {}, 'DNS'));
  const account = currentAccount();
  const query = account ? `/client/v4/zones?account.id=${encodeURIComponent(account.id)}` : '/client/v4/zones';
  view.append(h('p', {}, 'Choose a zone to manage its DNS records', account ? ` (account ${account.name}).` : '.'));
  const zones = await listAll(query, 50);
  if (!zones.ok) {
    view.append(alertLine(zones.error.message));
    return;
  }
  if (zones.items.length === 0) {
    view.append(emptyState('No zones yet.', h('p', {}, 'Add one with ', h('code', {}, 'POST /client/v4/zones'), ', then manage its records here.')));
    return;
  }
  const body = h('tbody');
  for (const z of zones.items) {
    body.append(h('tr', {},
      h('td', {}, h('a', { href: `#/dns/${encodeURIComponent(z.id)}` }, z.name)),
      h('td', {}, z.status),
      h('td', {}, h('code', {}, z.id))));
  }
  view.append(h('table', { id: 'dns-zones', class: 'dns-zones' },
    h('caption', { class: 'sr-only' }, 'Zones'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Zone'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Zone ID'))),
    body));
}

// ---- #/dns/<zone_id>: the records page --------------------------------------------------------

async function renderZone(view, zoneId) {
  const back = h('p', { class: 'dns-back' }, h('a', { href: '#/dns' }, '← All zones'));
  const zoneRes = await api('GET', zoneBase(zoneId));
  if (!zoneRes.ok) {
    view.append(h('h1', {}, 'DNS'), back, alertLine(zoneRes.error.message));
    return;
  }
  const zone = zoneRes.result;
  const page = new RecordsPage(zone);
  view.append(h('h1', {}, `DNS records of ${zone.name}`), back, idRow('Zone ID', zone.id), page.el);
  await page.load();
}

// The records page's state (the list query) and its parts. One instance per render.
class RecordsPage {
  constructor(zone) {
    this.zone = zone;
    this.base = `${zoneBase(zone.id)}/dns_records`;
    // The list query, in the API's own terms.
    this.q = { page: 1, per_page: 50, order: 'type', direction: 'asc', type: '', text: '', textIn: 'search' };
    this.loads = latest();
    this.status = h('p', { class: 'notice', role: 'status', id: 'dns-status' });
    this.listError = errorLine('dns-list-error');
    this.listArea = h('div', { class: 'dns-list' });
    this.form = new RecordForm(this);
    this.confirm = new DeleteDialog(this);
    this.el = h('div', {},
      h('div', { class: 'actions dns-toolbar' },
        h('button', { type: 'button', class: 'primary', id: 'dns-add', onclick: () => this.form.open(null) }, 'Add record')),
      this.filters(), this.status, this.listError, this.listArea,
      new BindTools(this).el, this.form.dialog, this.confirm.dialog);
  }

  // The filter bar: type (applies at once) and a text search in anything, the name or the content.
  filters() {
    const type = h('select', { id: 'dns-filter-type', onchange: () => { this.q.type = type.value; this.q.page = 1; this.load(); } },
      h('option', { value: '' }, 'All types'), ...TYPES.map((t) => h('option', { value: t }, t)));
    const text = h('input', { id: 'dns-filter-text', type: 'search', maxlength: 255, autocomplete: 'off' });
    const where = h('select', { id: 'dns-filter-in' },
      h('option', { value: 'search' }, 'anything'), h('option', { value: 'name' }, 'name'), h('option', { value: 'content' }, 'content'));
    const clear = h('button', { type: 'button', onclick: () => {
      type.value = ''; text.value = ''; where.value = 'search';
      Object.assign(this.q, { type: '', text: '', textIn: 'search', page: 1 });
      this.load();
    } }, 'Clear');
    this.clearFilters = () => clear.click();
    const form = h('form', { class: 'dns-filters', role: 'search', 'aria-label': 'Filter records', onsubmit: (e) => {
      e.preventDefault();
      Object.assign(this.q, { text: text.value.trim(), textIn: where.value, page: 1 });
      this.load();
    } },
      h('div', {}, h('label', { for: 'dns-filter-type' }, 'Type'), type),
      h('div', { class: 'dns-grow' }, h('label', { for: 'dns-filter-text' }, 'Search'), text),
      h('div', {}, h('label', { for: 'dns-filter-in' }, 'Search in'), where),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Filter'), clear));
    return form;
  }

  // The list URL for the current query: the API's order/direction/type and one text filter.
  listUrl() {
    const p = new URLSearchParams({ page: this.q.page, per_page: this.q.per_page, order: this.q.order, direction: this.q.direction });
    if (this.q.type) p.set('type', this.q.type);
    if (this.q.text) p.set(this.q.textIn === 'search' ? 'search' : `${this.q.textIn}.contains`, this.q.text);
    return `${this.base}?${p}`;
  }

  filtered() { return Boolean(this.q.type || this.q.text); }

  // Loads the current page; a later load wins over an earlier one still in flight.
  async load() {
    const ticket = this.loads.next();
    this.listArea.setAttribute('aria-busy', 'true');
    const res = await api('GET', this.listUrl());
    if (!this.loads.is(ticket)) return;
    this.listArea.removeAttribute('aria-busy');
    if (!res.ok) {
      this.listError.set(res.error.message);
      this.listArea.replaceChildren();
      return;
    }
    this.listError.clear();
    const info = res.json.result_info || { page: 1, per_page: this.q.per_page, count: res.result.length, total_count: res.result.length };
    // Deleting the last row of the last page: step back to a page that has rows.
    if (res.result.length === 0 && this.q.page > 1 && info.total_count > 0) {
      const last = Math.max(1, Math.ceil(info.total_count / this.q.per_page));
      if (last < this.q.page) {  // only ever back: never loops on a count that disagrees
        this.q.page = last;
        await this.load();
        return;
      }
    }
    this.listArea.replaceChildren(...this.listView(res.result, info));
  }

  listView(records, info) {
    if (records.length === 0) {
      if (this.filtered()) {
        return [emptyState('No records match these filters.', h('button', { type: 'button', onclick: () => this.clearFilters() }, 'Clear filters'))];
      }
      return [emptyState(`${this.zone.name} has no DNS records yet.`,
        h('p', {}, 'Add one with the button above, or import a BIND zone file below.'))];
    }
    const first = (info.page - 1) * info.per_page + 1;
    const summary = h('p', { class: 'dns-summary', id: 'dns-summary' },
      `Records ${first}–${first + records.length - 1} of ${info.total_count}`);
    const perPage = h('select', { id: 'dns-per-page', onchange: () => { this.q.per_page = Number(perPage.value); this.q.page = 1; this.load(); } },
      ...PER_PAGE.map((n) => h('option', { value: String(n), selected: n === this.q.per_page }, String(n))));
    const pageBar = h('div', { class: 'dns-pagebar' },
      pager(info, (n) => { this.q.page = n; this.load(); }),
      h('div', { class: 'dns-per-page' }, h('label', { for: 'dns-per-page' }, 'Rows per page'), perPage));
    return [summary, this.table(records), pageBar];
  }

  table(records) {
    const head = h('tr', {}, ...SORTABLE.map(([key, label]) => this.sortHeader(key, label)),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')));
    const body = h('tbody', {}, ...records.map((r) => this.row(r)));
    return h('table', { id: 'dns-records', class: 'dns-records' },
      h('caption', { class: 'sr-only' }, `DNS records of ${this.zone.name}, sorted by ${this.q.order} ${this.q.direction === 'asc' ? 'ascending' : 'descending'}`),
      h('thead', {}, head), body);
  }

  // A column header that sorts by the API's `order`; a second click reverses `direction`.
  sortHeader(key, label) {
    const active = this.q.order === key;
    const ariaSort = active ? (this.q.direction === 'asc' ? 'ascending' : 'descending') : undefined;
    const arrow = active ? (this.q.direction === 'asc' ? '▲' : '▼') : '↕';
    return h('th', { scope: 'col', 'aria-sort': ariaSort, dataset: { order: key } },
      h('button', { type: 'button', class: 'dns-sort', onclick: () => {
        if (active) this.q.direction = this.q.direction === 'asc' ? 'desc' : 'asc';
        else { this.q.order = key; this.q.direction = 'asc'; }
        this.q.page = 1;
        this.load().then(() => { const b = this.listArea.querySelector(`th[data-order="${key}"] button`); if (b) b.focus(); });
      } }, label, h('span', { class: 'dns-arrow', 'aria-hidden': 'true' }, arrow)));
  }

  row(r) {
    const proxy = r.proxied ? h('span', { class: 'dns-proxied' }, 'Proxied') : h('span', { class: 'dns-only' }, 'DNS only');
    const what = `${r.type} record ${r.name}`;
    const extra = [];
    if (r.priority !== undefined && r.priority !== null && TOP_PRIORITY.has(r.type)) extra.push(h('span', { class: 'dns-meta' }, `Priority ${r.priority}`));
    if (r.comment) extra.push(h('span', { class: 'dns-meta dns-comment' }, `Comment: ${r.comment}`));
    if (Array.isArray(r.tags) && r.tags.length) extra.push(h('span', { class: 'dns-meta' }, `Tags: ${r.tags.join(', ')}`));
    return h('tr', { dataset: { id: r.id } },
      h('td', { dataset: { label: 'Type' } }, h('span', { class: 'dns-type' }, r.type)),
      h('td', { dataset: { label: 'Name' }, class: 'dns-name' }, r.name),
      h('td', { dataset: { label: 'Content' }, class: 'dns-content' }, h('div', {}, h('code', {}, r.content), ...extra)),
      h('td', { dataset: { label: 'Proxy' } }, proxy),
      h('td', { dataset: { label: 'TTL' } }, ttlLabel(r.ttl)),
      h('td', { class: 'actions dns-row-actions' },
        h('button', { type: 'button', 'aria-label': `Edit ${what}`, onclick: () => this.form.open(r) }, 'Edit'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${what}`, onclick: () => this.confirm.open(r) }, 'Delete')));
  }

  // After a change: say what happened (a live region) and show the list again.
  async changed(message) {
    this.status.textContent = message;
    await this.load();
  }
}

// ---- the add/edit form (a modal dialog: Escape closes it, focus returns) ----------------------

class RecordForm {
  constructor(page) {
    this.page = page;
    this.record = null;
    this.fields = {};  // name (or data.<name>) -> { input, error }
    this.title = h('h2', { id: 'dns-form-title' });
    this.formError = errorLine('dns-form-error');
    this.type = h('select', { id: 'dns-f-type', onchange: () => this.typeChanged() }, ...TYPES.map((t) => h('option', { value: t }, t)));
    this.name = h('input', { id: 'dns-f-name', type: 'text', maxlength: 255, autocomplete: 'off', required: true });
    this.content = h('input', { id: 'dns-f-content', type: 'text', autocomplete: 'off' });
    this.contentHint = h('p', { class: 'dns-hint', id: 'dns-f-content-hint' });
    this.ttl = h('select', { id: 'dns-f-ttl' });
    this.proxied = h('input', { id: 'dns-f-proxied', type: 'checkbox' });
    this.priority = h('input', { id: 'dns-f-priority', type: 'number', min: 0, max: 65535, step: 1, inputmode: 'numeric' });
    this.comment = h('input', { id: 'dns-f-comment', type: 'text', maxlength: 100, autocomplete: 'off' });
    this.tags = h('input', { id: 'dns-f-tags', type: 'text', autocomplete: 'off' });
    this.dataBox = h('fieldset', { class: 'dns-data' });
    this.submit = h('button', { type: 'submit', id: 'dns-f-save' }, 'Save');

    this.contentRow = this.field('content', 'Content', this.content, this.contentHint);
    this.proxiedRow = h('div', { class: 'dns-check' }, this.proxied, h('label', { for: 'dns-f-proxied' }, 'Proxied through Cloudflare'),
      this.errorFor('proxied', this.proxied));
    this.priorityRow = this.field('priority', 'Priority (0–65535, lower is preferred)', this.priority);
    this.form = h('form', { class: 'dns-form', novalidate: true, 'aria-labelledby': 'dns-form-title', onsubmit: (e) => { e.preventDefault(); this.save(); } },
      this.title,
      this.field('type', 'Type', this.type),
      this.field('name', 'Name', this.name, h('p', { class: 'dns-hint', id: 'dns-f-name-hint' }, `Use @ for ${page.zone.name} itself; www means www.${page.zone.name}.`)),
      this.contentRow, this.dataBox, this.priorityRow,
      this.field('ttl', 'TTL', this.ttl), this.proxiedRow,
      this.field('comment', 'Comment (optional, at most 100 characters)', this.comment),
      this.field('tags', 'Tags (optional, name:value separated by commas)', this.tags),
      this.formError,
      h('div', { class: 'actions' }, this.submit, h('button', { type: 'button', onclick: () => this.dialog.close() }, 'Cancel')));
    this.name.setAttribute('aria-describedby', 'dns-f-name-hint');
    this.content.setAttribute('aria-describedby', 'dns-f-content-hint');
    this.dialog = h('dialog', { id: 'dns-form-dialog', class: 'dns-dialog', 'aria-labelledby': 'dns-form-title' }, this.form);
  }

  // A labelled field with its own error line (the API's message lands there).
  field(name, label, input, ...more) {
    return h('div', { class: 'dns-field' }, h('label', { for: input.id }, label), input, ...more, this.errorFor(name, input));
  }

  errorFor(name, input) {
    const error = errorLine(`${input.id}-error`);
    this.fields[name] = { input, error };
    return error;
  }

  // Opens for a new record (null) or to edit `r`.
  open(r) {
    this.record = r;
    this.clearErrors();
    this.title.textContent = r ? `Edit ${r.type} record` : 'Add record';
    this.submit.textContent = r ? 'Save' : 'Add record';
    this.type.value = r ? r.type : 'A';
    this.name.value = r ? r.name : '';
    this.content.value = r && !DATA_FIELDS[r.type] ? r.content : '';
    this.fillTtl(r ? r.ttl : 1);
    this.proxied.checked = Boolean(r && r.proxied);
    this.priority.value = r && r.priority !== undefined && r.priority !== null ? String(r.priority) : '';
    this.comment.value = (r && r.comment) || '';
    this.tags.value = r && Array.isArray(r.tags) ? r.tags.join(', ') : '';
    this.typeChanged(r && r.data);
    this.dialog.showModal();
    // Adding starts at the type; editing at the value, the part one usually changes.
    const value = this.contentRow.hidden ? this.dataBox.querySelector('input, select') : this.content;
    (r && value ? value : this.type).focus();
  }

  fillTtl(ttl) {
    const values = TTLS.includes(ttl) ? TTLS : [...TTLS, ttl].sort((a, b) => a - b);
    this.ttl.replaceChildren(...values.map((v) => h('option', { value: String(v), selected: v === ttl }, ttlLabel(v))));
  }

  // Shows the inputs the chosen type takes: content or data fields, proxied, priority.
  typeChanged(data) {
    const t = this.type.value;
    const spec = DATA_FIELDS[t];
    this.contentRow.hidden = Boolean(spec);
    this.contentHint.textContent = CONTENT_HINT[t] || '';
    this.proxiedRow.hidden = !PROXIABLE.has(t);
    this.priorityRow.hidden = !TOP_PRIORITY.has(t);
    for (const key of Object.keys(this.fields)) if (key.startsWith('data.')) delete this.fields[key];
    this.dataBox.hidden = !spec;
    this.dataBox.replaceChildren();
    if (!spec) return;
    this.dataBox.append(h('legend', {}, `${t} data`));
    for (const [name, label, kind, bound] of spec) {
      const id = `dns-f-data-${name}`;
      let input;
      if (kind === 'choice') {
        input = h('select', { id }, h('option', { value: '' }, '—'), ...[...bound].map((c) => h('option', { value: c }, c)));
      } else if (kind === 'text') {
        input = h('input', { id, type: 'text', autocomplete: 'off' });
      } else {
        input = h('input', { id, type: 'number', step: kind === 'int' ? 1 : 'any', min: kind === 'int' ? 0 : undefined, max: bound, inputmode: kind === 'int' ? 'numeric' : 'decimal' });
      }
      input.dataset.kind = kind;
      const v = data && data[name];
      input.value = v === undefined || v === null ? '' : String(v);
      this.dataBox.append(this.field(`data.${name}`, label, input));
    }
  }

  // The request body: what the type takes, in the API's field names.
  body() {
    const t = this.type.value;
    const b = { type: t, name: this.name.value.trim(), ttl: Number(this.ttl.value) };
    const spec = DATA_FIELDS[t];
    if (spec) {
      b.data = {};
      for (const [name] of spec) {
        const input = this.fields[`data.${name}`].input;
        const v = input.value.trim();
        if (v === '') continue;  // absent: the API names it if it is required
        b.data[name] = input.dataset.kind === 'int' || input.dataset.kind === 'dec' ? Number(v) : v;
      }
    } else {
      b.content = this.content.value.trim();
    }
    // Only A/AAAA/CNAME can be proxied; false for the rest so a type change clears it.
    b.proxied = PROXIABLE.has(t) ? this.proxied.checked : false;
    if (TOP_PRIORITY.has(t) && this.priority.value.trim() !== '') b.priority = Number(this.priority.value);
    const comment = this.comment.value.trim();
    if (comment) b.comment = comment;
    else if (this.record) b.comment = null;  // editing: an emptied comment is removed
    const tags = this.tags.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (tags.length || this.record) b.tags = tags;
    return b;
  }

  async save() {
    this.clearErrors();
    this.submit.disabled = true;
    const r = this.record;
    const res = r ? await api('PATCH', `${this.page.base}/${encodeURIComponent(r.id)}`, this.body())
      : await api('POST', this.page.base, this.body());
    this.submit.disabled = false;
    if (!res.ok) {
      this.showError(res.error);
      return;
    }
    this.dialog.close();
    const done = res.result;
    await this.page.changed(r ? `Saved the ${done.type} record ${done.name}.` : `Added the ${done.type} record ${done.name}.`);
    document.getElementById('dns-add')?.focus();
  }

  // The API's message next to the field it names ("DNS Validation Error: content for an A record
  // must be ...", a JSON pointer when there is one), else at the form.
  showError(error) {
    const f = this.fieldOf(error);
    if (f && !f.input.closest('[hidden]')) {
      f.error.set(error.message);
      f.input.setAttribute('aria-invalid', 'true');
      f.input.setAttribute('aria-errormessage', f.error.id);
      f.input.focus();
    } else {
      this.formError.set(error.message);
      this.formError.scrollIntoView({ block: 'nearest' });
    }
  }

  fieldOf(error) {
    if (error.pointer) {
      const key = error.pointer.replace(/^\//, '').replace(/\//g, '.');
      if (this.fields[key]) return this.fields[key];
    }
    const text = (error.message || '').replace(/^[^:]*Error:\s*/, '');
    const m = /^(data\.[a-z_]+|[a-z_]+)\b/.exec(text);
    // A name that is no field here ("data must be an object") goes to the form.
    return m && this.fields[m[1]] ? this.fields[m[1]] : null;
  }

  clearErrors() {
    this.formError.clear();
    for (const { input, error } of Object.values(this.fields)) {
      error.clear();
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-errormessage');
    }
  }
}

// ---- delete, after a confirmation ----------------------------------------------------------------

class DeleteDialog {
  constructor(page) {
    this.page = page;
    this.text = h('p', { id: 'dns-del-text' });
    this.error = errorLine('dns-del-error');
    this.yes = h('button', { type: 'button', class: 'danger', onclick: () => this.remove() }, 'Delete');
    // The safe choice first and focused: Enter on the opened dialog never deletes.
    this.no = h('button', { type: 'button', onclick: () => this.dialog.close() }, 'Cancel');
    this.dialog = h('dialog', { id: 'dns-delete-dialog', class: 'dns-dialog', 'aria-labelledby': 'dns-del-title', 'aria-describedby': 'dns-del-text' },
      h('h2', { id: 'dns-del-title' }, 'Delete record?'), this.text, this.error,
      h('div', { class: 'actions' }, this.no, this.yes));
  }

  open(r) {
    this.record = r;
    this.error.clear();
    this.text.textContent = `The ${r.type} record ${r.name} → ${r.content} will be deleted. This cannot be undone.`;
    this.dialog.showModal();
    this.no.focus();
  }

  async remove() {
    const r = this.record;
    this.yes.disabled = true;
    const res = await api('DELETE', `${this.page.base}/${encodeURIComponent(r.id)}`);
    this.yes.disabled = false;
    if (!res.ok) {
      this.error.set(res.error.message);
      return;
    }
    this.dialog.close();
    await this.page.changed(`Deleted the ${r.type} record ${r.name}.`);
    document.getElementById('dns-add')?.focus();
  }
}

// ---- BIND export and import ---------------------------------------------------------------------

class BindTools {
  constructor(page) {
    this.page = page;
    this.url = '';
    this.exportError = errorLine('dns-export-error');
    this.exportOut = h('div', { class: 'dns-export', hidden: true });
    this.file = h('input', { id: 'dns-import-file', type: 'file', accept: '.txt,.zone,.bind,.db,text/plain', required: true });
    this.proxied = h('input', { id: 'dns-import-proxied', type: 'checkbox' });
    this.importError = errorLine('dns-import-error');
    this.importDone = h('p', { class: 'notice', role: 'status', id: 'dns-import-result' });
    this.importButton = h('button', { type: 'submit' }, 'Import');
    const importForm = h('form', { class: 'dns-import', novalidate: true, 'aria-label': 'Import a BIND zone file', onsubmit: (e) => { e.preventDefault(); this.import(); } },
      h('label', { for: 'dns-import-file' }, 'BIND zone file'), this.file,
      h('div', { class: 'dns-check' }, this.proxied, h('label', { for: 'dns-import-proxied' }, 'Proxy the imported A, AAAA and CNAME records')),
      this.importError, h('div', { class: 'actions' }, this.importButton), this.importDone);
    this.el = h('section', { class: 'card dns-bind', 'aria-labelledby': 'dns-bind-title' },
      h('h2', { id: 'dns-bind-title' }, 'Import and export (BIND zone file)'),
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'dns-export', onclick: () => this.export() }, 'Export BIND file')),
      this.exportError, this.exportOut,
      h('h3', {}, 'Import'), importForm);
  }

  // GET …/dns_records/export answers text/plain (not JSON), so it is fetched here; the text is
  // shown and offered as a download from a blob: URL (revoked when replaced).
  async export() {
    this.exportError.clear();
    let res;
    try {
      res = await fetch(`${this.page.base}/export`, { credentials: 'same-origin', headers: { Accept: 'text/plain, application/json' } });
    } catch (e) {
      this.exportError.set(`Network error: ${e.message}`);
      return;
    }
    const text = await res.text();
    if (!res.ok) {
      let message = `HTTP ${res.status}`;
      try { const j = JSON.parse(text); if (j.errors && j.errors[0]) message = j.errors[0].message; } catch { /* not JSON */ }
      this.exportError.set(message);
      return;
    }
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const fileName = `${this.page.zone.name}.txt`;
    this.exportOut.replaceChildren(
      h('p', { class: 'actions' }, h('a', { class: 'button', id: 'dns-export-download', href: this.url, download: fileName }, `Download ${fileName}`)),
      h('pre', { id: 'dns-export-text', tabindex: 0, 'aria-label': `Zone file of ${this.page.zone.name}` }, text));
    this.exportOut.hidden = false;
  }

  // POST …/dns_records/import, multipart: `file` (and `proxied`); the answer counts what it added.
  async import() {
    this.importError.clear();
    this.importDone.textContent = '';
    const file = this.file.files && this.file.files[0];
    if (!file) {
      this.importError.set('Choose a BIND zone file to import.');
      this.file.focus();
      return;
    }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('proxied', this.proxied.checked ? 'true' : 'false');
    this.importButton.disabled = true;
    const res = await api('POST', `${this.page.base}/import`, form);
    this.importButton.disabled = false;
    if (!res.ok) {
      this.importError.set(res.error.message);
      return;
    }
    const { recs_added: added, total_records_parsed: parsed } = res.result;
    this.importDone.textContent = `Imported ${file.name}: ${added} record${added === 1 ? '' : 's'} added of ${parsed} parsed.`;
    this.file.value = '';
    await this.page.load();
  }
}
