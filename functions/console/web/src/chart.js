// Metric charts with uPlot (a fast canvas chart: 10,000-point histories draw in milliseconds).
import uPlot from './uPlot.esm.js';

/** The series colours, in order. */
export const COLORS = ['#1a5fb4', '#c64600', '#26a269', '#813d9c', '#a51d2d', '#986a44'];

/**
 * Draws the histories [[key, points], ...] on one chart into container, x by step or by time; records the drawing
 * time as the Performance API measure "capstan-chart" (read by the browser tests, reported in docs/PERFORMANCE.md).
 */
export function metricChart(container, series, axis) {
  performance.mark('capstan-chart-start');
  const byTime = axis === 'time';
  const data = aligned(series.map(([, points]) =>
    points.map(p => [byTime ? p.timestamp / 1000 : p.step, Number(p.value)])));
  const chart = new uPlot({
    width: widthIn(container), height: 300,
    scales: {x: {time: byTime}},
    axes: [{label: byTime ? 'time' : 'step'}, {}],
    series: [{label: byTime ? 'time' : 'step'}, ...series.map(([key], i) => ({
      label: key, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
      points: {show: data[0].length < 200}}))],
  }, data, container);
  performance.mark('capstan-chart-end');
  performance.measure('capstan-chart', 'capstan-chart-start', 'capstan-chart-end');
  container.dataset.points = String(series.reduce((n, [, points]) => n + points.length, 0));
  return fitted(keyboardLegend(chart), container);
}

/**
 * Values over time, series [[label, [[epoch seconds, value], ...]], ...], into container; y within range ([min, max])
 * when one is given, else fitted to the values; a single point in time gets a day around it.
 */
export function timeChart(container, series, range) {
  return fitted(keyboardLegend(new uPlot({
    width: widthIn(container), height: 220,
    scales: {
      // uPlot stretches a single time far to its right: a day around it instead.
      x: {time: true, range: (u, min, max) => u.data[0].length === 1 ? [u.data[0][0] - 43200, u.data[0][0] + 43200]
        : [min, max]},
      ...(range ? {y: {range}} : {}),
    },
    series: [{label: 'time'}, ...series.map(([label], i) => ({
      label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: {show: true}}))],
  }, aligned(series.map(([, points]) => points)), container)), container);
}

/** uPlot's columns from series of [x, y] points: every x of every series, sorted, and each series' y or null there. */
function aligned(series) {
  const xs = [...new Set(series.flatMap(points => points.map(p => p[0])))].sort((a, b) => a - b);
  return [xs, ...series.map(points => {
    const ys = new Map(points);
    return xs.map(x => ys.has(x) ? ys.get(x) : null);
  })];
}

function widthIn(container) {
  return Math.max(280, container.clientWidth - 24 || 800);
}

/** Keeps the chart as wide as its container when the window (or the layout) changes its width. */
function fitted(chart, container) {
  let width = container.clientWidth;
  const observer = new ResizeObserver(() => {
    if (!container.isConnected) {
      observer.disconnect();
    } else if (container.clientWidth !== width) {
      width = container.clientWidth;
      chart.setSize({width: widthIn(container), height: chart.height});
    }
  });
  observer.observe(container);
  return chart;
}

/** uPlot shows or hides a series when its legend entry is clicked; Enter or Space on the entry does it too. */
function keyboardLegend(chart) {
  const rows = [...chart.root.querySelectorAll('.u-legend .u-series')];
  const first = rows.length - (chart.series.length - 1);
  chart.series.forEach((series, i) => {
    const label = i > 0 && rows[first + i - 1] && rows[first + i - 1].querySelector('th');
    if (!label) {
      return;
    }
    label.tabIndex = 0;
    label.setAttribute('role', 'button');
    label.setAttribute('aria-pressed', String(series.show));
    label.addEventListener('keydown', event => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        label.click();
        label.setAttribute('aria-pressed', String(chart.series[i].show));
      }
    });
  });
  return chart;
}
