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
  const xs = new Set();
  const values = series.map(([, points]) => {
    const map = new Map();
    points.forEach(p => {
      const x = byTime ? p.timestamp / 1000 : p.step;
      xs.add(x);
      map.set(x, typeof p.value === 'number' ? p.value : Number(p.value));
    });
    return map;
  });
  const x = [...xs].sort((a, b) => a - b);
  const data = [x, ...values.map(map => x.map(v => map.has(v) ? map.get(v) : null))];
  const chart = new uPlot({
    width: widthIn(container), height: 300,
    scales: {x: {time: byTime}},
    axes: [{label: byTime ? 'time' : 'step'}, {}],
    series: [{label: byTime ? 'time' : 'step'}, ...series.map(([key], i) => ({
      label: key, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: {show: x.length < 200}}))],
  }, data, container);
  performance.mark('capstan-chart-end');
  performance.measure('capstan-chart', 'capstan-chart-start', 'capstan-chart-end');
  container.dataset.points = String(series.reduce((n, [, points]) => n + points.length, 0));
  return fitted(keyboardLegend(chart), container);
}

/** A share (0 to 1) over time ([[epoch seconds, share], ...]) into container; one point gets a day around it. */
export function timeChart(container, label, points) {
  return fitted(new uPlot({
    width: widthIn(container), height: 220,
    scales: {
      x: {time: true, range: (u, min, max) => min === max ? [min - 43200, max + 43200] : [min, max]},
      y: {range: [0, 1]},
    },
    series: [{label: 'time'}, {label, stroke: COLORS[0], width: 1.5, points: {show: true}}],
  }, [points.map(p => p[0]), points.map(p => p[1])], container), container);
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
