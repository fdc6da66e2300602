import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';

describe('emulator control API: bodyBase64', () => {
  let emulator: Emulator;
  let base: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    base = `http://127.0.0.1:${emulator.httpPort}`;
  });
  afterAll(async () => {
    await emulator.close();
  });

  const inject = (body: unknown) =>
    fetch(`${base}/_emulator/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a bodyBase64 that is not padded base64 with 400 and enqueues nothing', async () => {
    const before = emulator.stats().partitions.map((p) => p.lastEnqueuedSequenceNumber);
    for (const bodyBase64 of ['!!!', 'AJr//oAB!', 'abc', 'A===']) {
      const response = await inject({ deviceId: 'b64-1', bodyBase64 });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ message: 'body/bodyBase64 must match pattern "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"' });
    }
    expect(emulator.stats().partitions.map((p) => p.lastEnqueuedSequenceNumber)).toEqual(before);
    expect((await inject({ deviceId: 'b64-1', bodyBase64: 'AJr//oAB' })).status).toBe(204);
    expect((await inject({ deviceId: 'b64-1', bodyBase64: '' })).status).toBe(204);
  });
});
