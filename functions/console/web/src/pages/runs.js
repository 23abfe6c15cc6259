import {MLFLOW, get, post} from '../api.js';
import {duration, errorBox, h, number, statusBadge, time, withLoading} from '../dom.js';
import {pager} from './paging.js';

const PAGE = 100;

/**
 * An experiment's runs: status, start, duration, user, and the params and latest metrics the user picks as columns;
 * MLflow's filter grammar in the search box; sorted by any column (order_by, so over every run, not the page); paged.
 */
export async function runsPage(container, experimentId) {
  const heading = h('h1', {}, `Experiment ${experimentId}`);
  const filter = h('input', {type: 'search', 'aria-label': 'Filter runs', placeholder: "metrics.acc > 0.9 and params.lr = '0.01'"});
  const picker = h('div', {class: 'columns', role: 'group', 'aria-label': 'Columns'});
  const results = h('div', {});
  const chosen = new Set();
  const selected = new Set();
  const compare = h('button', {type: 'button', class: 'compare', disabled: true, onclick: () => {
    location.hash = `#/experiments/${encodeURIComponent(experimentId)}/compare?runs=${[...selected].join(',')}`;
  }}, 'Compare selected');
  let order = 'attributes.start_time DESC';
  let lastRuns = [];
  const paging = pager(token => load(token));
  const form = h('form', {class: 'toolbar', onsubmit: event => {
    event.preventDefault();
    paging.reset();
  }}, filter, h('button', {type: 'submit'}, 'Search'), compare);
  container.replaceChildren(heading, h('p', {class: 'sub'}, h('a', {href: '#/experiments'}, '← Experiments')),
    form, picker, results, paging.element);

  get(`${MLFLOW}/experiments/get`, {experiment_id: experimentId})
    .then(answer => heading.textContent = answer.experiment.name)
    .catch(error => container.insertBefore(errorBox(error), form));

  function sortBy(key) {
    order = order === `${key} DESC` ? `${key} ASC` : `${key} DESC`;
    paging.reset();
  }

  function header(title, key) {
    const arrow = order === `${key} DESC` ? ' ↓' : order === `${key} ASC` ? ' ↑' : '';
    return h('th', {scope: 'col', 'aria-sort': arrow ? (arrow.includes('↓') ? 'descending' : 'ascending') : null},
      h('button', {type: 'button', onclick: () => sortBy(key)}, title + arrow));
  }

  function showColumns(runs) {
    const params = new Set();
    const metrics = new Set();
    runs.forEach(run => {
      (run.data.params || []).forEach(p => params.add(p.key));
      (run.data.metrics || []).forEach(m => metrics.add(m.key));
    });
    if (chosen.size === 0) {
      [...metrics].slice(0, 3).forEach(key => chosen.add('metrics.' + key));
    }
    const box = (column) => h('label', {}, h('input', {type: 'checkbox', checked: chosen.has(column) || null,
      onchange: event => {
        event.target.checked ? chosen.add(column) : chosen.delete(column);
        render(lastRuns);
      }}), ' ', column);
    picker.replaceChildren(h('span', {class: 'sub'}, 'Columns:'),
      ...[...metrics].sort().map(key => box('metrics.' + key)), ...[...params].sort().map(key => box('params.' + key)));
  }

  function render(runs) {
    if (runs.length === 0) {
      results.replaceChildren(h('p', {class: 'empty'}, 'No runs match.'));
      return;
    }
    const columns = [...chosen].sort();
    const value = (run, column) => {
      const [kind, ...rest] = column.split('.');
      const key = rest.join('.');
      const entry = (run.data[kind] || []).find(e => e.key === key);
      return entry ? (kind === 'metrics' ? number(entry.value) : entry.value) : '';
    };
    results.replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, h('span', {class: 'sub'}, '☐')),
        header('Run', 'attributes.run_name'), header('Status', 'attributes.status'),
        header('Started', 'attributes.start_time'), h('th', {scope: 'col'}, 'Duration'),
        header('User', 'attributes.user_id'),
        columns.map(column => header(column, column.replace(/^(\w+)\.(.*)$/, (m, kind, key) => `${kind}.\`${key}\``))))),
      h('tbody', {}, runs.map(run => h('tr', {},
        h('td', {}, h('input', {type: 'checkbox', 'aria-label': 'Select ' + (run.info.run_name || run.info.run_id),
          checked: selected.has(run.info.run_id) || null, onchange: event => {
            event.target.checked ? selected.add(run.info.run_id) : selected.delete(run.info.run_id);
            compare.disabled = selected.size < 2;
            compare.textContent = `Compare selected (${selected.size})`;
          }})),
        h('td', {}, h('a', {href: `#/experiments/${encodeURIComponent(experimentId)}/runs/${run.info.run_id}`},
          run.info.run_name || run.info.run_id)),
        h('td', {}, statusBadge(run.info.status)),
        h('td', {}, time(run.info.start_time)),
        h('td', {class: 'num'}, run.info.end_time ? duration(run.info.end_time - run.info.start_time) : ''),
        h('td', {}, run.info.user_id),
        columns.map(column => h('td', {class: column.startsWith('metrics.') ? 'num' : null}, value(run, column))))))));
  }

  async function load(pageToken) {
    try {
      const answer = await withLoading(results, () => post(`${MLFLOW}/runs/search`, {
        experiment_ids: [experimentId], filter: filter.value.trim(), max_results: PAGE, order_by: [order],
        page_token: pageToken || undefined}));
      lastRuns = answer.runs || [];
      showColumns(lastRuns);
      render(lastRuns);
      // when the page's runs are on screen, since the navigation began (read by the browser tests)
      performance.mark('capstan-runs-page');
      return answer.next_page_token;
    } catch (error) {
      results.replaceChildren(errorBox(error));
      return undefined;
    }
  }
  await paging.reset();
}
