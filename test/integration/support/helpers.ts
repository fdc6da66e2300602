import type { RunningGateway } from './gateway.js';
import { json } from './gateway.js';

/** `POST /api/register-device` with a JSON body. */
export function register(gw: RunningGateway, deviceId: string) {
  return json(gw.api('/api/register-device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId }) }));
}

/** The value of one Prometheus sample line (`name{labels}`) from `GET /metrics`, NaN when absent. */
export async function metric(gw: RunningGateway, sample: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return found ? Number(found.slice(sample.length + 1)) : NaN;
}

/** The `msg` of every JSON log line. */
export function logMessages(gw: RunningGateway): string[] {
  return gw.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
}
