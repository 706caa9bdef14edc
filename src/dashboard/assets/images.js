// images: not built yet.
import { h } from './lib.js';

export async function render(view) {
  view.append(h('h1', {}, 'images'), h('p', { class: 'empty' }, 'This page is not built yet.'));
}
