/**
 * Reads one sample from a Prometheus text exposition (the format prom-client writes: `name{label="v",...} value`
 * per line, https://prometheus.io/docs/instrumenting/exposition_formats/). Only exact `name` and, when given, one
 * exact `label="value"` pair are matched; enough for the gateway's counters and gauges.
 * @returns the value, or `undefined` when no line matches.
 */
export function readSample(text: string, name: string, label?: [string, string]): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith(' ') && !rest.startsWith('{')) continue;
    if (label && !rest.includes(`${label[0]}="${label[1]}"`)) continue;
    const value = Number(rest.slice(rest.lastIndexOf(' ') + 1));
    if (!Number.isNaN(value)) return value;
  }
  return undefined;
}
