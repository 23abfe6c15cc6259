import {MLFLOW, get} from '../api.js';
import {errorBox, h, number, svg, withLoading} from '../dom.js';
import {COLORS, metricChart} from '../chart.js';

/** Runs side by side: their params (differences marked), a metric's histories overlaid, a parallel-coordinates plot. */
export async function comparePage(container, experimentId) {
  const ids = (new URLSearchParams(location.hash.split('?')[1] || '').get('runs') || '').split(',').filter(Boolean);
  const body = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'},
    h('a', {href: `#/experiments/${encodeURIComponent(experimentId)}`}, '← Runs of the experiment')),
  h('h1', {}, `Comparing ${ids.length} runs`), body);
  if (ids.length < 2) {
    body.replaceChildren(h('p', {class: 'empty'}, 'Pick two or more runs on the runs page to compare them.'));
    return;
  }
  try {
    const runs = await withLoading(body, () => Promise.all(ids.map(id =>
      get(`${MLFLOW}/runs/get`, {run_id: id}).then(answer => answer.run))));
    const names = runs.map(run => run.info.run_name || run.info.run_id);
    const params = [...new Set(runs.flatMap(run => (run.data.params || []).map(p => p.key)))].sort();
    const metrics = [...new Set(runs.flatMap(run => (run.data.metrics || []).map(m => m.key)))].sort();
    const value = (run, kind, key) => {
      const entry = (run.data[kind] || []).find(e => e.key === key);
      return entry === undefined ? undefined : entry.value;
    };
    const onlyDifferent = h('input', {type: 'checkbox', onchange: () => paramTable()});
    const paramArea = h('div', {});
    const paramTable = () => {
      const rows = params.filter(key => !onlyDifferent.checked
        || new Set(runs.map(run => value(run, 'params', key))).size > 1);
      paramArea.replaceChildren(h('table', {},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Parameter'), names.map(n => h('th', {scope: 'col'}, n)))),
        h('tbody', {}, rows.map(key => {
          const values = runs.map(run => value(run, 'params', key));
          return h('tr', {class: new Set(values).size > 1 ? 'diff' : null}, h('td', {}, key),
            values.map(v => h('td', {}, v === undefined ? '—' : v)));
        }))));
    };
    const chartArea = h('div', {class: 'card'});
    const metricChoice = h('select', {'aria-label': 'Metric to overlay', onchange: () => overlay()},
      metrics.map(key => h('option', {value: key}, key)));
    const overlay = async () => {
      try {
        const series = await Promise.all(runs.map(async (run, i) => [names[i], (await get(`${MLFLOW}/metrics/get-history`,
          {run_id: run.info.run_id, metric_key: metricChoice.value})).metrics || []]));
        chartArea.replaceChildren();
        metricChart(chartArea, series, 'step');
      } catch (error) {
        chartArea.replaceChildren(errorBox(error));
      }
    };
    body.replaceChildren(
      h('h2', {}, 'Parameters'), h('label', {}, onlyDifferent, ' only the differences'), paramArea,
      h('h2', {}, 'Latest metrics'),
      h('table', {}, h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Metric'), names.map(n => h('th', {scope: 'col'}, n)))),
        h('tbody', {}, metrics.map(key => h('tr', {}, h('td', {}, key),
          runs.map(run => h('td', {class: 'num'}, number(value(run, 'metrics', key)))))))),
      metrics.length ? h('div', {}, h('h2', {}, 'Metric history'), h('div', {class: 'toolbar'}, metricChoice), chartArea)
        : '',
      h('h2', {}, 'Parallel coordinates'),
      parallelCoordinates(runs, names, [...params.map(k => ['params', k]), ...metrics.map(k => ['metrics', k])], value));
    paramTable();
    if (metrics.length) {
      overlay();
    }
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

/** One vertical axis per numeric param or metric (every run has a number), one line per run across them. */
function parallelCoordinates(runs, names, columns, value) {
  const numeric = columns.filter(([kind, key]) => runs.every(run => Number.isFinite(Number(value(run, kind, key)))))
    .filter(([kind, key]) => new Set(runs.map(run => Number(value(run, kind, key)))).size > 1).slice(0, 12);
  if (numeric.length < 2) {
    return h('p', {class: 'empty'}, 'Fewer than two numeric params or metrics differ between these runs.');
  }
  const width = 1100;
  const height = 280;
  const left = 40;
  const step = (width - 2 * left) / (numeric.length - 1);
  const root = svg('svg', {viewBox: `0 0 ${width} ${height + 40}`, class: 'parallel', role: 'img',
    'aria-label': 'Parallel coordinates of ' + numeric.map(([k, key]) => `${k}.${key}`).join(', ')});
  const element = (tag, attributes, text) => svg(tag, attributes, text, root);
  const scales = numeric.map(([kind, key]) => {
    const values = runs.map(run => Number(value(run, kind, key)));
    const min = Math.min(...values);
    const max = Math.max(...values);
    return v => 20 + (height - 20) * (1 - (v - min) / (max - min || 1));
  });
  numeric.forEach(([kind, key], i) => {
    element('line', {x1: left + i * step, x2: left + i * step, y1: 20, y2: height, stroke: '#9aa1ad'});
    element('text', {x: left + i * step, y: height + 18, 'text-anchor': 'middle', 'font-size': 11}, key);
  });
  runs.forEach((run, r) => {
    const points = numeric.map(([kind, key], i) => `${left + i * step},${scales[i](Number(value(run, kind, key)))}`);
    element('polyline', {points: points.join(' '), fill: 'none', stroke: COLORS[r % COLORS.length], 'stroke-width': 2})
      .append(svg('title', {}, names[r]));
  });
  return root;
}
