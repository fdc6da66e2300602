/**
 * `text` with the secrets a storage connection string or a Blob URL may carry replaced by `***`: `AccountKey=…` and
 * `SharedAccessSignature=…` (up to the next `;`, whitespace or end) and a SAS token's `sig=…` query value (up to the
 * next `&`, `;`, whitespace or end). For every log line and error message of the Blob checkpoint store.
 */
export function redactStorageSecrets(text: string): string {
  return text
    .replace(/(AccountKey|SharedAccessSignature)=[^;\s]*/gi, '$1=***')
    .replace(/([?&;\s]sig=)[^&;\s]*/gi, '$1***');
}
