import type { CloseAction, StopReason } from './close-actions.js';
import type { ServerMessage, ServerMessageOf, ServerMessageType } from './messages.js';

/** The client's connection state, as `state` events report it. */
export type ClientState =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected' }
  | { state: 'reconnecting'; code: number; reason: string; attempt: number; delayMs: number; retryAt: number }
  | { state: 'offline'; why: 'stopped' | 'exhausted' | StopReason; code?: number };

/** A close of the socket: its code and reason and what the client does next. */
export interface CloseInfo {
  code: number;
  reason: string;
  action: CloseAction;
}

/** The events of a {@link GatewayClient}: one per server message type, every message, state changes and closes. */
export type ClientEvents = { [T in ServerMessageType]: ServerMessageOf<T> } & {
  message: ServerMessage;
  state: ClientState;
  close: CloseInfo;
};
