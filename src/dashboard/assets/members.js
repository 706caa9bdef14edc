// Members (issue 6): who belongs to the current account and with which roles, and the invites it
// has sent; invite someone by e-mail, change a member's roles, remove a member or cancel an
// invite. At the top, the signed-in user's own pending invitations, to accept or decline.
// Everything goes through the public v4 API (/accounts/{account_id}/members and /roles,
// /user/invites, /user, /accounts), so the page can do exactly what the session's roles allow and
// the refusals it shows are the API's own words.
import {
  alertLine, api, confirmDialog, currentAccount, emptyState, errorLine, formatDate, h, latest, pager, refreshAccounts, session,
} from './lib.js';

const PER_PAGE = 20;
const STATUS_WORDS = { accepted: 'accepted', pending: 'pending', rejected: 'declined' };

// `flash` is a notice carried over a re-render (after accepting an invite, say).
export async function render(view, args, flash) {
  const status = h('p', { class: 'notice', role: 'status', id: 'members-status' }, flash || '');
  const invites = h('section', { id: 'my-invites', 'aria-labelledby': 'my-invites-title', hidden: true });
  const account = h('div', { id: 'members-account' });
  view.append(h('h1', {}, 'Members'), status, invites, account);
  const say = (text) => { status.textContent = text; };
  const again = (text) => { view.replaceChildren(); return render(view, args, text); };
  await Promise.all([renderInvites(invites, again), renderAccount(account, say, again)]);
}

// ---------------------------------------------------------------- the user's own invitations

// Only pending invitations need an answer; the section stays hidden when there are none.
async function renderInvites(box, again) {
  const res = await api('GET', '/client/v4/user/invites');
  if (!res.ok) {
    box.hidden = false;
    box.append(alertLine(`Your invitations could not be loaded: ${res.error.message}`));
    return;
  }
  const pending = (res.result || []).filter((i) => i.status === 'pending');
  if (pending.length === 0) return;
  box.hidden = false;
  box.append(h('h2', { id: 'my-invites-title' }, 'Your invitations'),
    h('p', { class: 'invite-notice' }, pending.length === 1
      ? 'You have been invited to join an account. Accept to work in it with the roles below.'
      : `You have been invited to join ${pending.length} accounts. Accept to work in them with the roles shown.`));
  for (const inv of pending) box.append(inviteCard(inv, again));
}

function inviteCard(inv, again) {
  const err = errorLine(`invite-error-${inv.id}`);
  const accept = h('button', { type: 'button', class: 'primary' }, 'Accept');
  const decline = h('button', { type: 'button' }, 'Decline');
  // PATCH /user/invites/{id} {status}; after accepting, the account joins the session's list.
  const answer = async (status) => {
    err.clear();
    accept.disabled = decline.disabled = true;
    const res = await api('PATCH', `/client/v4/user/invites/${encodeURIComponent(inv.id)}`, { status });
    if (!res.ok) {
      err.set(res.error.message);
      accept.disabled = decline.disabled = false;
      return;
    }
    if (status === 'accepted') {
      await refreshAccounts();
      await again(`You are now a member of ${inv.organization_name}.`);
    } else {
      await again(`You declined the invitation to ${inv.organization_name}.`);
    }
  };
  accept.addEventListener('click', () => answer('accepted'));
  decline.addEventListener('click', () => answer('rejected'));
  return h('article', { class: 'card invite', 'aria-label': `Invitation to ${inv.organization_name}` },
    h('h3', {}, inv.organization_name),
    h('p', {}, 'Roles: ', (inv.roles || []).join(', ') || '—'),
    h('p', { class: 'muted' }, `Invited by ${inv.invited_by} on ${formatDate(inv.invited_on)}`,
      inv.expires_on ? `; expires ${formatDate(inv.expires_on)}` : ''),
    h('div', { class: 'actions' }, accept, decline),
    err);
}

// ---------------------------------------------------------------- the account's members

async function renderAccount(box, say, again) {
  const account = currentAccount();
  if (!account) {
    box.append(emptyState('You are not a member of any account yet.',
      h('p', {}, 'Invitations to join an account show at the top of this page; accept one to work in that account.')));
    return;
  }
  const base = `/client/v4/accounts/${encodeURIComponent(account.id)}`;
  const [roles, me] = await Promise.all([api('GET', `${base}/roles?per_page=50`), api('GET', '/client/v4/user')]);
  if (!roles.ok) {
    box.append(alertLine(`The roles could not be loaded: ${roles.error.message}`));
    return;
  }
  const ctx = { account, base, roles: roles.result || [], say, again, canManage: canManage(me, account) };
  box.append(h('p', { class: 'account-line' }, 'Account: ', h('strong', {}, account.name)));
  if (ctx.canManage) box.append(inviteForm(ctx));
  box.append(membersSection(ctx));
  await ctx.reload(1);
}

// Managing members takes the account's settings write (Cloudflare's legacy "#organization:edit",
// which only the Super Administrator role holds). Unknown (the /user call failed): offer the
// forms and let the API answer.
function canManage(me, account) {
  if (!me.ok) return true;
  const org = (me.result.organizations || []).find((o) => o.id === account.id);
  return !org || (org.permissions || []).includes('#organization:edit');
}

// Checkboxes of the account's roles (a member may hold several), with Cloudflare's descriptions.
function roleChoices(ctx, idPrefix, checked = []) {
  return ctx.roles.map((r) => {
    const id = `${idPrefix}-${r.id}`;
    return h('div', { class: 'role-choice' },
      h('input', { type: 'checkbox', id, name: 'roles', value: r.id, checked: checked.includes(r.id) }),
      h('label', { for: id }, r.name),
      r.description ? h('p', { class: 'role-description' }, r.description) : null);
  });
}

const checkedRoles = (form) => [...form.querySelectorAll('input[name=roles]:checked')].map((i) => i.value);

// POST /accounts/{account_id}/members {email, roles}: an invite (status pending by default).
function inviteForm(ctx) {
  const email = h('input', { id: 'invite-email', name: 'email', type: 'email', autocomplete: 'off', required: true });
  const err = errorLine('invite-error');
  const send = h('button', { type: 'submit' }, 'Send invite');
  const form = h('form', { id: 'invite-form', novalidate: true },
    h('label', { for: 'invite-email' }, 'E-mail'), email,
    h('fieldset', { class: 'roles' }, h('legend', {}, 'Roles'), ...roleChoices(ctx, 'invite-role')),
    err, h('div', { class: 'actions' }, send));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    send.disabled = true;
    const res = await api('POST', `${ctx.base}/members`, { email: email.value.trim(), roles: checkedRoles(form) });
    send.disabled = false;
    if (!res.ok) {
      err.set(res.error.message);
      email.focus();
      return;
    }
    form.reset();
    // The list first, then the notice: once it shows, the page is up to date.
    await ctx.reload(1);
    ctx.say(`Invited ${res.result.email}. The invite stays pending until they accept it.`);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'invite-title' }, h('h2', { id: 'invite-title' }, 'Invite a member'), form);
}

// The paged list with a status filter; ctx.reload(page) draws it.
function membersSection(ctx) {
  // No aria-live here: a reload would read the whole table aloud; the status line says what changed.
  const list = h('div', { id: 'members-list' });
  const filter = h('select', { id: 'members-filter' },
    h('option', { value: '' }, 'All'),
    h('option', { value: 'accepted' }, 'Members (accepted)'),
    h('option', { value: 'pending' }, 'Pending invites'),
    h('option', { value: 'rejected' }, 'Declined invites'));
  let page = 1;
  // aria-busy while a page loads: screen readers (and tests) know when the list is current.
  ctx.reload = async (p = page) => {
    list.setAttribute('aria-busy', 'true');
    try { await draw(p); } finally { list.removeAttribute('aria-busy'); }
  };
  const loads = latest();
  const draw = async (p) => {
    page = p;
    const q = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
    if (filter.value) q.set('status', filter.value);
    const ticket = loads.next();
    const res = await api('GET', `${ctx.base}/members?${q}`);
    if (!loads.is(ticket)) return;  // a later page or filter was asked for meanwhile
    if (!res.ok) {
      list.replaceChildren(alertLine(`The members could not be loaded: ${res.error.message}`));
      return;
    }
    const rows = res.result || [];
    // A page emptied by a removal: show the one before it.
    if (rows.length === 0 && page > 1) return draw(page - 1);
    if (rows.length === 0) {
      list.replaceChildren(emptyState(filter.value ? 'Nothing with this status.' : 'No members yet.'));
      return;
    }
    list.replaceChildren(membersTable(ctx, rows), pager(res.json.result_info, (n) => ctx.reload(n)));
  };
  filter.addEventListener('change', () => ctx.reload(1));
  // Invitees accept elsewhere: Refresh shows it without leaving the page.
  const refresh = h('button', { type: 'button', onclick: () => ctx.reload() }, 'Refresh');
  const section = h('section', { 'aria-labelledby': 'members-title' },
    h('div', { class: 'members-head' }, h('h2', { id: 'members-title' }, 'Members and invites'),
      h('div', { class: 'members-filter' }, h('label', { for: 'members-filter' }, 'Show'), filter, refresh)),
    ctx.canManage ? null : h('p', { class: 'muted' }, 'Your roles in this account let you see its members, not change them.'),
    list);
  return section;
}

function membersTable(ctx, rows) {
  return h('table', { id: 'members' },
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Member'), h('th', { scope: 'col' }, 'Roles'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    h('tbody', {}, rows.map((m) => memberRow(ctx, m))));
}

// A member's name (once accepted, the API tells it) and e-mail; "(you)" for the signed-in user.
function whoCell(m) {
  const u = m.user || {};
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ');
  const you = session.user && u.id && u.id === session.user.id ? h('span', { class: 'muted' }, ' (you)') : null;
  return h('td', { class: 'who-cell' },
    name ? h('strong', { class: 'member-name' }, name) : null,
    h('span', { class: 'member-email' }, m.email || u.email), you);
}

function memberRow(ctx, m) {
  const roleIds = (m.roles || []).map((r) => r.id);
  const rolesCell = h('td', { class: 'roles-cell' });
  const showRoles = () => rolesCell.replaceChildren((m.roles || []).map((r) => r.name).join(', ') || '—');
  showRoles();
  const err = errorLine(`member-error-${m.id}`);
  const label = m.email || (m.user && m.user.email);
  const actions = h('div', { class: 'actions' });
  if (ctx.canManage) {
    const change = h('button', { type: 'button', 'aria-label': `Change roles of ${label}` }, 'Change roles');
    change.addEventListener('click', () => {
      err.clear();
      rolesCell.replaceChildren(rolesEditor(ctx, m, roleIds, err, showRoles));
      rolesCell.querySelector('input').focus();
    });
    const removeWord = m.status === 'pending' ? 'Cancel invite' : 'Remove';
    const remove = h('button', { type: 'button', class: 'danger', 'aria-label': `${removeWord} ${label}` }, removeWord);
    remove.addEventListener('click', () => removeMember(ctx, m, label, err));
    actions.append(change, remove);
  }
  return h('tr', { dataset: { memberId: m.id } },
    whoCell(m), rolesCell,
    h('td', {}, h('span', { class: `badge status-${m.status}` }, STATUS_WORDS[m.status] || m.status)),
    h('td', { class: 'actions-cell' }, actions, err));
}

// PUT /accounts/{account_id}/members/{member_id} {roles}: the roles replace the member's.
function rolesEditor(ctx, m, roleIds, err, done) {
  const save = h('button', { type: 'submit' }, 'Save roles');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h('form', { class: 'roles-editor', novalidate: true },
    h('fieldset', { class: 'roles' }, h('legend', { class: 'sr-only' }, `Roles of ${m.email}`),
      ...roleChoices(ctx, `roles-${m.id}`, roleIds)),
    h('div', { class: 'actions' }, save, cancel));
  cancel.addEventListener('click', () => { err.clear(); done(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.clear();
    save.disabled = true;
    const res = await api('PUT', `${ctx.base}/members/${encodeURIComponent(m.id)}`, { roles: checkedRoles(form).map((id) => ({ id })) });
    save.disabled = false;
    if (!res.ok) { err.set(res.error.message); return; }
    const text = `Changed the roles of ${m.email} to ${(res.result.roles || []).map((r) => r.name).join(', ')}.`;
    // Changing one's own roles may change what this page may do: draw it all again.
    if (isMe(m)) { await refreshAccounts(); await ctx.again(text); return; }
    await ctx.reload();
    ctx.say(text);
  });
  return form;
}

const isMe = (m) => Boolean(session.user && m.user && m.user.id && m.user.id === session.user.id);

// DELETE /accounts/{account_id}/members/{member_id}, after a confirmation.
async function removeMember(ctx, m, label, err) {
  err.clear();
  const pending = m.status === 'pending';
  const ok = await confirmDialog({
    title: pending ? `Cancel the invite to ${label}?` : `Remove ${label} from ${ctx.account.name}?`,
    text: pending ? 'They will no longer be able to accept it.'
      : isMe(m) ? 'You will lose access to this account at once.' : 'They lose access to this account at once.',
    action: pending ? 'Cancel invite' : 'Remove member',
    // "Cancel" would read as the action on an invite: the safe choice is "Keep".
    cancel: 'Keep',
  });
  if (!ok) return;
  const res = await api('DELETE', `${ctx.base}/members/${encodeURIComponent(m.id)}`);
  if (!res.ok) { err.set(res.error.message); return; }
  const text = pending ? `Cancelled the invite to ${label}.` : `Removed ${label} from ${ctx.account.name}.`;
  if (isMe(m)) { await refreshAccounts(); await ctx.again(text); return; }
  await ctx.reload();
  ctx.say(text);
}

