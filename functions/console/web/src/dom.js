// Small DOM and formatting helpers: the console builds its pages with these, no framework.

/** An element: h('a', {href: '#/x'}, 'text', child, ...); attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== undefined && child !== null && child !== false) {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return element;
}

/** A table: columns are {title, cell: row => node|text, numeric?}. */
export function table(columns, rows, caption) {
  return h('table', {},
    caption ? h('caption', {class: 'sub'}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', {scope: 'col'}, c.title)))),
    h('tbody', {}, rows.map(row => h('tr', {}, columns.map(c => h('td', {class: c.numeric ? 'num' : null}, c.cell(row)))))));
}

/** Facts as a definition list: [[label, value], ...]; empty values are left out. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

export function statusBadge(status) {
  return h('span', {class: 'status ' + status}, status);
}

export function errorBox(error) {
  const text = error && error.code ? `${error.message} (${error.code}${error.status ? ', HTTP ' + error.status : ''})`
    : String(error && error.message || error);
  return h('div', {class: 'error', role: 'alert'}, text);
}

/** A timestamp (epoch ms) in the viewer's time zone. */
export function time(millis) {
  if (millis === undefined || millis === null || millis === '') {
    return '';
  }
  return new Date(Number(millis)).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'medium'});
}

/** A duration for people: 850 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function duration(millis) {
  if (millis === undefined || millis === null || Number.isNaN(millis) || millis < 0) {
    return '';
  }
  if (millis < 1000) {
    return `${Math.round(millis)} ms`;
  }
  const seconds = millis / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(1)} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  }
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** A size in bytes for people: 512 B, 1.5 KB, 3.2 MB. */
export function size(bytes) {
  if (bytes === undefined || bytes === null) {
    return '';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** A metric value: up to 6 significant digits. */
export function number(value) {
  if (typeof value !== 'number') {
    return value === undefined ? '' : String(value);
  }
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/** Shows "Loading…" in place only when the work takes longer than 200 ms. */
export async function withLoading(container, work) {
  const indicator = h('p', {class: 'loading', role: 'status'}, 'Loading…');
  const timer = setTimeout(() => container.append(indicator), 200);
  try {
    return await work();
  } finally {
    clearTimeout(timer);
    indicator.remove();
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes (and text), appended to parent when one is given. */
export function svg(tag, attributes = {}, text, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) {
    node.textContent = text;
  }
  if (parent) {
    parent.append(node);
  }
  return node;
}
