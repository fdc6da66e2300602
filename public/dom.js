// Tiny DOM helpers shared by the dashboard's views.

/** The element with this id (the page's ids are fixed in index.html). */
export const $ = (id) => document.getElementById(id);

/**
 * Creates an element: `h('button', { className: 'x', dataset: { id: 'a' }, onclick }, 'text', child)`.
 * Properties are assigned (never inline `style` or `on*` attributes: the CSP refuses them); `dataset` is merged.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (key === 'dataset') Object.assign(element.dataset, value);
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key in element) element[key] = value;
    else element.setAttribute(key, value);
  }
  element.append(...children.filter((c) => c !== null && c !== undefined));
  return element;
}
