import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ServerMessageSchema } from '../../../src/schemas/live-messages.js';
import { firstFrame, type WsScript } from './ws-arbitraries.js';
import type { WsOutcome } from './ws-session.js';

const serverMessage = TypeCompiler.Compile(ServerMessageSchema);

/** Close codes a server may end a fuzzed connection with (RFC 6455 1008/1009/1013 and the gateway's 4xxx table). */
const ALLOWED_CLOSE = new Set([1000, 1008, 1009, 1013, 4401, 4403, 4429]);

/** Whether a script authenticates: a valid `?api_key=`, or a first frame that is exactly a valid text `auth`. */
export function authenticates(script: WsScript, apiKey: string): boolean {
  if (script.opening.queryKey !== 'none') return script.opening.queryKey === 'valid';
  const first = firstFrame(script.steps);
  return first?.kind === 'text' || first?.kind === 'flood' ? first.text === JSON.stringify({ type: 'auth', apiKey }) : false;
}

/**
 * The properties of one connection's outcome; throws naming the first one broken:
 * - refused upgrades are 4xx, never 5xx; server close codes are in {@link ALLOWED_CLOSE} (no 1006 abnormal drop, no 1011);
 * - the key is in no server frame; every server frame is one of the protocol's messages (`ServerMessageSchema`);
 * - a connection that never authenticated received nothing and, once it sent a frame, was closed with 4401 (or was
 *   refused by origin, connection cap or frame size first);
 * - an authenticated connection with an allowed origin that sent no oversized frame answered the final `ping`, or
 *   was closed as too slow (4429) or over the connection cap (1013).
 */
export function checkOutcome(script: WsScript, outcome: WsOutcome, apiKey: string): void {
  const what = `${JSON.stringify(summary(outcome))} for ${JSON.stringify(script).split(apiKey).join('<KEY>').slice(0, 600)}`;
  if (outcome.refused !== undefined) {
    if (outcome.refused >= 500) throw new Error(`upgrade refused with ${outcome.refused}: ${what}`);
    return;
  }
  if (outcome.closeCode !== undefined && !ALLOWED_CLOSE.has(outcome.closeCode)) throw new Error(`server close code ${outcome.closeCode}: ${what}`);
  for (const text of outcome.received) {
    if (text.includes(apiKey)) throw new Error(`the key is echoed in a frame: ${what}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`server frame is not JSON (${text.slice(0, 80)}): ${what}`);
    }
    if (!serverMessage.Check(parsed)) {
      const problem = serverMessage.Errors(parsed).First();
      throw new Error(`server frame outside the protocol (${problem?.path} ${problem?.message}; ${text.slice(0, 120)}): ${what}`);
    }
  }
  const oversized = script.steps.some((s) => s.kind === 'oversize');
  const foreign = script.opening.origin === 'foreign';
  if (!authenticates(script, apiKey) || foreign) {
    if (outcome.received.length > 0) throw new Error(`${outcome.received.length} frame(s) sent to an unauthenticated connection: ${what}`);
    const expected = foreign ? [4403, 1013] : [4401, 1013, 1009];
    if (!expected.includes(outcome.closeCode ?? -1)) throw new Error(`unauthenticated connection not closed with ${expected.join('/')}: ${what}`);
    return;
  }
  if (!oversized && !outcome.ponged && outcome.closeCode !== 4429 && outcome.closeCode !== 1013) {
    throw new Error(`authenticated connection neither answered ping nor closed 4429/1013: ${what}`);
  }
  if (oversized && !outcome.ponged && outcome.closeCode !== 1009 && outcome.closeCode !== 4429 && outcome.closeCode !== 1013) {
    throw new Error(`oversized frame not closed with 1009: ${what}`);
  }
}

function summary(outcome: WsOutcome): object {
  const types = new Map<string, number>();
  for (const text of outcome.received) {
    const type = /"type":"([^"]*)"/.exec(text)?.[1] ?? '?';
    types.set(type, (types.get(type) ?? 0) + 1);
  }
  return { closeCode: outcome.closeCode, ponged: outcome.ponged, received: Object.fromEntries(types) };
}
