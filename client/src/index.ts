// The gateway's typed WebSocket client: ESM, no runtime dependencies, for browsers and Node (pass `ws`).
export { GatewayClient, type GatewayClientOptions } from './gateway-client.js';
export type { ClientEvents, ClientState, CloseInfo } from './client-events.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { closeAction, type CloseAction, type StopReason } from './close-actions.js';
export { systemClock, type ClientClock, type ClientTimer } from './clock.js';
export type { AggregateFn, ServerMessage, ServerMessageOf, ServerMessageType, SubscribeOptions, TelemetryMessage } from './messages.js';
export { liveUrl, type SocketConstructor, type SocketLike } from './socket.js';
