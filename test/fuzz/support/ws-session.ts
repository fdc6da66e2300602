import WebSocket from 'ws';
import { eventually } from '../../integration/support/eventually.js';
import { frameText, type WsScript, type WsStep } from './ws-arbitraries.js';

/** What one fuzzed connection saw. */
export interface WsOutcome {
  /** The HTTP status when the upgrade was refused. */
  refused: number | undefined;
  /** Every server frame as text (binary frames as `<binary n>`). */
  received: string[];
  /** The close code from the server, `undefined` while open. */
  closeCode: number | undefined;
  /** Whether the final `ping` got its `pong`. */
  ponged: boolean;
}

/** Longest wait (ms) for the final `pong` or a close after a script. */
const SETTLE_MS = 8_000;

/**
 * Runs one script on `url` with a real `ws` client: opens (with `?api_key=` and `Origin` as the script says), plays
 * the steps, resumes reading, sends a final `ping` when still open and waits (at most {@link SETTLE_MS}) for its
 * `pong` or a close, then closes. Never rejects for anything the server does.
 */
export async function playScript(url: string, script: WsScript, apiKey: string): Promise<WsOutcome> {
  const { queryKey, origin } = script.opening;
  const key = queryKey === 'valid' ? apiKey : queryKey === 'wrong' ? 'wrong-key-0123456789' : undefined;
  const target = key === undefined ? url : `${url}?api_key=${encodeURIComponent(key)}`;
  const headers = origin === 'same' ? { origin: url.replace(/^ws/, 'http').replace(/\/api\/ws$/, '') } : origin === 'foreign' ? { origin: 'https://evil.example' } : {};
  const socket = new WebSocket(target, { headers });
  const outcome: WsOutcome = { refused: undefined, received: [], closeCode: undefined, ponged: false };
  socket.on('message', (data: Buffer, isBinary) => outcome.received.push(isBinary ? `<binary ${data.length}>` : data.toString('utf8')));
  socket.on('error', () => undefined);
  let serverClosed = false;
  const closed = new Promise<void>((resolve) => socket.on('close', (code) => {
    outcome.closeCode = code;
    resolve();
  }));
  const opened = await new Promise<boolean>((resolve) => {
    socket.once('open', () => resolve(true));
    socket.once('unexpected-response', (_req, res) => {
      outcome.refused = res.statusCode;
      res.resume();
      resolve(false);
    });
    socket.once('close', () => resolve(false));
  });
  if (!opened) {
    socket.terminate();
    await closed;
    if (outcome.refused !== undefined) outcome.closeCode = undefined;
    return outcome;
  }
  if (script.opening.paused) socket.pause();
  for (const step of script.steps) {
    if (socket.readyState !== WebSocket.OPEN) break;
    play(socket, step);
  }
  if (socket.isPaused) socket.resume();
  if (socket.readyState === WebSocket.OPEN) {
    const before = pongs(outcome);
    socket.send(JSON.stringify({ type: 'ping' }));
    await eventually(() => {
      if (pongs(outcome) <= before && socket.readyState !== WebSocket.CLOSED) throw new Error('no pong and no close yet');
    }, { timeoutMs: SETTLE_MS, intervalMs: 10 }).catch(() => undefined);
    outcome.ponged = pongs(outcome) > before;
  }
  serverClosed = socket.readyState !== WebSocket.OPEN;
  if (socket.readyState === WebSocket.OPEN) socket.terminate(); // the server did not close: no code of its own
  else if (socket.readyState === WebSocket.CLOSING) {
    // The server sent its close frame: let the handshake finish so `close` reports the server's code.
    await eventually(() => {
      if (socket.readyState !== WebSocket.CLOSED) throw new Error('closing');
    }, { timeoutMs: 2_000, intervalMs: 10 }).catch(() => socket.terminate());
  }
  await closed;
  if (outcome.closeCode === 1006 && serverClosed === false) outcome.closeCode = undefined;
  return outcome;
}

function play(socket: WebSocket, step: WsStep): void {
  if (step.kind === 'text' || step.kind === 'ghosts' || step.kind === 'oversize') socket.send(frameText(step));
  else if (step.kind === 'binary') socket.send(step.bytes, { binary: true });
  else if (step.kind === 'flood') for (let i = 0; i < step.times; i += 1) socket.send(step.text);
  else if (step.kind === 'pause') socket.pause();
  else socket.resume();
}

function pongs(outcome: WsOutcome): number {
  return outcome.received.filter((t) => t === '{"type":"pong"}').length;
}
