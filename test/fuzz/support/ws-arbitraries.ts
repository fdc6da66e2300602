import fc from 'fast-check';
import { PRINTABLE } from './path-encodings.js';

/** One step of a client on `/api/ws`: a frame to send, or a change in whether it reads from its socket. */
export type WsStep =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  /** `subscribe` to `count` unregistered IDs (`ghost-0`…). */
  | { kind: 'ghosts'; count: number }
  /** A text frame of `bytes` bytes, over the frame limit. */
  | { kind: 'oversize'; bytes: number }
  | { kind: 'flood'; text: string; times: number }
  | { kind: 'pause' }
  | { kind: 'resume' };

/** How a connection opens: the key in its URL (or not) and the browser `Origin` it claims (or none). */
export interface WsOpening {
  queryKey: 'none' | 'valid' | 'wrong';
  origin: 'none' | 'same' | 'foreign';
  /** Whether the client stops reading right after the handshake (until a `resume` step or the end). */
  paused: boolean;
}

/** One fuzzed connection: how it opens, then its steps in order. */
export interface WsScript {
  opening: WsOpening;
  steps: WsStep[];
}

/** Largest frame the gateway accepts (bytes); a frame over it must close the socket with 1009. */
export const WS_MAX_FRAME_BYTES = 64 * 1024;

const text = (value: unknown): WsStep => ({ kind: 'text', text: JSON.stringify(value) });

/** Client messages: valid and invalid `auth`, `subscribe`, `unsubscribe`, `ping`, wrong types, bad JSON, any JSON. */
function frame(apiKey: string, devices: readonly string[]): fc.Arbitrary<WsStep> {
  const id = fc.oneof(fc.constantFrom(...devices), fc.stringMatching(/^[a-z0-9-]{1,12}$/), fc.constantFrom('', 'a'.repeat(129), 'd/1', 7 as unknown as string));
  const ids = fc.array(id, { maxLength: 6 });
  const from = fc.option(fc.oneof(fc.constantFrom('0:1', '1:999999', 'x', ''), fc.dictionary(fc.constantFrom(...devices), fc.constantFrom('0:0', '3:7'))), { nil: undefined });
  return fc.oneof(
    fc.constantFrom(text({ type: 'auth', apiKey }), text({ type: 'auth', apiKey: `${apiKey}x` }), text({ type: 'auth', apiKey: 42 }),
      text({ type: 'auth' }), text({ type: 'auth', apiKey: [apiKey] }), text({ type: 'AUTH', apiKey })),
    fc.record({ ids, from }).map(({ ids: deviceIds, from: f }) => text({ type: 'subscribe', deviceIds, ...(f === undefined ? {} : { from: f }) })),
    id.map((deviceId) => text({ type: 'subscribe', deviceId })),
    ids.map((deviceIds) => text({ type: 'unsubscribe', deviceIds })),
    fc.constant(text({ type: 'ping' })),
    fc.integer({ min: 100, max: 3000 }).map((count): WsStep => ({ kind: 'ghosts', count })),
    fc.constantFrom(text({ type: 'subscribe', deviceIds: 'dev-1' }), text({ type: 'subscribe', deviceIds: [] }), text({ type: 7 }), text(null),
      text([{ type: 'ping' }]), text({ type: '__proto__' }), text({ type: 'constructor' }), text({ type: 'x'.repeat(500) })),
    fc.jsonValue().map(text),
    fc.string({ unit: PRINTABLE, maxLength: 60 }).map((t): WsStep => ({ kind: 'text', text: t })),
    fc.uint8Array({ maxLength: 64 }).map((bytes): WsStep => ({ kind: 'binary', bytes })),
    fc.constant<WsStep>({ kind: 'oversize', bytes: WS_MAX_FRAME_BYTES + 1 }),
  );
}

/** Random connections: up to 8 steps each, floods of up to 30 frames, pauses and resumes of reading. */
export function wsScript(apiKey: string, devices: readonly string[]): fc.Arbitrary<WsScript> {
  const one = frame(apiKey, devices);
  const step = fc.oneof(
    { arbitrary: one, weight: 6 },
    { arbitrary: fc.record({ step: one, times: fc.integer({ min: 2, max: 30 }) }).map(({ step: s, times }): WsStep =>
      s.kind === 'text' || s.kind === 'ghosts' ? { kind: 'flood', text: frameText(s), times } : s), weight: 2 },
    { arbitrary: fc.constantFrom<WsStep>({ kind: 'pause' }, { kind: 'resume' }), weight: 1 },
  );
  return fc.record({
    opening: fc.record({
      queryKey: fc.constantFrom('none', 'none', 'valid', 'wrong'),
      origin: fc.constantFrom('none', 'none', 'same', 'foreign'),
      paused: fc.boolean(),
    }),
    steps: fc.array(step, { maxLength: 8 }),
  });
}

/** The text a `text` or `ghosts` step sends (empty for the others). */
export function frameText(step: WsStep): string {
  if (step.kind === 'text' || step.kind === 'flood') return step.text;
  if (step.kind === 'ghosts') return JSON.stringify({ type: 'subscribe', deviceIds: Array.from({ length: step.count }, (_, i) => `ghost-${i}`) });
  if (step.kind === 'oversize') return 'x'.repeat(step.bytes);
  return '';
}

/** The first text frame, when the script sends one before anything else (floods count as that frame). */
export function firstFrame(steps: readonly WsStep[]): WsStep | undefined {
  return steps.find((s) => s.kind !== 'pause' && s.kind !== 'resume');
}
