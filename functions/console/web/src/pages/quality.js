import {get, post} from '../api.js';
import {duration, errorBox, facts, h, number, table, time, withLoading} from '../dom.js';
import {timeChart} from '../chart.js';
import {showReport} from './report.js';

/**
 * A model's quality checks: the latest champion-against-challenger verdict, each version's accuracy (a regressor's
 * mean absolute error) over time, the reports with their HTML views, and a button that runs a check now.
 */
export async function qualityPage(container, name) {
  const path = `/models/${encodeURIComponent(name)}/quality`;
  const body = h('div', {});
  const viewer = h('div', {});
  const outcome = h('div', {role: 'status'});
  const check = h('button', {type: 'button', class: 'primary', onclick: async () => {
    check.disabled = true;
    outcome.replaceChildren();
    try {
      const {report} = await withLoading(outcome, () => post(path, {}));
      outcome.replaceChildren(`Report ${report.report_id} added.`);
      await showReports(body, viewer, path);
      await view(viewer, path, report);
    } catch (error) {
      outcome.replaceChildren(errorBox(error));
    } finally {
      check.disabled = false;
    }
  }}, 'Run a check');
  const back = h('a', {href: `#/models/${encodeURIComponent(name)}`}, '← ' + name);
  container.replaceChildren(h('p', {class: 'sub'}, back), h('h1', {}, `Quality of ${name}`),
    h('div', {class: 'toolbar'}, check, outcome), body, viewer);
  await showReports(body, viewer, path);
}

async function showReports(body, viewer, path) {
  try {
    const answer = await withLoading(body, () => get(path, {max_results: 100}));
    const reports = answer.reports || [];
    if (reports.length === 0) {
      body.replaceChildren(h('p', {class: 'empty'}, 'No quality checks yet. Send the ground truth of scored rows by'
        + ` their prediction ids (POST ${path.replace(/quality$/, 'feedback')}`
        + ' with {"labels": [{"id": …, "label": …}]}), then run a check.'));
      return;
    }
    const latest = reports[0];
    const regression = latest.task === 'regression';
    const chart = h('div', {class: 'card'}, h('h3', {}, `${regression ? 'Mean absolute error' : 'Accuracy'} by version,`
      + ' check after check'));
    body.replaceChildren(
      h('h2', {}, 'Latest check'),
      h('p', {class: 'sub'}, `${time(Date.parse(latest.checked_at))}, predictions from ${windowOf(latest)}`),
      h('div', {class: 'grid'}, latest.ab_test ? verdict(latest) : h('p', {class: 'empty'}, 'No champion against'
        + ' challenger in this check: it compares the champion and challenger aliases, or the two versions that have'
        + ' labelled predictions in the window.'), chart),
      h('h2', {}, 'Versions'), versionsTable(latest),
      h('h2', {}, 'Reports'),
      table([
        {title: 'Checked', cell: r => time(Date.parse(r.checked_at))},
        {title: 'Window', cell: r => duration(Date.parse(r.window_end) - Date.parse(r.window_start))
          + (r.window_end === r.checked_at ? ' before' : ` to ${time(Date.parse(r.window_end))}`)},
        {title: 'Versions', cell: r => r.versions.map(v => h('div', {}, `v${v.version}: ${score(r.task, v)} on`
          + ` ${v.labelled.toLocaleString()} labelled (${percent(v.label_coverage)} coverage)`))},
        {title: 'Verdict and decision', cell: r => [r.ab_test ? badge(r.ab_test.verdict) : '',
          h('div', {}, r.decision)]},
        {title: 'Feedback issues', cell: r => issues(r.feedback_issues)},
        {title: 'Report', cell: r => h('button', {type: 'button', onclick: () => view(viewer, path, r)}, 'View')},
      ], reports));
    const oldestFirst = [...reports].reverse();
    const versions = [...new Set(oldestFirst.flatMap(r => r.versions.map(v => v.version)))]
      .sort((a, b) => Number(a) - Number(b));
    const series = versions.map(version => ['v' + version, oldestFirst.flatMap(r => {
      const value = metric(r.task, r.versions.find(v => v.version === version));
      return known(value) ? [[Date.parse(r.checked_at) / 1000, value]] : [];
    })]).filter(([, points]) => points.length > 0);
    if (series.length) {
      timeChart(chart, series, regression ? undefined : [0, 1]);
    } else {
      chart.append(h('p', {class: 'empty'}, 'No labelled predictions yet.'));
    }
  } catch (error) {
    body.replaceChildren(errorBox(error));
  }
}

function view(viewer, path, report) {
  return showReport(viewer, `${path}/${encodeURIComponent(report.report_id)}?format=html`,
    `Quality report ${report.report_id}`);
}

/** The champion against the challenger: verdict, difference with its interval, p-value, rows, reason, decision. */
function verdict(report) {
  const ab = report.ab_test;
  const needed = ab.rows_needed_per_arm;
  const more = needed - Math.min(ab.champion_rows, ab.challenger_rows);
  return h('section', {class: 'card verdict', 'aria-label': 'Champion against challenger'},
    h('h3', {}, 'Champion against challenger: ', badge(ab.verdict)),
    h('p', {}, ab.reason),
    facts([
      ['Metric', `${ab.metric} (${ab.higher_is_better ? 'higher' : 'lower'} is better)`],
      ['Champion', `${ab.champion_version ? 'v' + ab.champion_version + ': ' : ''}${figure(ab.metric, ab.champion)} on ${ab.champion_rows.toLocaleString()} rows`],
      ['Challenger', `${ab.challenger_version ? 'v' + ab.challenger_version + ': ' : ''}${figure(ab.metric, ab.challenger)} on ${ab.challenger_rows.toLocaleString()} rows`],
      ['Difference', `${signed(ab.metric, ab.difference)} (${number((1 - ab.alpha) * 100)} % interval`
        + ` ${signed(ab.metric, ab.confidence_low)} to ${signed(ab.metric, ab.confidence_high)})`],
      ['p-value', `${pValue(ab.p_value)} (alpha ${number(ab.alpha)})`],
      ['Rows needed per arm', needed ? `${needed.toLocaleString()} to detect ${amount(ab.metric,
        ab.minimum_detectable_effect)} (${more > 0 ? `${more.toLocaleString()} more than the smaller arm has`
        : 'both arms have them'})` : 'not computable'],
      ['Decision', report.decision],
    ]));
}

function versionsTable(report) {
  const regression = report.task === 'regression';
  const delay = d => d.labelled ? `${duration(d.p50_seconds * 1000)} / ${duration(d.p90_seconds * 1000)}` : '';
  const q = v => (regression ? v.regression : v.classification) || {};
  const scores = regression ? [
    {title: 'MAE', cell: v => figure('mae', q(v).mae), numeric: true},
    {title: 'RMSE', cell: v => figure('rmse', q(v).rmse), numeric: true},
    {title: 'R²', cell: v => fixed(q(v).r2), numeric: true},
  ] : [
    {title: 'Accuracy', cell: v => percent(q(v).accuracy), numeric: true},
    {title: 'Macro F1', cell: v => fixed((q(v).macro || {}).f1), numeric: true},
  ];
  return table([
    {title: 'Version', cell: v => 'v' + v.version},
    {title: 'Predictions', cell: v => v.predictions.toLocaleString(), numeric: true},
    {title: 'Labelled', cell: v => v.labelled.toLocaleString(), numeric: true},
    {title: 'Coverage', cell: v => percent(v.label_coverage), numeric: true},
    {title: 'Feedback delay (median / p90)', cell: v => delay(v.feedback_delay), numeric: true},
    ...scores,
  ], report.versions);
}

/** A version's accuracy, or a regressor's mean absolute error; undefined without labelled rows. */
function metric(task, version) {
  const figures = version && (task === 'regression' ? version.regression : version.classification);
  return figures ? (task === 'regression' ? figures.mae : figures.accuracy) : undefined;
}

function score(task, version) {
  return task === 'regression' ? `MAE ${figure('mae', metric(task, version))}`
    : `accuracy ${percent(metric(task, version))}`;
}

function badge(value) {
  return h('span', {class: 'status ' + value}, value.replace(/_/g, ' '));
}

function issues(counts) {
  const found = Object.entries(counts || {}).filter(([, n]) => n > 0);
  return found.length ? found.map(([issue, n]) => `${issue.replace(/_/g, ' ')}: ${n.toLocaleString()}`).join(', ')
    : 'none';
}

function windowOf(report) {
  return `${time(Date.parse(report.window_start))} to ${time(Date.parse(report.window_end))}`;
}

const known = value => typeof value === 'number';
const percent = share => known(share) ? `${(share * 100).toFixed(1)} %` : '–';
const fixed = value => known(value) ? value.toFixed(3) : '–';
const figure = (name, value) => name === 'accuracy' ? percent(value) : known(value) ? number(value) : '–';
const pValue = p => !known(p) ? '–' : p < 0.001 ? '< 0.001' : number(Number(p.toPrecision(2)));

/** A difference's size: of accuracy in percentage points, of other metrics in their units. */
const amount = (name, value) => !known(value) ? '–'
  : name === 'accuracy' ? `${Math.abs(value * 100).toFixed(1)} points` : number(Math.abs(value));
const signed = (name, value) => !known(value) ? '–' : (value < 0 ? '−' : '+') + amount(name, value);
