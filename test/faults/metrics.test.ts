import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, startGateway, testConfig, type RunningGateway } from '../integration/support/gateway.js';
import { metric } from '../integration/support/helpers.js';

const PROCESS_SAMPLES = ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds'];

describe('/metrics process metrics', () => {
  const gateways: RunningGateway[] = [];
  afterEach(async () => {
    for (const gw of gateways.splice(0)) {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
  });

  it('carries RSS, heap and event-loop lag, once each, in every app of the process', async () => {
    for (let i = 0; i < 2; i += 1) gateways.push(await startGateway(testConfig()));
    for (const gw of gateways) {
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      for (const name of PROCESS_SAMPLES) {
        expect(text.split('\n').filter((l) => l.startsWith(`# TYPE ${name} `)), name).toHaveLength(1);
        expect(await metric(gw, name), name).toBeGreaterThan(0);
      }
      expect(await metric(gw, 'gateway_hub_consumer_state{state="closed"}')).toBe(1);
    }
  });
});
