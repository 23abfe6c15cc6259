import {MLFLOW, fetchBlob, get, post} from '../api.js';
import {duration, errorBox, facts, h, number, size, statusBadge, table, time, withLoading} from '../dom.js';
import {metricChart} from '../chart.js';
import {onnxSummary} from '../onnx.js';

/** A run: its facts, params, tags, metrics with charts of their histories, datasets and artifacts. */
export async function runPage(container, experimentId, runId) {
  const body = h('div', {});
  const back = h('a', {href: `#/experiments/${encodeURIComponent(experimentId)}`}, '← Runs of the experiment');
  container.replaceChildren(h('p', {class: 'sub'}, back), body);
  let run;
  try {
    run = (await withLoading(body, () => get(`${MLFLOW}/runs/get`, {run_id: runId}))).run;
  } catch (error) {
    body.replaceChildren(h('h1', {}, 'Run ' + runId), errorBox(error));
    return;
  }
  const info = run.info;
  back.href = `#/experiments/${encodeURIComponent(info.experiment_id)}`; // links from a model name no experiment
  const params = run.data.params || [];
  const metrics = run.data.metrics || [];
  const tags = run.data.tags || [];
  const datasets = (run.inputs && run.inputs.dataset_inputs) || [];
  const charts = h('div', {});
  const children = h('div', {});
  const parent = tags.find(t => t.key === 'mlflow.parentRunId');
  body.replaceChildren(
    h('h1', {}, info.run_name || info.run_id),
    facts([['Status', statusBadge(info.status)], ['Run ID', info.run_id], ['Started', time(info.start_time)],
      ['Duration', info.end_time ? duration(info.end_time - info.start_time) : ''], ['User', info.user_id],
      ['Artifacts', info.artifact_uri], ['Lifecycle', info.lifecycle_stage],
      ...(parent ? [['Parent run', h('a', {href: `#/experiments/${encodeURIComponent(info.experiment_id)}/runs/`
        + encodeURIComponent(parent.value)}, parent.value)]] : [])]),
    children,
    h('h2', {}, 'Metrics'),
    metrics.length === 0 ? h('p', {class: 'empty'}, 'No metrics logged.') : h('div', {},
      table([{title: 'Metric', cell: m => m.key}, {title: 'Latest', cell: m => number(m.value), numeric: true},
        {title: 'Step', cell: m => m.step, numeric: true}, {title: 'Logged', cell: m => time(m.timestamp)}],
      [...metrics].sort((a, b) => a.key.localeCompare(b.key))),
      charts),
    h('h2', {}, 'Parameters'),
    params.length === 0 ? h('p', {class: 'empty'}, 'No parameters logged.')
      : table([{title: 'Parameter', cell: p => p.key}, {title: 'Value', cell: p => p.value}],
        [...params].sort((a, b) => a.key.localeCompare(b.key))),
    h('h2', {}, 'Datasets'),
    datasets.length === 0 ? h('p', {class: 'empty'}, 'No datasets logged.')
      : table([{title: 'Name', cell: d => d.dataset.name}, {title: 'Digest', cell: d => d.dataset.digest},
        {title: 'Source', cell: d => d.dataset.source_type || ''},
        {title: 'Context', cell: d => (d.tags || []).filter(t => t.key === 'mlflow.data.context').map(t => t.value).join()}],
      datasets),
    h('h2', {}, 'Tags'),
    tags.length === 0 ? h('p', {class: 'empty'}, 'No tags.')
      : table([{title: 'Tag', cell: t => t.key}, {title: 'Value', cell: t => t.value}],
        [...tags].sort((a, b) => a.key.localeCompare(b.key))),
    h('h2', {}, 'Artifacts'),
    artifactTree(info, ''));
  if (metrics.length > 0) {
    showCharts(charts, runId, metrics.map(m => m.key).sort());
  }
  const chosen = tags.find(t => t.key === 'capstan.tuning.best_run_id');
  showChildRuns(children, info, chosen ? chosen.value : '');
}

/**
 * The run's child runs (tag mlflow.parentRunId, as MLflow's nested runs and Capstan's hyperparameter trials are
 * recorded): each with its status, the parameters that differ between them and their metrics, the search's chosen
 * trial marked. Nothing when it has none.
 */
async function showChildRuns(container, info, chosenRunId) {
  let found;
  try {
    found = (await post(`${MLFLOW}/runs/search`, {experiment_ids: [info.experiment_id], max_results: 1000,
      filter: `tags.mlflow.parentRunId = '${info.run_id}'`, order_by: ['attributes.start_time ASC']})).runs || [];
  } catch (error) {
    container.replaceChildren(h('h2', {}, 'Child runs'), errorBox(error));
    return;
  }
  if (found.length === 0) {
    return;
  }
  const paramsOf = run => Object.fromEntries((run.data.params || []).map(p => [p.key, p.value]));
  const metricsOf = run => Object.fromEntries((run.data.metrics || []).map(m => [m.key, m.value]));
  const keys = [...new Set(found.flatMap(run => Object.keys(paramsOf(run))))].sort();
  const varying = keys.filter(key => new Set(found.map(run => paramsOf(run)[key])).size > 1);
  const metricKeys = [...new Set(found.flatMap(run => Object.keys(metricsOf(run))))].sort();
  container.replaceChildren(h('h2', {}, `Child runs (${found.length})`), table([
    {title: 'Run', cell: run => h('a', {href: `#/experiments/${encodeURIComponent(info.experiment_id)}/runs/`
      + encodeURIComponent(run.info.run_id)}, run.info.run_name || run.info.run_id)},
    {title: 'Chosen', cell: run => run.info.run_id === chosenRunId ? 'chosen by the search' : ''},
    {title: 'Status', cell: run => statusBadge(run.info.status)},
    ...varying.map(key => ({title: key, cell: run => paramsOf(run)[key] ?? ''})),
    ...metricKeys.map(key => ({title: key, numeric: true, cell: run => key in metricsOf(run)
      ? number(metricsOf(run)[key]) : ''}))], found));
  container.classList.add('children');
}

/** One chart of the chosen metrics' histories (several on one chart), by step or by time. */
function showCharts(container, runId, keys) {
  const chosen = new Set(keys.slice(0, 1));
  let axis = 'step';
  const histories = new Map();
  const area = h('div', {class: 'card'});
  const boxes = keys.map(key => h('label', {}, h('input', {type: 'checkbox', checked: chosen.has(key) || null,
    onchange: event => {
      event.target.checked ? chosen.add(key) : chosen.delete(key);
      draw();
    }}), ' ', key));
  const axisChoice = h('select', {'aria-label': 'x-axis', onchange: event => {
    axis = event.target.value;
    draw();
  }}, h('option', {value: 'step'}, 'by step'), h('option', {value: 'time'}, 'by time'));
  container.replaceChildren(h('div', {class: 'toolbar'}, h('span', {class: 'sub'}, 'Chart:'), ...boxes, axisChoice),
    area);

  async function history(key) {
    if (!histories.has(key)) {
      const points = [];
      let pageToken;
      do {
        const answer = await get(`${MLFLOW}/metrics/get-history`, {run_id: runId, metric_key: key,
          max_results: 25000, page_token: pageToken});
        points.push(...(answer.metrics || []));
        pageToken = answer.next_page_token;
      } while (pageToken);
      histories.set(key, points);
    }
    return histories.get(key);
  }

  async function draw() {
    try {
      const series = await withLoading(area, () => Promise.all([...chosen].map(async key => [key, await history(key)])));
      area.replaceChildren();
      if (series.length > 0) {
        metricChart(area, series, axis);
      }
    } catch (error) {
      area.replaceChildren(errorBox(error));
    }
  }
  draw();
}

/** The artifacts under {@code path}: folders open in place, files preview (text, JSON, CSV, images) or download. */
function artifactTree(info, path) {
  const list = h('ul', {class: 'timeline'});
  get(`${MLFLOW}/artifacts/list`, {run_id: info.run_id, path: path || undefined}).then(answer => {
    const files = answer.files || [];
    if (files.length === 0 && !path) {
      list.replaceChildren(h('li', {class: 'empty'}, 'No artifacts.'));
      return;
    }
    list.replaceChildren(...files.map(file => {
      const item = h('li', {});
      const name = file.path.split('/').pop();
      if (file.is_dir) {
        let open = false;
        item.append(h('button', {type: 'button', class: 'quiet', 'aria-expanded': 'false', onclick: event => {
          open = !open;
          event.target.setAttribute('aria-expanded', String(open));
          const sub = item.querySelector('ul');
          if (sub) {
            sub.remove();
          }
          if (open) {
            item.append(artifactTree(info, file.path));
          }
        }}, '▸ ' + name + '/'));
      } else {
        item.append(h('button', {type: 'button', class: 'quiet', onclick: () => preview(item, info, file)}, name),
          ' ', h('span', {class: 'sub'}, size(file.file_size)));
      }
      return item;
    }));
  }).catch(error => list.replaceChildren(h('li', {}, errorBox(error))));
  return list;
}

/** Where the artifact proxy serves a run's file. */
function artifactUrl(info, path) {
  const root = (info.artifact_uri || '').replace(/^mlflow-artifacts:\/?/, '').replace(/^\/+/, '');
  return `/api/2.0/mlflow-artifacts/artifacts/${root}/${path.split('/').map(encodeURIComponent).join('/')}`;
}

async function preview(item, info, file) {
  item.querySelectorAll('.preview').forEach(p => p.remove());
  const shown = h('div', {class: 'preview'});
  item.append(shown);
  try {
    const blob = await fetchBlob(artifactUrl(info, file.path));
    const url = URL.createObjectURL(blob);
    const download = h('a', {href: url, download: file.path.split('/').pop()}, 'Download');
    const lower = file.path.toLowerCase();
    if (lower.endsWith('.onnx')) {
      const summary = onnxSummary(new Uint8Array(await blob.arrayBuffer()));
      const tensor = t => `${t.name}: ${t.elementType} [${t.shape.join(', ')}]`;
      shown.append(h('div', {class: 'card onnx'}, h('h3', {}, 'ONNX model'), facts([['Size', size(blob.size)],
        ['Opsets', summary.opsets.join(', ')], ['IR version', summary.irVersion], ['Producer', summary.producer],
        ['Nodes', summary.nodes], ['Inputs', summary.inputs.map(tensor).join('; ')],
        ['Outputs', summary.outputs.map(tensor).join('; ')]])), download);
    } else if (/\.(png|jpe?g|gif|svg|webp)$/.test(lower)) {
      shown.append(h('img', {src: url, alt: file.path, class: 'preview'}), download);
    } else if (lower.endsWith('.csv')) {
      const rows = (await blob.text()).split(/\r?\n/).filter(Boolean).slice(0, 51).map(line => line.split(','));
      shown.append(h('table', {}, rows.map((row, i) => h('tr', {}, row.map(cell => h(i === 0 ? 'th' : 'td', {}, cell))))),
        download);
    } else if (/\.(json|txt|yaml|yml|md|log|mlmodel|py|html)$|mlmodel$/.test(lower) || blob.size < 64 * 1024
        && !lower.endsWith('.onnx')) {
      let text = await blob.text();
      if (lower.endsWith('.json')) {
        try {
          text = JSON.stringify(JSON.parse(text), null, 2);
        } catch (e) {
          // shown as it is
        }
      }
      shown.append(h('pre', {tabindex: 0}, text.slice(0, 200000)), download);
    } else {
      shown.append(h('p', {class: 'sub'}, `${size(blob.size)} (${blob.type || 'binary'})`), download);
    }
  } catch (error) {
    shown.append(errorBox(error));
  }
}
