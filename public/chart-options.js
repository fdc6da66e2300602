// uPlot options for one chart: theme colours from the CSS tokens, axis titles with units, Intl tick labels in the
// chosen time zone, and a legend that shows the latest values when the pointer is not over the chart.
import { formatTick, formatValue, timeZone, timeZoneLabel } from './time-format.js';

export const CHART_HEIGHT = 220;
/** Minimum room (px) between two time ticks: the longest label (`17:28:05`, `16/12/2026`) fits with a gap. */
const X_TICK_SPACE = 90;
/** Time tick steps (s): whole seconds at least, so two ticks never carry the same label. */
const X_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Shows the newest point in the legend (uPlot shows "--" whenever the cursor is off the chart). */
export function showLatestInLegend(plot) {
  const count = plot.data[0]?.length ?? 0;
  if (count > 0 && plot.cursor.idx == null) plot.setLegend({ idx: count - 1 });
}

/**
 * Options for a chart of `name` (a field) with `labels` (one line each) in `unit` (or none). `onTicks(ticks)` gets the
 * x-axis labels as drawn: `[{ label, x }]`, `x` in CSS px from the plot's left.
 */
export function chartOptions({ name, labels, unit, width, onTicks }) {
  const axis = { stroke: cssVar('--chart-axis'), grid: { stroke: cssVar('--chart-grid'), width: 1 }, ticks: { stroke: cssVar('--chart-grid') } };
  const font = `12px ${cssVar('--font-sans')}`;
  const series = labels.map((label, i) => ({
    label,
    stroke: cssVar(`--series-${(i % 6) + 1}`),
    width: 1.5,
    spanGaps: false,
    value: (_plot, v) => formatValue(v, unit),
  }));
  return {
    width,
    height: CHART_HEIGHT,
    ...(timeZone() === 'UTC' ? { tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC') } : {}),
    series: [{ label: 'Time', value: (_plot, ts) => (ts == null ? '—' : formatTick(ts * 1000, 1)) }, ...series],
    axes: [
      {
        ...axis, font, labelFont: font, space: X_TICK_SPACE, incrs: X_INCREMENTS, label: `Time (${timeZoneLabel()})`, labelSize: 20,
        values: (plot, splits, _axis, _space, increment) => {
          const texts = splits.map((s) => formatTick(s * 1000, increment));
          onTicks(texts.map((label, i) => ({ label, x: plot.valToPos(splits[i], 'x') })));
          return texts;
        },
      },
      { ...axis, font, labelFont: font, label: unit ? `${name} (${unit})` : name, labelSize: 20, size: 64, values: (_p, splits) => splits.map((v) => formatValue(v)) },
    ],
    legend: { live: true },
    hooks: { setCursor: [showLatestInLegend], setData: [showLatestInLegend] },
  };
}
