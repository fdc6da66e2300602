import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** test/python/read_emulator.py, the Python SDK's reader. */
const SCRIPT = fileURLToPath(new URL('../../python/read_emulator.py', import.meta.url));

/** A value as the Python SDK decoded it: its Python type, and the value (bytes as hex). */
export type PyValue = { type: 'bytes'; hex: string } | { type: 'null' } | { type: string; value?: unknown; repr?: string };

/** One event as the Python SDK's `EventData` shows it (see read_emulator.py `event_json`). */
export interface PyEvent {
  /** The partition context's partition ID. */
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeMs: number | null;
  partitionKey: PyValue;
  bodyType: string;
  bodySectionsHex: string[];
  contentType: string | null;
  contentEncoding: string | null;
  messageId: PyValue;
  correlationId: PyValue;
  properties: Record<string, PyValue>;
  systemProperties: Record<string, PyValue>;
}

/** An error passed to the SDK's `on_error`: class name, AMQP condition, message. */
export interface PyError {
  type: string;
  condition: string | null;
  message: string;
}

/** What one receiver saw. */
export interface PyReceived {
  events: PyEvent[];
  batches: number[];
  errors: PyError[];
  closes: string[];
  lastEnqueued: { sequenceNumber: number; offset: string; enqueuedTimeMs: number; retrievalTimeMs: number } | null;
}

/** The JSON document read_emulator.py prints. */
export interface PyResult {
  sdk: Record<string, string>;
  /** The scenarios still running (comma-separated), or null once all ended. */
  scenario: string | null;
  seconds: Record<string, number>;
  deadlineExceeded?: true;
  properties: {
    eventhubName: string;
    partitionIds: string[];
    createdAtMs: number;
    getPartitionIds: string[];
    partitions: Record<string, Record<string, unknown>>;
  };
  earliest: Record<string, PyEvent[]>;
  positions: Record<string, PyEvent[]>;
  latest: PyReceived & { attached: boolean };
  batch: PyReceived;
  ownerLevel: { first: PyReceived; second: PyReceived; receiversWhileBoth: unknown[] };
  resume: PyReceived & { connectionsOpenedAfterFault: number };
  lastEnqueued: PyReceived;
}

/**
 * Runs `python read_emulator.py` with `plan` as JSON on stdin and parses the JSON it prints.
 * @param timeoutMs after this the process is killed (SIGKILL) and the promise rejects with its stderr.
 * @throws Error with the exit code and stderr when it exits non-zero or prints no JSON; a scenario that
 *   failed inside the script is reported in its result (`failed`), and the test names it.
 */
export function runPythonReader(python: string, plan: Record<string, unknown>, timeoutMs: number): Promise<PyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-20_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      try {
        const parsed = JSON.parse(stdout) as PyResult;
        if (code !== 0) throw new Error(`exit ${String(code)} during scenario ${String(parsed.scenario)}`);
        resolve(parsed);
      } catch (error) {
        reject(new Error(`${SCRIPT} failed (code ${String(code)}, signal ${String(signal)}): ${(error as Error).message}\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(plan));
  });
}
