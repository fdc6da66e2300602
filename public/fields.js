// Flattens a telemetry body into named leaves: `voltages[0]`, `status.ok`, … (a JSON array body uses `[0]`, …).

/** Every leaf of a JSON value as [name, value] pairs, in document order. */
export function leaves(value, prefix = '') {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, `${prefix}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => leaves(item, prefix ? `${prefix}.${key}` : key));
  }
  return [[prefix || 'body', value]];
}

/**
 * The charts a body calls for: one per top-level field holding numbers (a number → one line; an array or object of
 * numbers → one line per numeric element). Returns a Map chart name → [series name, value][].
 */
export function numericCharts(body) {
  const charts = new Map();
  if (body === null || typeof body !== 'object') {
    if (typeof body === 'number' && Number.isFinite(body)) charts.set('value', [['value', body]]);
    return charts;
  }
  const entries = Array.isArray(body) ? body.map((v, i) => [`[${i}]`, v]) : Object.entries(body);
  for (const [key, value] of entries) {
    const numeric = leaves(value, key).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
    if (numeric.length > 0) charts.set(key, numeric);
  }
  return charts;
}
