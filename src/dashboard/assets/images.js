// Images (issue 6): the account's Cloudflare Images through the public v4 API only.
//   #/images            upload (file picker and drag and drop, a progress bar per file), the grid
//                       of images with paging, "Use API" (seed 001's cURL command), Account ID/hash
//   #/images/<id>       one image: every delivery URL, metadata and access edit, delete
//   #/images/variants   named variants: list, create, edit, delete, with a preview from delivery
//   #/images/keys       signing keys: list, create, roll, delete
// Every string that comes from the API is set as text (h() never parses markup).
import {
  alertLine, api, confirmDialog, copyButton, currentAccount, emptyState, errorLine, formatDate, h, idRow, latest, navigate, pager, uid, upload,
} from './lib.js';

const FITS = ['scale-down', 'contain', 'cover', 'crop', 'pad'];
const METADATA = ['none', 'copyright', 'keep'];
const PER_PAGE = [10, 20, 50, 100];

// ---------------------------------------------------------------------------------------------
// Small shared helpers

const imagesPath = (account, rest = '') => `/client/v4/accounts/${encodeURIComponent(account.id)}/images/${rest}`;
const imagePath = (account, id) => imagesPath(account, `v1/${encodeURIComponent(id)}`);
const imageHash = (id) => `#/images/${encodeURIComponent(id)}`;

// A labelled field: <label for> + the control (+ an optional hint and error line below it).
function field(label, control, ...after) {
  if (!control.id) control.id = uid('f');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, ...after);
}

// A checkbox with its label on the same line.
function checkField(label, box) {
  if (!box.id) box.id = uid('c');
  return h('div', { class: 'check' }, box, h('label', { for: box.id }, label));
}

// The links between the Images sub-pages; the current one is marked for screen readers.
function subNav(current) {
  const link = (href, text, key) => h('a', { href, 'aria-current': key === current ? 'page' : undefined }, text);
  return h('nav', { class: 'img-sub', 'aria-label': 'Images sections' },
    link('#/images', 'Images', 'list'), link('#/images/variants', 'Variants', 'variants'),
    link('#/images/keys', 'Signing keys', 'keys'));
}

const confirmAction = (title, text, action) => confirmDialog({ title, text, action });

// Metadata typed by the user: empty means "none" ({}); anything else must be a JSON object.
// Returns { value } or { error } (the words shown next to the field).
function parseMetadata(text) {
  const t = text.trim();
  if (!t) return { value: {} };
  try {
    const v = JSON.parse(t);
    if (v && typeof v === 'object' && !Array.isArray(v)) return { value: v };
  } catch { /* fall through */ }
  return { error: 'Metadata must be a JSON object, e.g. {"alt": "A red square"}' };
}

// ---------------------------------------------------------------------------------------------
// Delivery URLs. The API gives each image's variants as full delivery URLs
// (<delivery base>/<account hash>/<image id>/<variant>); the page learns the delivery origin and
// the account hash from them rather than guessing.

// The URL a thumbnail is shown from: the "public" variant, else the first one.
function thumbnailUrl(image) {
  const urls = Array.isArray(image.variants) ? image.variants : [];
  return urls.find((u) => u.endsWith('/public')) || urls[0] || null;
}

// '<delivery base>/<hash>/<id>' of an image (a variant name or option string goes after it).
function imageBase(image) {
  const url = thumbnailUrl(image);
  return url ? url.slice(0, url.lastIndexOf('/')) : null;
}

// { deliveryBase, hash } from any image's variant URL, or null.
function deliveryOf(image) {
  const base = imageBase(image);
  const suffix = `/${image.id}`;
  if (!base || !base.endsWith(suffix)) return null;
  const withHash = base.slice(0, -suffix.length);
  const cut = withHash.lastIndexOf('/');
  return { deliveryBase: withHash.slice(0, cut), hash: withHash.slice(cut + 1) };
}

// The account hash is only visible through delivery URLs: remembered per account once seen.
const knownDelivery = new Map();
function learnDelivery(account, images) {
  for (const img of images) {
    const d = deliveryOf(img);
    if (d) { knownDelivery.set(account.id, d); return; }
  }
}

// A thumbnail: the image from its delivery URL, or a placeholder saying why it cannot be shown.
function thumbnail(image, alt) {
  const url = thumbnailUrl(image);
  if (image.requireSignedURLs) {
    return h('div', { class: 'thumb placeholder' }, h('span', {}, 'Private image: needs a signed URL to be shown'));
  }
  if (!url) return h('div', { class: 'thumb placeholder' }, h('span', {}, 'No variant to show'));
  const img = h('img', { class: 'thumb', src: url, alt, loading: 'lazy', decoding: 'async' });
  // A delivery error (e.g. the variant was changed) leaves words instead of a broken icon.
  img.addEventListener('error', () => img.replaceWith(h('div', { class: 'thumb placeholder' }, h('span', {}, 'Could not be loaded from delivery'))));
  return img;
}

// ---------------------------------------------------------------------------------------------
// "Use API" (seed 001): the cURL command for an upload with the user's token and file name.

// POSIX shell quoting: bare when only safe characters, else single quotes ('\'' for a quote).
function shellQuote(s) {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, "'\\''")}'`;
}

// The -F argument. curl itself splits `file=@name;type=…` at ';' and treats '"' specially, so a
// name with such characters (or spaces, commas, backslashes) is put in curl's own double quotes
// (backslash escapes " and \), and then the whole argument is shell-quoted.
function curlFileArg(name) {
  const path = `./${name}`;
  const curlPart = /[;,"\\\s]/.test(path) ? `"${path.replace(/[\\"]/g, (c) => `\\${c}`)}"` : path;
  return shellQuote(`file=@${curlPart}`);
}

// The Authorization header argument: the seed's double-quoted form unless the token holds a
// character that is special inside double quotes (" $ ` \ !), then single-quoted.
function authArg(token) {
  const header = `Authorization: Bearer ${token}`;
  return /["$`\\!]/.test(header) ? shellQuote(header) : `"${header}"`;
}

export function curlCommand(token, fileName, accountId, origin) {
  const file = fileName || 'YOUR_IMAGE.png';
  const tok = token || '<YOUR_API_TOKEN>';
  return `curl -X POST -F ${curlFileArg(file)} -H ${authArg(tok)} ${origin}/client/v4/accounts/${accountId}/images/v1`;
}

// The Account ID and Account hash with copy buttons, and the delivery URL pattern they form.
function accountIds(account) {
  const d = knownDelivery.get(account.id);
  const parts = [idRow('Account ID', account.id)];
  if (d) {
    parts.push(idRow('Account hash', d.hash));
    const pattern = `${d.deliveryBase}/${d.hash}/<image_id>/<variant_name>`;
    parts.push(h('p', { class: 'id-row' }, h('span', {}, 'Image delivery URL:'), h('code', {}, pattern), copyButton(pattern, 'Image delivery URL')));
  } else {
    parts.push(h('p', { class: 'hint' }, 'Account hash: shown once the account has an image (it is part of every delivery URL).'));
  }
  return h('section', { class: 'card', 'aria-label': 'Developer resources' }, h('h2', {}, 'Developer resources'), ...parts);
}

function useApiPanel(account) {
  const token = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'Paste your API token' });
  const file = h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'YOUR_IMAGE.png' });
  const box = h('textarea', { readonly: true, rows: 4, spellcheck: 'false', class: 'curl' });
  const update = () => { box.value = curlCommand(token.value.trim(), file.value, account.id, location.origin); };
  token.addEventListener('input', update);
  file.addEventListener('input', update);
  update();
  return h('section', { class: 'card use-api', id: 'use-api', 'aria-label': 'Use API', hidden: true },
    h('h2', {}, 'Use API'),
    h('p', {}, 'Upload with the API: paste an API token with the Cloudflare Images Edit permission (create one under ',
      h('a', { href: '#/profile/api-tokens' }, 'My Profile'), '), type the name of the image file, and run the command in the folder that holds the file.'),
    field('API token', token),
    field('Image File Name', file),
    field('cURL command', box),
    h('div', { class: 'actions' }, copyButton(() => box.value, 'cURL command')));
}

// ---------------------------------------------------------------------------------------------
// #/images: upload, grid, paging

const listState = { page: 1 };
function perPage() {
  const n = Number(sessionStorage.getItem('nubis.images.per_page'));
  return PER_PAGE.includes(n) ? n : 20;
}

async function renderList(view, account) {
  const apiPanel = useApiPanel(account);
  const toggle = h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'use-api' }, 'Use API');
  toggle.addEventListener('click', () => {
    apiPanel.hidden = !apiPanel.hidden;
    toggle.setAttribute('aria-expanded', String(!apiPanel.hidden));
    if (!apiPanel.hidden) apiPanel.querySelector('input').focus();
  });
  const ids = h('div');
  const grid = h('section', { 'aria-label': 'Images', class: 'img-list' });
  view.append(h('div', { class: 'img-head' }, h('h1', {}, 'Images'), toggle), subNav('list'), apiPanel,
    uploadCard(account, () => { listState.page = 1; loadGrid(); }), ids, grid);

  // Loads one page of images (v1 list) and the count (stats) for "Page x of y".
  const loads = latest();
  async function loadGrid() {
    const size = perPage();
    const ticket = loads.next();
    const [list, stats] = await Promise.all([
      api('GET', `${imagesPath(account, 'v1')}?page=${listState.page}&per_page=${size}`),
      api('GET', imagesPath(account, 'v1/stats')),
    ]);
    if (!loads.is(ticket)) return;
    grid.replaceChildren(h('h2', {}, 'Your images'));
    if (!list.ok) {
      grid.append(alertLine(list.error.message));
      ids.replaceChildren(accountIds(account));
      return;
    }
    const images = (list.result && list.result.images) || [];
    learnDelivery(account, images);
    ids.replaceChildren(accountIds(account));
    const total = stats.ok && stats.result && stats.result.count ? stats.result.count.current : null;
    if (images.length === 0 && listState.page > 1) { listState.page = 1; loadGrid(); return; }
    if (images.length === 0) {
      grid.append(emptyState('No images yet.', h('p', {}, 'Upload one above (choose files or drop them on the drop zone), or use the API.')));
      return;
    }
    grid.append(
      h('p', { class: 'hint' }, total === null ? '' : `${total} image${total === 1 ? '' : 's'} in this account.`),
      h('ul', { class: 'img-grid' }, images.map(gridItem)),
      listPager(size, total, images.length));
  }

  // The pager (page numbers from the stats count) and the page-size choice.
  function listPager(size, total, shown) {
    const pages = total === null ? (shown < size ? listState.page : listState.page + 1) : Math.max(1, Math.ceil(total / size));
    const pick = h('select', {}, PER_PAGE.map((n) => h('option', { value: String(n), selected: n === size }, String(n))));
    pick.addEventListener('change', () => {
      sessionStorage.setItem('nubis.images.per_page', pick.value);
      listState.page = 1;
      loadGrid();
    });
    const nav = pager({ page: listState.page, per_page: size, total_pages: pages }, (p) => { listState.page = p; loadGrid(); });
    return h('div', { class: 'img-pager' }, nav, field('Images per page', pick));
  }

  await loadGrid();
}

// One card of the grid: the thumbnail (a link to the image), its file name and upload time.
function gridItem(image) {
  const name = image.filename || image.id;
  return h('li', { class: 'img-card' },
    h('a', { href: imageHash(image.id), class: 'img-link', 'aria-label': `Image ${name}` }, thumbnail(image, name)),
    h('p', { class: 'img-name' }, h('a', { href: imageHash(image.id) }, name)),
    h('p', { class: 'hint' }, formatDate(image.uploaded), image.requireSignedURLs ? ' · Private' : ''));
}

// The upload card: a drop zone with a file picker, optional metadata and signed-URL switch, and
// one row per file with a progress bar and the API's answer in words.
function uploadCard(account, onUploaded) {
  const input = h('input', { type: 'file', multiple: true, accept: 'image/*' });
  input.id = uid('file');
  const meta = h('textarea', { rows: 2, spellcheck: 'false', placeholder: '{"alt": "A red square"}' });
  const metaErr = errorLine(uid('meta-err'));
  const signed = h('input', { type: 'checkbox' });
  const rows = h('ul', { class: 'uploads', 'aria-label': 'Uploads', 'aria-live': 'polite' });
  const zone = h('div', { class: 'drop-zone', id: 'drop-zone' },
    h('p', {}, 'Drag and drop images here, or'),
    input,
    h('label', { for: input.id, class: 'button primary' }, 'Choose images'),
    h('p', { class: 'hint' }, 'PNG, JPEG, GIF, WebP or SVG, up to 10 MB each.'));

  // The drop zone highlights while files are over it; a drop starts their uploads.
  let depth = 0;
  zone.addEventListener('dragenter', (e) => { e.preventDefault(); depth++; zone.classList.add('over'); });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'; });
  zone.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; zone.classList.remove('over'); } });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    zone.classList.remove('over');
    start([...((e.dataTransfer && e.dataTransfer.files) || [])]);
  });
  input.addEventListener('change', () => { start([...input.files]); input.value = ''; });

  // Uploads the files one after another (each with its own progress bar), then refreshes the grid.
  async function start(files) {
    if (files.length === 0) return;
    const parsed = parseMetadata(meta.value);
    metaErr.set(parsed.error || '');
    if (parsed.error) { meta.focus(); return; }
    let any = false;
    for (const file of files) any = (await uploadOne(file, parsed.value)) || any;
    if (any) onUploaded();
  }

  async function uploadOne(file, metadata) {
    const bar = h('progress', { max: '1', value: 0, 'aria-label': `Upload of ${file.name}` });
    const status = h('span', { class: 'status' }, 'Uploading…');
    const row = h('li', { class: 'upload-row' }, h('span', { class: 'upload-name' }, file.name), bar, status);
    rows.prepend(row);
    const form = new FormData();
    form.append('file', file, file.name);
    if (Object.keys(metadata).length) form.append('metadata', JSON.stringify(metadata));
    if (signed.checked) form.append('requireSignedURLs', 'true');
    const res = await upload(imagesPath(account, 'v1'), form, (f) => { bar.value = f; });
    if (!res.ok) {
      row.classList.add('failed');
      status.replaceWith(h('span', { class: 'error', role: 'alert' }, `Not uploaded: ${res.error.message}`));
      return false;
    }
    bar.value = 1;
    status.replaceWith(h('span', { class: 'notice' }, 'Uploaded · ', h('a', { href: imageHash(res.result.id) }, 'Open')));
    return true;
  }

  return h('section', { class: 'card', 'aria-label': 'Upload images' },
    h('h2', {}, 'Upload images'),
    zone,
    h('details', { class: 'upload-options' }, h('summary', {}, 'Upload options'),
      field('Metadata (JSON, optional)', meta, metaErr),
      checkField('Require signed URLs (private images)', signed)),
    rows);
}

// ---------------------------------------------------------------------------------------------
// #/images/<id>: details, every delivery URL, edit, delete

async function renderDetail(view, account, id) {
  const back = h('p', {}, h('a', { href: '#/images' }, '← All images'));
  const res = await api('GET', imagePath(account, id));
  if (!res.ok) {
    view.append(h('h1', {}, 'Image'), back, alertLine(res.error.message));
    return;
  }
  const image = res.result;
  learnDelivery(account, [image]);
  const name = image.filename || image.id;
  view.append(h('h1', { class: 'img-title' }, name), back,
    h('div', { class: 'img-detail' },
      h('div', { class: 'img-preview' }, thumbnail(image, name)),
      h('div', {}, detailFacts(image), variantUrls(image))),
    editCard(account, image, (id) => navigate(imageHash(id))),
    deleteCard(account, image));
}

// Filename, id, upload time, access and metadata, as a description list.
function detailFacts(image) {
  const row = (term, ...value) => [h('dt', {}, term), h('dd', {}, ...value)];
  const meta = image.meta && Object.keys(image.meta).length ? h('pre', { class: 'meta' }, JSON.stringify(image.meta, null, 2)) : h('span', { class: 'hint' }, 'None');
  return h('dl', { class: 'facts' },
    row('Filename', image.filename || '—'),
    row('Image ID', h('code', {}, image.id), ' ', copyButton(image.id, 'Image ID')),
    row('Uploaded', formatDate(image.uploaded)),
    row('Require signed URLs', image.requireSignedURLs ? 'Yes (private: delivery needs a signed URL)' : 'No (public)'),
    ...(image.creator ? row('Creator', image.creator) : []),
    row('Metadata', meta));
}

// Every variant's delivery URL with a copy button.
function variantUrls(image) {
  const urls = Array.isArray(image.variants) ? image.variants : [];
  const body = urls.length
    ? h('ul', { class: 'variant-urls' }, urls.map((u) => {
      const variant = u.slice(u.lastIndexOf('/') + 1);
      return h('li', {}, h('span', { class: 'variant-name' }, variant), h('code', {}, u), copyButton(u, `URL of variant ${variant}`));
    }))
    : emptyState('This image has no variant URLs.');
  return h('section', { 'aria-label': 'Delivery URLs' }, h('h2', {}, 'Delivery URLs'), body);
}

// Metadata and requireSignedURLs, saved with PATCH (metadata replaces the stored object).
function editCard(account, image, onSaved) {
  const meta = h('textarea', { rows: 5, spellcheck: 'false' });
  meta.value = JSON.stringify(image.meta || {}, null, 2);
  const metaErr = errorLine(uid('meta-err'));
  const signed = h('input', { type: 'checkbox', checked: !!image.requireSignedURLs });
  const err = errorLine(uid('edit-err'));
  const form = h('form', { class: 'img-form', novalidate: true },
    field('Metadata (JSON)', meta, metaErr),
    checkField('Require signed URLs', signed),
    err,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    const parsed = parseMetadata(meta.value);
    metaErr.set(parsed.error || '');
    if (parsed.error) { meta.focus(); return; }
    const res = await api('PATCH', imagePath(account, image.id), { metadata: parsed.value, requireSignedURLs: signed.checked });
    if (!res.ok) { err.set(res.error.message); return; }
    // The answer's id: Cloudflare may give an image a new id when its signed-URL setting changes.
    onSaved((res.result && res.result.id) || image.id);
  });
  return h('section', { class: 'card', 'aria-label': 'Edit image' }, h('h2', {}, 'Edit'), form);
}

function deleteCard(account, image) {
  const err = errorLine(uid('del-err'));
  const button = h('button', { type: 'button', class: 'danger' }, 'Delete image');
  button.addEventListener('click', async () => {
    err.clear();
    const yes = await confirmAction('Delete this image?', `${image.filename || image.id} and every variant of it will be deleted. Its delivery URLs stop working. This cannot be undone.`, 'Delete image');
    if (!yes) { button.focus(); return; }
    const res = await api('DELETE', imagePath(account, image.id));
    if (!res.ok) { err.set(res.error.message); return; }
    navigate('#/images');
  });
  return h('section', { class: 'card', 'aria-label': 'Delete image' }, h('h2', {}, 'Delete'), h('div', { class: 'actions' }, button), err);
}

// ---------------------------------------------------------------------------------------------
// #/images/variants: list, create, edit, delete, preview

async function renderVariants(view, account) {
  view.append(h('h1', {}, 'Variants'), subNav('variants'),
    h('p', {}, 'A variant is a named size and fit every image is served in: ', h('code', {}, '…/<image_id>/<variant>'), '.'));
  const listBox = h('section', { 'aria-label': 'Variants list' });
  const editorBox = h('div');
  view.append(listBox, editorBox);

  // Public images the preview can show (private ones need signed URLs).
  const imgs = await api('GET', `${imagesPath(account, 'v1')}?page=1&per_page=50`);
  const previewable = imgs.ok ? ((imgs.result && imgs.result.images) || []).filter((i) => !i.requireSignedURLs && thumbnailUrl(i)) : [];

  async function load(selected) {
    const res = await api('GET', imagesPath(account, 'v1/variants'));
    listBox.replaceChildren(h('h2', {}, 'Your variants'));
    if (!res.ok) { listBox.append(alertLine(res.error.message)); return; }
    const variants = Object.values((res.result && res.result.variants) || {});
    listBox.append(variants.length ? variantTable(variants) : emptyState('No variants yet. Create one below.'));
    const current = variants.find((v) => v.id === selected) || null;
    editorBox.replaceChildren(variantEditor(account, current, previewable, load));
  }

  function variantTable(variants) {
    const body = h('tbody');
    for (const v of variants) {
      const o = v.options || {};
      const del = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete variant ${v.id}` }, 'Delete');
      const err = errorLine(uid('vdel'));
      del.addEventListener('click', async () => {
        const yes = await confirmAction(`Delete the variant ${v.id}?`, 'Image URLs that use this variant stop working. This cannot be undone.', 'Delete variant');
        if (!yes) { del.focus(); return; }
        const r = await api('DELETE', imagesPath(account, `v1/variants/${encodeURIComponent(v.id)}`));
        if (!r.ok) { err.set(r.error.message); return; }
        load(null);
      });
      const edit = h('button', { type: 'button', 'aria-label': `Edit variant ${v.id}` }, 'Edit');
      edit.addEventListener('click', () => { load(v.id).then(() => editorBox.querySelector('select, input')?.focus()); });
      body.append(h('tr', { dataset: { variant: v.id } },
        h('td', {}, h('code', {}, v.id)),
        h('td', {}, o.fit || '—'),
        h('td', {}, `${o.width ?? '—'} × ${o.height ?? '—'}`),
        h('td', {}, o.metadata || '—'),
        h('td', {}, v.neverRequireSignedURLs ? 'Yes' : 'No'),
        h('td', {}, h('div', { class: 'actions' }, edit, del), err)));
    }
    return h('div', { class: 'table-wrap' }, h('table', { class: 'variants' },
      h('thead', {}, h('tr', {}, ...['Name', 'Fit', 'Width × height', 'Metadata', 'Never require signed URLs'].map((t) => h('th', { scope: 'col' }, t)),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      body));
  }

  await load(null);
}

// The create/edit form beside its preview. variant null = a new one.
function variantEditor(account, variant, previewable, reload) {
  const o = (variant && variant.options) || { fit: 'scale-down', width: 400, height: 300, metadata: 'none' };
  const name = h('input', { type: 'text', value: variant ? variant.id : '', disabled: !!variant, autocomplete: 'off', maxlength: '99', pattern: '[A-Za-z0-9]+' });
  const fit = h('select', {}, FITS.map((f) => h('option', { value: f, selected: f === o.fit }, f)));
  const width = h('input', { type: 'number', min: '1', max: '12000', value: String(o.width ?? '') });
  const height = h('input', { type: 'number', min: '1', max: '12000', value: String(o.height ?? '') });
  const metadata = h('select', {}, METADATA.map((m) => h('option', { value: m, selected: m === o.metadata }, m)));
  const never = h('input', { type: 'checkbox', checked: !!(variant && variant.neverRequireSignedURLs) });
  const err = errorLine(uid('verr'));
  const options = () => ({ fit: fit.value, width: Number(width.value), height: Number(height.value), metadata: metadata.value });

  const preview = variantPreview(account, variant, previewable, options);
  for (const el of [fit, width, height, metadata]) el.addEventListener('input', preview.refresh);

  const form = h('form', { class: 'img-form', novalidate: true, 'aria-label': variant ? `Edit variant ${variant.id}` : 'Create a variant' },
    field('Variant name', name, h('p', { class: 'hint' }, 'Letters and digits, at most 99.')),
    field('Fit', fit),
    h('div', { class: 'two' }, field('Width (px)', width), field('Height (px)', height)),
    field('Metadata', metadata),
    checkField('Never require signed URLs (serve private images through this variant unsigned)', never),
    err,
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, variant ? 'Save variant' : 'Create variant'),
      variant ? h('button', { type: 'button', onclick: () => reload(null) }, 'New variant') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    const body = { options: options(), neverRequireSignedURLs: never.checked };
    const res = variant
      ? await api('PATCH', imagesPath(account, `v1/variants/${encodeURIComponent(variant.id)}`), body)
      : await api('POST', imagesPath(account, 'v1/variants'), { id: name.value.trim(), ...body });
    if (!res.ok) { err.set(res.error.message); return; }
    await reload(variant ? variant.id : name.value.trim());
  });
  return h('section', { class: 'card variant-editor', 'aria-label': 'Variant editor' },
    h('h2', {}, variant ? `Edit variant ${variant.id}` : 'Create a variant'),
    h('div', { class: 'editor-grid' }, form, preview.el));
}

// The preview: an existing image as the delivery server renders it. By default through the saved
// variant (what visitors get now). "Live preview" renders the unsaved options through a flexible
// variant URL, which works only when the account has flexible variants on: if delivery refuses,
// the page says so and offers to turn them on (PATCH …/images/v1/config).
function variantPreview(account, variant, previewable, options) {
  const el = h('section', { class: 'preview', 'aria-label': 'Preview' }, h('h3', {}, 'Preview'));
  if (previewable.length === 0) {
    el.append(emptyState('Upload a public image to preview variants on it.'));
    return { el, refresh() {} };
  }
  const pick = h('select', {}, previewable.map((i) => h('option', { value: i.id }, i.filename || i.id)));
  const live = h('input', { type: 'checkbox' });
  const frame = h('div', { class: 'preview-frame' });
  const caption = h('p', { class: 'hint preview-url' });
  const note = h('div', { class: 'preview-note' });
  if (previewable.some((i) => i.id === previewPick)) pick.value = previewPick;
  let stamp = Date.now();  // a fresh query after a save: the browser keeps earlier renderings
  let timer = 0;

  function refresh() {
    clearTimeout(timer);
    timer = setTimeout(show, 250);  // typing a width should not request every keystroke
  }

  function show() {
    note.replaceChildren();
    const image = previewable.find((i) => i.id === pick.value) || previewable[0];
    const base = imageBase(image);
    let url;
    if (live.checked) {
      const o = options();
      url = `${base}/fit=${o.fit},width=${o.width},height=${o.height},metadata=${o.metadata}`;
    } else if (variant) {
      url = `${base}/${encodeURIComponent(variant.id)}?v=${stamp}`;
    } else {
      frame.replaceChildren(h('p', { class: 'hint' }, 'Create the variant to preview it, or tick "Live preview" to see these options now.'));
      caption.textContent = '';
      return;
    }
    const img = h('img', { src: url, alt: `${image.filename || image.id} through ${live.checked ? 'these options' : `variant ${variant.id}`}` });
    img.addEventListener('load', () => { caption.textContent = `${img.naturalWidth} × ${img.naturalHeight} px from ${url}`; });
    img.addEventListener('error', () => {
      caption.textContent = '';
      if (live.checked) note.append(flexibleOffNote(account, show));
      else note.append(alertLine('The delivery server did not render this variant.'));
    });
    frame.replaceChildren(img);
    caption.textContent = `Loading ${url}`;
  }

  pick.addEventListener('change', () => { previewPick = pick.value; show(); });
  live.addEventListener('change', show);
  el.append(field('Preview image', pick), checkField('Live preview of unsaved options (flexible variants)', live), frame, caption, note);
  show();
  return { el, refresh };
}

// The image last chosen for the preview (kept while editing one variant after another).
let previewPick = null;

// Delivery refused a flexible URL: in words, with the switch that allows them.
function flexibleOffNote(account, retry) {
  const err = errorLine(uid('flex'));
  const on = h('button', { type: 'button' }, 'Turn on flexible variants');
  on.addEventListener('click', async () => {
    const res = await api('PATCH', imagesPath(account, 'v1/config'), { flexible_variants: true });
    if (!res.ok) { err.set(res.error.message); return; }
    retry();
  });
  return h('div', { class: 'notice-box', role: 'status' },
    h('p', {}, 'The live preview needs flexible variants (resizing options in the URL), and delivery refused them: they are probably off for this account. Turning them on lets anyone request any size of public images.'),
    h('div', { class: 'actions' }, on), err);
}

// ---------------------------------------------------------------------------------------------
// #/images/keys: signing keys for private images' URLs

async function renderKeys(view, account) {
  view.append(h('h1', {}, 'Signing keys'), subNav('keys'),
    h('p', {}, 'Private images (Require signed URLs) are served only with ', h('code', {}, '?exp=…&sig=…'),
      ', an HMAC-SHA256 of the URL path made with one of these keys. Rolling a key gives it a new value: URLs signed with the old one stop working.'));
  const listBox = h('section', { 'aria-label': 'Keys list' });
  const name = h('input', { type: 'text', autocomplete: 'off', maxlength: '20' });
  const err = errorLine(uid('kerr'));
  const form = h('form', { class: 'img-form', novalidate: true, 'aria-label': 'Create a signing key' },
    field('Key name', name, h('p', { class: 'hint' }, 'Up to 20 letters, digits, _ or -.')), err,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create key')));
  view.append(listBox, h('section', { class: 'card', 'aria-label': 'New key' }, h('h2', {}, 'Create a key'), form));

  let names = [];
  // Shows the key list (the PUT and DELETE answers carry it too).
  function show(keys) {
    names = keys.map((k) => k.name);
    listBox.replaceChildren(h('h2', {}, 'Your keys'));
    if (keys.length === 0) { listBox.append(emptyState('No signing keys.')); return; }
    const body = h('tbody');
    for (const k of keys) body.append(keyRow(k));
    listBox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'keys' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      body)));
  }

  function keyRow(k) {
    const value = h('code', { class: 'secret' }, '••••••••••••');
    const reveal = h('button', { type: 'button', 'aria-label': `Show key ${k.name}`, 'aria-pressed': 'false' }, 'Show');
    reveal.addEventListener('click', () => {
      const shown = reveal.getAttribute('aria-pressed') === 'true';
      value.textContent = shown ? '••••••••••••' : k.value;
      reveal.setAttribute('aria-pressed', String(!shown));
      reveal.textContent = shown ? 'Show' : 'Hide';
    });
    const rowErr = errorLine(uid('krow'));
    const roll = h('button', { type: 'button', 'aria-label': `Roll key ${k.name}` }, 'Roll');
    roll.addEventListener('click', () => act(rowErr, roll, 'PUT', k.name, `Roll the key ${k.name}?`, 'It gets a new value; URLs signed with the current value stop working.', 'Roll key'));
    const del = h('button', { type: 'button', class: 'danger', 'aria-label': `Delete key ${k.name}` }, 'Delete');
    del.addEventListener('click', () => act(rowErr, del, 'DELETE', k.name, `Delete the key ${k.name}?`, 'URLs signed with it stop working. If it is the last key, a new "default" key is made.', 'Delete key'));
    return h('tr', { dataset: { key: k.name } },
      h('td', {}, h('code', {}, k.name)),
      h('td', {}, value, ' ', reveal, ' ', copyButton(k.value, `key ${k.name}`)),
      h('td', {}, h('div', { class: 'actions' }, roll, del), rowErr));
  }

  // A confirmed PUT (roll) or DELETE of one key; the answer is the new list.
  async function act(errEl, button, method, keyName, title, text, label) {
    errEl.clear();
    if (!(await confirmAction(title, text, label))) { button.focus(); return; }
    const res = await api(method, imagesPath(account, `v1/keys/${encodeURIComponent(keyName)}`));
    if (!res.ok) { errEl.set(res.error.message); return; }
    show(res.result.keys || []);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    const n = name.value.trim();
    if (!n) { err.set('Enter a key name.'); name.focus(); return; }
    // PUT on an existing name rolls it: say so before doing it.
    if (names.includes(n) && !(await confirmAction(`A key named ${n} exists`, 'Creating it again rolls it: it gets a new value and URLs signed with the current value stop working.', 'Roll key'))) return;
    const res = await api('PUT', imagesPath(account, `v1/keys/${encodeURIComponent(n)}`));
    if (!res.ok) { err.set(res.error.message); name.focus(); return; }
    name.value = '';
    show(res.result.keys || []);
  });

  const res = await api('GET', imagesPath(account, 'v1/keys'));
  if (!res.ok) { listBox.append(alertLine(res.error.message)); return; }
  show(res.result.keys || []);
}

// ---------------------------------------------------------------------------------------------

export async function render(view, args) {
  const account = currentAccount();
  if (!account) {
    view.append(h('h1', {}, 'Images'), emptyState('You are not a member of any account, so there are no images to show.'));
    return;
  }
  const [first] = args;
  if (first === undefined) return renderList(view, account);
  if (first === 'variants' && args.length === 1) return renderVariants(view, account);
  if (first === 'keys' && args.length === 1) return renderKeys(view, account);
  // An image id (custom ids may hold '/': the link encodes it as one segment, but a typed URL
  // may not, so the rest of the path is joined back).
  return renderDetail(view, account, args.join('/'));
}
