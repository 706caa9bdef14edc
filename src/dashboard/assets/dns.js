// dns: not built yet.
import { h } from './lib.js';

export async function render(view) {
  view.append(h('h1', {}, 'dns'), h('p', { class: 'empty' }, 'This page is not built yet.'));
}
