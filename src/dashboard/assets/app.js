// The dashboard's shell: sign-in, the header with its navigation, and a hash router that loads
// each page's module (overview.js, tokens.js, images.js, dns.js, members.js) into <main>.
// Pages export render(view, args): view is an emptied container, args the rest of the hash path
// (#/images/variants -> ['variants']).
import { alertLine, api, currentAccount, h, refreshAccounts, session } from './lib.js';

const $ = (id) => document.getElementById(id);

const PAGES = {
  overview: { module: './overview.js', title: 'Overview' },
  profile: { module: './tokens.js', title: 'API Tokens' },
  images: { module: './images.js', title: 'Images' },
  dns: { module: './dns.js', title: 'DNS' },
  members: { module: './members.js', title: 'Members' },
};

function signedIn(on) {
  // Shown from here on (focus needs a visible page).
  document.documentElement.classList.add('ready');
  $('sign-in').hidden = on;
  $('view').hidden = !on;
  $('nav').hidden = !on;
  $('sign-out').hidden = !on;
  $('who').hidden = !on;
  $('account-pick').hidden = !on || session.accounts.length < 2;
}

// The header's account picker, from session.accounts (shown when there is a choice).
function syncAccountPicker() {
  const pick = $('account-pick');
  const chosen = currentAccount();
  pick.replaceChildren(...session.accounts.map((a) => h('option', { value: a.id }, a.name)));
  if (chosen) pick.value = chosen.id;
  pick.hidden = !session.user || session.accounts.length < 2;
}
window.addEventListener('nubis:accounts', syncAccountPicker);

async function loadSession(result) {
  session.csrf = result.csrf_token;
  session.user = result.user;
  $('who').textContent = session.user.email;
  await refreshAccounts();
  signedIn(true);
}

// A hash segment as text ("%E0" alone is no valid escape: kept as typed, not an exception).
function decodeSegment(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

let rendering = 0;
async function route() {
  if (!session.user) return;
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeSegment);
  const name = PAGES[parts[0]] ? parts[0] : 'overview';
  const page = PAGES[name];
  for (const a of $('nav').querySelectorAll('a')) {
    if (a.dataset.page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const ticket = ++rendering;
  const view = $('view');
  view.setAttribute('aria-busy', 'true');
  document.title = `${page.title} · Nubis`;
  try {
    const mod = await import(page.module);
    if (ticket !== rendering) return;  // a later navigation won
    // Each render gets a container of its own: a slow page still writing after the user moved on
    // writes into a detached element, never into the page shown now.
    const container = h('div', { class: 'page' });
    view.replaceChildren(container);
    await mod.render(container, parts.slice(1));
  } catch (e) {
    if (ticket === rendering) view.replaceChildren(alertLine(`This page failed to load: ${e.message}`));
  } finally {
    if (ticket === rendering) view.removeAttribute('aria-busy');
  }
  if (ticket !== rendering) return;
  const heading = view.querySelector('h1');
  if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
}

$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const err = $('sign-in-error');
  err.hidden = true;
  const res = await api('POST', '/dashboard/api/session', { email: $('email').value, password: $('password').value });
  if (!res.ok) {
    err.textContent = res.error.message;
    err.hidden = false;
    $('password').focus();
    return;
  }
  $('password').value = '';
  await loadSession(res.result);
  await route();
});

// Signed out (here or because the session ended): a fresh page, so no page keeps the last
// user's state, and nothing of it stays in this tab's storage.
function signedOut(message) {
  sessionStorage.clear();
  if (message) sessionStorage.setItem('nubis.signed-out', message);
  location.assign('/');
}

$('sign-out').addEventListener('click', async () => {
  const res = await api('DELETE', '/dashboard/api/session');
  if (!res.ok && res.status !== 401) {
    $('view').prepend(alertLine(`Sign-out failed: ${res.error.message}`));
    return;
  }
  signedOut('');
});

window.addEventListener('nubis:signed-out', () => {
  if (session.user) { session.user = null; signedOut('Your session has ended. Sign in again.'); }
});

$('account-pick').addEventListener('change', () => {
  sessionStorage.setItem('nubis.account', $('account-pick').value);
  route();
});

window.addEventListener('hashchange', route);
// A click on the page already shown renders it anew (the hash does not change, so no hashchange).
$('nav').addEventListener('click', (e) => {
  const link = e.target.closest('a');
  if (link && link.getAttribute('href') === location.hash) { e.preventDefault(); route(); }
});

const current = await api('GET', '/dashboard/api/session');
if (current.ok) {
  await loadSession(current.result);
  await route();
} else {
  signedIn(false);
  const why = sessionStorage.getItem('nubis.signed-out');
  sessionStorage.removeItem('nubis.signed-out');
  if (why) { $('sign-in-error').textContent = why; $('sign-in-error').hidden = false; }
  $('email').focus();
}
