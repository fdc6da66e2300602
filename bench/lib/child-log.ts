import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

function redactAll(line: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => (secret ? text.split(secret).join('<redacted>') : text), line);
}

/**
 * Appends the lines of a child's output streams to `file`, each occurrence of a text in `secrets` replaced by
 * `<redacted>`. Line-wise, so a secret split across two chunks is still caught.
 */
export function pipeToLog(streams: (Readable | null)[], file: string, secrets: string[]): void {
  const log = createWriteStream(file);
  for (const stream of streams) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => log.write(`${redactAll(line, secrets)}\n`));
  }
}
