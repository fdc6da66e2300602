// The WebSocket client of GET /api/ws: authenticates with a first `auth` message (the key stays out of URLs),
// subscribes, remembers the last position per device and, after a drop, reconnects and resumes from it.
import { CloseCode, isFinalClose } from './protocol.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10000];

export class LiveClient {
  /**
   * @param {{ apiKey: () => string | null, onMessage: (m: object) => void,
   *   onState: (s: { state: string, code?: number, retryAt?: number, why?: string }) => void,
   *   onUnauthorized: () => void }} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.positions = new Map(); // deviceId → last position seen, or null
    this.socket = null;
    this.attempt = 0;
    this.stopped = true;
    this.retryTimer = undefined;
  }

  start() {
    this.stopped = false;
    if (!this.socket) this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.handlers.onState({ state: 'offline', why: 'stopped' });
  }

  /** Reconnects at once instead of waiting for the next retry. */
  retryNow() {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  /** Subscribes to a device, resuming after `from` when given (the last position the page already shows). */
  subscribe(deviceId, from) {
    this.positions.set(deviceId, from ?? null);
    this.send(subscribeMessage(deviceId, from));
  }

  unsubscribe(deviceId) {
    this.positions.delete(deviceId);
    this.send({ type: 'unsubscribe', deviceIds: [deviceId] });
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  connect() {
    const url = new URL('/api/ws', location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    this.handlers.onState({ state: 'connecting' });
    socket.addEventListener('open', () => {
      const key = this.handlers.apiKey();
      if (key) socket.send(JSON.stringify({ type: 'auth', apiKey: key }));
      socket.send(JSON.stringify({ type: 'ping' })); // the pong says the key was accepted
      for (const [deviceId, from] of this.positions) socket.send(JSON.stringify(subscribeMessage(deviceId, from)));
    });
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.type === 'pong') {
        this.attempt = 0;
        this.handlers.onState({ state: 'connected' });
      }
      if (message.type === 'telemetry' && this.positions.has(message.deviceId)) {
        this.positions.set(message.deviceId, message.position);
      }
      this.handlers.onMessage(message);
    });
    socket.addEventListener('close', (event) => this.onClose(socket, event));
  }

  onClose(socket, event) {
    if (socket !== this.socket || this.stopped) return;
    this.socket = null;
    if (isFinalClose(event.code)) {
      // Reconnecting with the same key or from the same origin cannot succeed.
      this.stopped = true;
      const unauthorized = event.code === CloseCode.unauthorized;
      this.handlers.onState({ state: 'offline', why: unauthorized ? 'unauthorized' : 'origin' });
      if (unauthorized) this.handlers.onUnauthorized();
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)];
    this.attempt += 1;
    this.handlers.onState({ state: 'reconnecting', code: event.code, retryAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}

function subscribeMessage(deviceId, from) {
  return from ? { type: 'subscribe', deviceIds: [deviceId], from: { [deviceId]: from } } : { type: 'subscribe', deviceIds: [deviceId] };
}
