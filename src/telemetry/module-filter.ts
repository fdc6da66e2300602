import type { TelemetryMessage } from './telemetry-message.js';

/**
 * The `moduleId` filter of history, SSE and WebSocket subscriptions: with a module ID, only that module's messages
 * (`iothub-connection-module-id`, case-sensitive) pass; without one, every message does.
 */
export function moduleFilter(moduleId: string | undefined): (message: Pick<TelemetryMessage, 'moduleId'>) => boolean {
  return moduleId === undefined ? () => true : (message) => message.moduleId === moduleId;
}
