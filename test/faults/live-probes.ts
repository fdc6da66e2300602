import { eventually } from '../integration/support/eventually.js';

/** The value of one Prometheus sample from `GET /metrics` (`labels` like `state="pending_auth"`); undefined when absent. */
export async function metricValue(baseUrl: string, name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Waits until the gauge `gateway_ws_connections` reads `pendingAuth` and `authenticated`. */
export async function waitConnections(baseUrl: string, pendingAuth: number, authenticated: number): Promise<void> {
  await eventually(async () => {
    const seen = {
      pendingAuth: await metricValue(baseUrl, 'gateway_ws_connections', 'state="pending_auth"'),
      authenticated: await metricValue(baseUrl, 'gateway_ws_connections', 'state="authenticated"'),
    };
    if (seen.pendingAuth !== pendingAuth || seen.authenticated !== authenticated) {
      throw new Error(`connections ${JSON.stringify(seen)}, want ${JSON.stringify({ pendingAuth, authenticated })}`);
    }
  });
}

/** Milliseconds one `GET <url>` takes, asserting it answered 200. */
export async function timedGet(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.text();
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status}`);
  return performance.now() - started;
}
