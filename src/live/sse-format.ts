/**
 * Formats one Server-Sent Event (WHATWG HTML, "Server-sent events", §9.2.5 the event stream format): optional `id`,
 * `event`, and `data` as one line of JSON (`JSON.stringify` never emits a raw line break), ended by a blank line.
 */
export function formatSseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Formats an SSE comment line (ignored by EventSource; keeps proxies from closing an idle stream). */
export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** `retry:` field telling EventSource how long (ms) to wait before reconnecting (same spec). */
export function formatSseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.round(ms))}\n\n`;
}
