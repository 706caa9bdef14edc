// Overview: the account's name and Account ID, and the zones with their Zone IDs (seed 002:
// "find your Account ID and Zone ID on the Overview page"), each with a copy button.
import { alertLine, api, copyButton, emptyState, h, idRow, listAll, session } from './lib.js';

export async function render(view) {
  view.append(h('h1', {}, 'Overview'));
  // Invitations wait on the Members page; say so here, where a newly made user lands.
  const invites = await api('GET', '/client/v4/user/invites');
  const pending = invites.ok && Array.isArray(invites.result) ? invites.result.filter((i) => i.status === 'pending') : [];
  if (pending.length) {
    view.append(h('p', { class: 'card notice', role: 'status' },
      `You have ${pending.length === 1 ? 'an invitation' : `${pending.length} invitations`} to join an account. `,
      h('a', { href: '#/members' }, 'See your invitations')));
  }
  for (const a of session.accounts) {
    view.append(h('section', { class: 'card', 'aria-label': `Account ${a.name}` },
      h('h2', {}, a.name), idRow('Account ID', a.id)));
  }
  view.append(h('h2', {}, 'Zones'));
  const zones = await listAll('/client/v4/zones');
  if (!zones.ok) {
    view.append(alertLine(zones.error.message));
    return;
  }
  if (zones.items.length === 0) {
    view.append(emptyState('No zones yet.', h('p', {}, 'Add one with ', h('code', {}, 'POST /client/v4/zones'), ', then its Zone ID shows here.')));
    return;
  }
  if (zones.truncated) view.append(h('p', { class: 'hint' }, `Showing the first ${zones.items.length} zones.`));
  const body = h('tbody');
  for (const z of zones.items) {
    body.append(h('tr', {},
      h('td', {}, z.name),
      h('td', {}, z.status),
      h('td', {}, h('code', {}, z.id), ' ', copyButton(z.id, `Zone ID of ${z.name}`)),
      h('td', {}, h('a', { href: `#/dns/${encodeURIComponent(z.id)}` }, 'DNS'))));
  }
  view.append(h('table', { id: 'zones' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Zone'), h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col' }, 'Zone ID'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Links')))),
    body));
}
