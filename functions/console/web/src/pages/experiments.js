import {MLFLOW, post} from '../api.js';
import {errorBox, h, table, time, withLoading} from '../dom.js';
import {pager} from './paging.js';

/** Experiments: MLflow's filter grammar in a search box, newest first, paged. */
export async function experimentsPage(container) {
  const filter = h('input', {type: 'search', 'aria-label': 'Filter experiments', placeholder: "name LIKE '%fraud%'"});
  const results = h('div', {});
  const paging = pager(token => load(token));
  const form = h('form', {class: 'toolbar', onsubmit: event => {
    event.preventDefault();
    paging.reset();
  }}, filter, h('button', {type: 'submit'}, 'Search'));
  container.replaceChildren(h('h1', {}, 'Experiments'), form, results, paging.element);

  async function load(pageToken) {
    try {
      const answer = await withLoading(results, () => post(`${MLFLOW}/experiments/search`,
        {max_results: 50, filter: filter.value.trim(), page_token: pageToken || undefined}));
      const experiments = answer.experiments || [];
      results.replaceChildren(experiments.length === 0 ? h('p', {class: 'empty'}, 'No experiments match.')
        : table([
          {title: 'Name', cell: e => h('a', {href: `#/experiments/${encodeURIComponent(e.experiment_id)}`}, e.name)},
          {title: 'ID', cell: e => e.experiment_id},
          {title: 'Created', cell: e => time(e.creation_time)},
          {title: 'Last updated', cell: e => time(e.last_update_time)},
        ], experiments));
      return answer.next_page_token;
    } catch (error) {
      results.replaceChildren(errorBox(error));
      return undefined;
    }
  }
  await paging.reset();
}
