// The selected device's charts: one per chosen top-level numeric field (an array or object is one chart, one line
// per numeric element), drawn from the rows in view. Each figure carries `data-points` (points drawn) and
// `data-unit`; a ResizeObserver keeps every plot as wide as its grid cell, from the first draw on.
import { CHART_HEIGHT, chartOptions } from './chart-options.js';
import { h } from './dom.js';
import { numericCharts } from './fields.js';

export class DeviceCharts {
  constructor(container) {
    this.container = container;
    this.charts = new Map(); // name → { figure, plotBox, plot, labels, unit }
    this.resizer = new ResizeObserver((entries) => {
      for (const entry of entries) this.findByBox(entry.target)?.plot.setSize({ width: Math.floor(entry.contentRect.width), height: CHART_HEIGHT });
    });
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.rebuild());
  }

  findByBox(box) {
    for (const chart of this.charts.values()) if (chart.plotBox === box) return chart;
    return undefined;
  }

  clear() {
    for (const chart of this.charts.values()) {
      this.resizer.unobserve(chart.plotBox);
      chart.plot.destroy();
    }
    this.charts.clear();
    this.container.replaceChildren();
    this.last = undefined;
  }

  /** Destroys and redraws every chart (theme or time-zone change). */
  rebuild() {
    const last = this.last;
    this.clear();
    if (last) this.draw(...last);
  }

  /**
   * Draws `rows` (`{ t, message }`, oldest first) for the chart names in `chosen` (in that order), with `units`
   * (field → unit). Charts not chosen any more are removed; a chart whose lines changed is recreated.
   */
  draw(rows, chosen, units) {
    this.last = [rows, chosen, units];
    const wanted = chosen.filter((name) => rows.some((row) => numericCharts(row.message.body).has(name)) || this.charts.has(name));
    for (const [name, chart] of this.charts) if (!wanted.includes(name)) this.remove(name, chart);
    const series = columns(rows, wanted);
    for (const name of wanted) {
      const { labels, data } = series.get(name);
      let chart = this.charts.get(name);
      const unit = units?.[name];
      if (!chart || chart.labels.join('\u0000') !== labels.join('\u0000') || chart.unit !== unit) chart = this.create(name, labels, unit, chart);
      chart.plot.setData(data);
      chart.figure.dataset.points = String(data[0].length);
    }
    for (const name of wanted) this.container.append(this.charts.get(name).figure); // keeps the chosen order
  }

  remove(name, chart) {
    this.resizer.unobserve(chart.plotBox);
    chart.plot.destroy();
    chart.figure.remove();
    this.charts.delete(name);
  }

  create(name, labels, unit, previous) {
    if (previous) this.remove(name, previous);
    const plotBox = h('div', { className: 'chart-plot' });
    const figure = h('figure', { className: 'chart', dataset: { field: name, unit: unit ?? '', points: '0' } },
      h('figcaption', {}, unit ? `${name} (${unit})` : name), plotBox);
    this.container.append(figure);
    const width = Math.floor(plotBox.clientWidth) || 320;
    const onTicks = (ticks) => (figure.dataset.xTicks = JSON.stringify(ticks));
    const plot = new uPlot(chartOptions({ name, labels, unit, width, onTicks }), [[], ...labels.map(() => [])], plotBox);
    const chart = { figure, plotBox, plot, labels, unit };
    this.charts.set(name, chart);
    this.resizer.observe(plotBox);
    return chart;
  }
}

/** Per chart name: line labels (from the newest row that has the field) and uPlot columns (null where missing). */
function columns(rows, names) {
  const parsed = rows.map((row) => numericCharts(row.message.body));
  const result = new Map();
  for (const name of names) {
    const newest = parsed.findLast((charts) => charts.has(name));
    const labels = newest ? newest.get(name).map(([label]) => label) : [];
    const xs = rows.map((row) => row.t / 1000);
    const ys = labels.map((label) => parsed.map((charts) => charts.get(name)?.find(([l]) => l === label)?.[1] ?? null));
    result.set(name, { labels, data: [xs, ...ys] });
  }
  return result;
}
