// My Profile → API Tokens (seeds 000, 001, 003): the user's tokens with status and last use, and
// Edit / Roll / Delete; "Create Token" (token_form.js); and API Keys → Global API Key, rolled with
// the password typed again (Nubis keeps only a keyed hash of the key, so it is shown once, when
// made, never "viewed" later).
import { alertLine, api, confirmDialog, copyButton, emptyState, errorLine, formatDate, h, listAll, navigate } from './lib.js';
import { renderSecret, renderTokenEditor } from './token_form.js';

export async function render(view, args) {
  // #/profile/api-tokens[/create[/<template>] | /edit/<id>]
  const [tab, mode, arg] = args;
  if (tab !== 'api-tokens') { navigate('#/profile/api-tokens'); return; }
  if (mode === 'create' || mode === 'edit') { await renderTokenEditor(view, mode, arg); return; }
  await renderList(view);
}

// A short "what it may do" for the list: the permission groups' names.
function permissionsOf(token) {
  const names = new Set();
  for (const p of token.policies || []) for (const g of p.permission_groups || []) names.add(g.name || g.id);
  const all = [...names];
  return all.length > 3 ? `${all.slice(0, 3).join(', ')} and ${all.length - 3} more` : all.join(', ');
}

function statusOf(token) {
  const now = Date.now();
  if (token.expires_on && Date.parse(token.expires_on) <= now) return 'Expired';
  if (token.not_before && Date.parse(token.not_before) > now) return 'Not yet active';
  return token.status === 'active' ? 'Active' : token.status === 'disabled' ? 'Disabled' : token.status;
}

async function roll(view, token) {
  if (!(await confirmDialog({ title: `Roll ${token.name}`, text: 'A new secret replaces the current one, which stops working at once.', action: 'Roll', danger: false }))) return;
  const res = await api('PUT', `/client/v4/user/tokens/${encodeURIComponent(token.id)}/value`, {});
  if (!res.ok) { view.prepend(alertLine(res.error.message)); return; }
  renderSecret(view, `${token.name} was successfully rolled`, res.result);
}

async function remove(view, token) {
  if (!(await confirmDialog({ title: `Delete ${token.name}`, text: 'Applications using this token will no longer be able to access the Cloudflare API.', action: 'Delete' }))) return;
  const res = await api('DELETE', `/client/v4/user/tokens/${encodeURIComponent(token.id)}`);
  if (!res.ok) { view.prepend(alertLine(res.error.message)); return; }
  view.replaceChildren();
  await renderList(view);
  // The deleted row held the focus: start again from the heading.
  view.querySelector('h1').focus();
}

async function renderList(view) {
  view.append(
    h('h1', { tabindex: '-1' }, 'API Tokens'),
    h('p', {}, 'Manage access and permissions for your accounts, sites, and products.'),
    h('div', { class: 'actions' }, h('a', { class: 'button primary', href: '#/profile/api-tokens/create' }, 'Create Token')));
  const tokens = await listAll('/client/v4/user/tokens');
  if (!tokens.ok) {
    view.append(alertLine(tokens.error.message));
  } else if (!tokens.items.length) {
    view.append(emptyState('No API tokens yet. Create one from a template or as a custom token.'));
  } else {
    const body = h('tbody');
    for (const t of tokens.items) {
      body.append(h('tr', { dataset: { tokenId: t.id } },
        h('td', {}, h('strong', {}, t.name)),
        h('td', {}, permissionsOf(t)),
        h('td', {}, statusOf(t)),
        h('td', {}, t.last_used_on ? formatDate(t.last_used_on) : 'Never'),
        h('td', {}, t.expires_on ? formatDate(t.expires_on) : 'Never'),
        h('td', {}, h('div', { class: 'actions' },
          h('a', { class: 'button', href: `#/profile/api-tokens/edit/${encodeURIComponent(t.id)}`, 'aria-label': `Edit ${t.name}` }, 'Edit'),
          h('button', { type: 'button', 'aria-label': `Roll ${t.name}`, onclick: () => roll(view, t) }, 'Roll'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${t.name}`, onclick: () => remove(view, t) }, 'Delete')))));
    }
    view.append(h('table', { id: 'tokens', class: 'collapse' },
      h('thead', {}, h('tr', {}, ...['Token name', 'Permissions', 'Status', 'Last used', 'Expires'].map((c) => h('th', { scope: 'col' }, c)),
        h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
      body));
  }
  view.append(globalKeySection());
}

// API Keys → Global API Key: the password again, then a new key shown once.
function globalKeySection() {
  const box = h('section', { class: 'card', 'aria-labelledby': 'keys-title' });
  const error = errorLine('key-error');
  const password = h('input', { id: 'key-password', type: 'password', autocomplete: 'current-password', 'aria-describedby': 'key-error' });
  const form = h('form', { id: 'key-form', hidden: true, novalidate: true },
    h('p', {}, 'Nubis keeps only a keyed hash of your Global API Key, so the key cannot be shown again: rolling it makes a new one, shown once, and the current one stops working at once.'),
    h('label', { for: 'key-password' }, 'Your password'), password, error,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger' }, 'Roll Global API Key')));
  const result = h('div', { hidden: true });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.clear();
    const res = await api('POST', '/dashboard/api/global_api_key/roll', { password: password.value });
    password.value = '';
    if (!res.ok) { error.set(res.error.message); password.focus(); return; }
    form.hidden = true;
    result.hidden = false;
    result.replaceChildren(
      h('p', { class: 'notice' }, 'Your new Global API Key. For security this will not be shown again.'),
      h('p', { class: 'id-row secret' }, h('label', { for: 'global-key' }, 'Global API Key'),
        h('input', { id: 'global-key', type: 'text', readonly: true, value: res.result.global_api_key, size: '40', spellcheck: 'false' }),
        copyButton(res.result.global_api_key, 'Global API Key')));
    result.querySelector('input').select();
  });
  box.append(
    h('h2', { id: 'keys-title' }, 'API Keys'),
    h('div', { class: 'id-row' }, h('strong', {}, 'Global API Key'),
      h('button', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'key-form', onclick: (e) => {
        form.hidden = !form.hidden;
        e.target.setAttribute('aria-expanded', String(!form.hidden));
        if (!form.hidden) password.focus();
      } }, 'View')),
    form, result);
  return box;
}
