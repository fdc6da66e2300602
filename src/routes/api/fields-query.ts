import { FieldPathError } from '../../telemetry/field-path.js';
import { parseFieldSelection, type FieldSelection } from '../../telemetry/field-selection.js';

/**
 * The `fields` query parameter as a selection: `undefined` when absent, the {@link FieldPathError} (its message for
 * a 400) when a path or the list is invalid.
 */
export function parseFieldsQuery(fields: string | undefined): FieldSelection | undefined | FieldPathError {
  if (fields === undefined) return undefined;
  try {
    return parseFieldSelection(fields);
  } catch (error) {
    if (error instanceof FieldPathError) return error;
    throw error;
  }
}
