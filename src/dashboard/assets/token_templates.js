// The API token templates of Cloudflare's dashboard (My Profile → API Tokens → Create Token), with
// the permission groups each grants (ids from Cloudflare's catalog: /user/tokens/permission_groups)
// and the resources it starts with. Source: Cloudflare's docs template table, as kept in
// shared/reference/permission-groups.json. `zones`/`accounts`: the resource rows the form starts
// with ('pick' = the user chooses one, 'all' = all of them); the user's own user id is implied for
// user-scope groups.
export const TEMPLATES = [
  {
    name: 'Edit zone DNS',
    description: 'Edit DNS records of a zone',
    groups: ['4755a26eedb94da69e1066d98aa820be'],
    zones: 'pick',
  },
  {
    name: 'Read billing info',
    description: 'Read the account\'s billing information',
    groups: ['7cf72faf220841aabcfdfab81c43c4f6'],
    accounts: 'all',
  },
  {
    name: 'Read analytics and logs',
    description: 'Read analytics and logs of zones',
    groups: ['9c88f9c5bce24ce7af9a958ba9c504db', 'c4a30cd58c5d42619c86a3c36c441e2d'],
    zones: 'all',
  },
  {
    name: 'Edit Cloudflare Workers',
    description: 'Deploy and manage Workers, KV and R2',
    groups: ['28f4b596e7d643029c524985477ae49a', 'e086da7e2179491d91ee5f35b3ca210a', 'f7f0eda5697f475c90846e879bab8666',
      '05880cd1bdc24d8bae0be2136972816b', 'bf7481a1826f439697cb59a20b22293e', 'c1fde68c7bcc44588cbb6ddbc16d6480',
      '8acbe5bb0d54464ab867149d7f7cf8ac', '3518d0f75557482e952c6762d3e64903'],
    accounts: 'all',
    zones: 'all',
  },
  {
    name: 'Edit load balancing configuration',
    description: 'Manage load balancers, pools and monitors',
    groups: ['d2a1802cc9a34e30852f8b33869b2f3c', '6d7f2f5f5b1d4a0e9081fdc98d432fd1'],
    accounts: 'all',
    zones: 'all',
  },
  {
    name: 'WordPress',
    description: 'The permissions the Cloudflare WordPress plugin needs',
    groups: ['9c88f9c5bce24ce7af9a958ba9c504db', 'c8fed203ed3043cba015a93ad1616f1f', '3030687196b94b638145a3953da2b699',
      'c1fde68c7bcc44588cbb6ddbc16d6480', '82e64a83756745bbbb1c9c2701bf816b', 'e17beae8b8cb423a99b1730f21238bed'],
    accounts: 'all',
    zones: 'all',
  },
  {
    name: 'Create Additional Tokens',
    description: 'Create API tokens (for clients that mint their own)',
    groups: ['686d18d5ac6c441c867cbf6771e58a0a'],
  },
  {
    name: 'Read all resources',
    description: 'Read access to every resource',
    groups: 'every Read',
    accounts: 'all',
    zones: 'all',
  },
];

export const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
