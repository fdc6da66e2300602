import { parseFieldList, selectFields, type FieldPath } from './field-path.js';
import { MessageCache } from './message-cache.js';
import type { TelemetryMessage } from './telemetry-message.js';

/** Distinct selections kept per message; clients asking more distinct ones get theirs made each time. */
export const MAX_SELECTIONS_PER_MESSAGE = 16;

/** A parsed field selection and its canonical spelling `key` (the path texts joined by `,`, in request order). */
export interface FieldSelection {
  key: string;
  paths: readonly FieldPath[];
}

/** A selection of parsed paths (from {@link parseFieldList}). */
export function fieldSelection(paths: readonly FieldPath[]): FieldSelection {
  return { key: paths.map((path) => path.text).join(','), paths };
}

/**
 * Parses a `fields` query parameter or WebSocket `fields` list into a selection.
 * @throws FieldPathError as {@link parseFieldList}.
 */
export function parseFieldSelection(list: string | readonly string[]): FieldSelection {
  return fieldSelection(parseFieldList(list));
}

const bodies = new MessageCache<Record<string, unknown>>(MAX_SELECTIONS_PER_MESSAGE);
let runs = 0;

/** How many times a body was reduced to a selection in this process (cache misses; read by a metric and tests). */
export function fieldSelectionRuns(): number {
  return runs;
}

/**
 * A message's body reduced to `selection` (`{ "<path>": value }`, a field the body lacks is absent), made once per
 * message and selection for every reader. Only a `json` body that is an object can be selected: any other body
 * (text, base64, a JSON array or scalar) gives `{}`.
 */
export function selectedBody(message: TelemetryMessage, selection: FieldSelection): Record<string, unknown> {
  return bodies.get(message, selection.key, () => {
    runs += 1;
    const { body } = message;
    const selectable = message.bodyEncoding === 'json' && typeof body === 'object' && body !== null && !Array.isArray(body);
    return selectable ? selectFields(body, selection.paths) : {};
  });
}

/** The message with its body reduced to `selection` (the envelope unchanged), or the message itself without one. */
export function withSelectedBody(message: TelemetryMessage, selection: FieldSelection | undefined): TelemetryMessage {
  return selection ? { ...message, body: selectedBody(message, selection) } : message;
}
