/**
 * The one place the emulator reaches into `rhea` (AMQP 1.0, https://github.com/amqp/rhea): its default export (a CJS
 * container instance) and the few internals its typings leave out.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import rhea from 'rhea';
import type { Sender } from 'rhea';
import type { WebSocket } from 'ws';

export { rhea };
export const { types, message } = rhea;

/**
 * rhea's adapter from a `ws` WebSocket to the socket-like object a connection accepts (`rhea/lib/ws.js` `wrap`, what
 * `container.websocket_accept` uses), so the emulator can prepare the connection before it accepts.
 */
export const wrapWebSocket = (createRequire(import.meta.url)('rhea/lib/ws.js') as { wrap: (ws: WebSocket) => Socket }).wrap;

/** rhea sender fields used for flow control (present at run time, missing from rhea's typings). */
export interface SenderFlowState {
  /** Credit left as of rhea's last flush (rhea updates it only when it writes transfers). */
  credit: number;
  /** Deliveries rhea has written; `credit + delivery_count` is the peer's delivery limit. */
  delivery_count: number;
  session: { outgoing: { available(): number } };
  local: { attach: { snd_settle_mode?: number; properties?: Record<string, unknown> } };
}

/** rhea's server-side SASL mechanism table (untyped in rhea's typings). */
export interface SaslServerMechanisms {
  enable_anonymous(): void;
  enable_plain(check: (username: string, password: string) => boolean | Promise<boolean>): void;
}

/** A rhea connection before it is bound to an accepted socket. */
export interface AcceptingConnection {
  accept(socket: Socket): unknown;
}

/** Views a rhea sender with its flow-control internals. */
export function flowStateOf(sender: Sender): SenderFlowState {
  return sender as unknown as SenderFlowState;
}

const SYMBOL_KEYS = Symbol('symbol-keys');
type MapWrapper = (m: Record<string, unknown>, keyWrapper?: (k: string) => unknown) => unknown;
const typesTable = types as unknown as { wrap_map: MapWrapper; wrap_symbol: (this: void, k: string) => unknown };
const wrapMap = typesTable.wrap_map;
// rhea encodes an error's `info` with `wrap_map` and string keys; a map marked by `symbolKeyed` gets symbol keys, as
// IoT Hub's redirect info has them. Every other map is encoded as before.
typesTable.wrap_map = (m, keyWrapper) => wrapMap(m, m && (m as { [SYMBOL_KEYS]?: boolean })[SYMBOL_KEYS] ? typesTable.wrap_symbol : keyWrapper);

/** `map` marked so that rhea encodes it with symbol keys where it would use string keys (an AMQP error's `info`). */
export function symbolKeyed<T extends Record<string, unknown>>(map: T): T {
  return Object.defineProperty(map, SYMBOL_KEYS, { value: true, enumerable: false });
}
