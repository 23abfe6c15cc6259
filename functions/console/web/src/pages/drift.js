import {get} from '../api.js';
import {errorBox, h, table, time, withLoading} from '../dom.js';
import {timeChart} from '../chart.js';
import {showReport} from './report.js';

/** A model's drift reports over time: the share of drifted columns as a chart, each report's HTML view. */
export async function driftPage(container, name) {
  const body = h('div', {});
  const viewer = h('div', {});
  container.replaceChildren(h('p', {class: 'sub'}, h('a', {href: `#/models/${encodeURIComponent(name)}`}, '← ' + name)),
    h('h1', {}, `Drift of ${name}`), body, viewer);
  try {
    const answer = await withLoading(body, () => get(`/models/${encodeURIComponent(name)}/drift`, {max_results: 500}));
    const reports = (answer.reports || []).sort((a, b) => a.timestamp - b.timestamp);
    if (reports.length === 0) {
      body.replaceChildren(h('p', {class: 'empty'},
        'No drift checks yet: the schedule checks the champion, or POST /models/<name>/drift starts one.'));
      return;
    }
    const chart = h('div', {class: 'card'});
    body.replaceChildren(chart, h('h2', {}, 'Reports'), table([
      {title: 'Checked', cell: r => time(r.timestamp)},
      {title: 'Drift', cell: r => h('span', {class: 'status ' + (r.dataset_drift ? 'FAILED' : 'FINISHED')},
        r.dataset_drift ? 'drifted' : 'no drift')},
      {title: 'Drifted columns', cell: r => `${Math.round(r.drifted_share * 100)} %`, numeric: true},
      {title: 'Version', cell: r => 'v' + r.version},
      {title: 'Trigger', cell: r => r.trigger},
      {title: 'Mode', cell: r => r.mode},
      {title: 'Rows (current / reference)', cell: r => `${r.current_rows.toLocaleString()} / ${r.reference_rows.toLocaleString()}`,
        numeric: true},
      {title: 'Decision', cell: r => r.decision},
      {title: 'Report', cell: r => h('button', {type: 'button', onclick: () => showReport(viewer,
        `/models/${encodeURIComponent(name)}/drift/${encodeURIComponent(r.report_id)}?format=html`,
        `Drift report ${r.report_id}`)}, 'View')},
    ], [...reports].reverse()));
    timeChart(chart, [['share of drifted columns', reports.map(r => [r.timestamp / 1000, r.drifted_share])]], [0, 1]);
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

