// Live uPlot charts of one device: one chart per numeric top-level field, one line per numeric element.
// Each chart container carries `data-points` (points drawn per series) for tests and assistive tools.
import { numericCharts } from './fields.js';

const MAX_POINTS = 600;
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export class DeviceCharts {
  constructor(container) {
    this.container = container;
    this.charts = new Map(); // name → { element, plot, names, data }
    window.addEventListener('resize', () => this.resize());
  }

  clear() {
    for (const chart of this.charts.values()) chart.plot.destroy();
    this.charts.clear();
    this.container.replaceChildren();
  }

  /** Adds one telemetry message (a `telemetry` message of the live protocol or a history item). */
  add(message) {
    const x = Date.parse(message.enqueuedTime) / 1000;
    for (const [name, series] of numericCharts(message.body)) {
      const names = series.map(([label]) => label);
      let chart = this.charts.get(name);
      if (!chart || chart.names.join('\u0000') !== names.join('\u0000')) chart = this.create(name, names, chart);
      const [xs, ...ys] = chart.data;
      if (xs.length > 0 && x < xs[xs.length - 1]) continue; // out of order (e.g. two partitions): skip
      xs.push(x);
      series.forEach(([, value], i) => ys[i].push(value));
      if (xs.length > MAX_POINTS) for (const column of chart.data) column.splice(0, column.length - MAX_POINTS);
      chart.plot.setData(chart.data);
      chart.element.dataset.points = String(xs.length);
    }
  }

  create(name, names, previous) {
    const element = previous?.element ?? this.container.appendChild(document.createElement('figure'));
    previous?.plot.destroy();
    element.className = 'chart';
    element.dataset.field = name;
    element.dataset.points = '0';
    element.replaceChildren();
    const data = [[], ...names.map(() => [])];
    const plot = new uPlot(
      {
        title: name,
        width: chartWidth(this.container),
        height: 200,
        series: [{}, ...names.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5 }))],
        axes: [{}, { size: 60 }],
      },
      data,
      element,
    );
    const chart = { element, plot, names, data };
    this.charts.set(name, chart);
    return chart;
  }

  resize() {
    for (const chart of this.charts.values()) chart.plot.setSize({ width: chartWidth(this.container), height: 200 });
  }
}

function chartWidth(container) {
  const width = container.clientWidth || 640;
  return Math.max(280, width >= 720 ? Math.floor(width / 2) - 12 : width - 8);
}
