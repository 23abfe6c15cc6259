import {CAPSTAN, MLFLOW, get} from '../api.js';
import {duration, errorBox, h, statusBadge, table, time, withLoading} from '../dom.js';

/** Retraining pipeline executions of every registered model, newest first. */
export async function pipelinesPage(container) {
  const results = h('div', {});
  container.replaceChildren(h('h1', {}, 'Pipelines'), results);
  try {
    const executions = await withLoading(results, async () => {
      const models = (await get(`${MLFLOW}/registered-models/search`, {max_results: 1000})).registered_models || [];
      const lists = await Promise.all(models.map(m => get(`${CAPSTAN}/pipelines/${encodeURIComponent(m.name)}/runs`)
        .then(answer => (answer.runs || []).map(e => ({model: m.name, ...e})))));
      return lists.flat().sort((a, b) => (b.start_time || 0) - (a.start_time || 0));
    });
    results.replaceChildren(executions.length === 0 ? h('p', {class: 'empty'}, 'No pipeline executions yet.') : table([
      {title: 'Model', cell: e => h('a', {href: `#/models/${encodeURIComponent(e.model)}`}, e.model)},
      {title: 'Execution', cell: e => h('a', {href: `#/pipelines/${encodeURIComponent(e.model)}/${encodeURIComponent(e.execution)}`}, e.execution)},
      {title: 'Status', cell: e => statusBadge(e.status || '')},
      {title: 'Started', cell: e => time(e.start_time)},
      {title: 'Duration', cell: e => e.stop_time ? duration(e.stop_time - e.start_time) : ''},
      {title: 'Trigger', cell: e => e.trigger || ''},
      {title: 'Error', cell: e => e.error ? `${e.error}: ${e.cause || ''}` : ''},
    ], executions));
  } catch (error) {
    results.replaceChildren(errorBox(error));
  }
}
