import { EventHubConsumerClient, latestEventPosition } from '@azure/event-hubs';
import { describe, expect, it } from 'vitest';
import { collect, eventually, useEmulatorCleanup } from './helpers.js';

const { start, read, defer } = useEmulatorCleanup();

describe('auth faults', () => {
  it('during reject-auth, processError gets an unauthorized error once the client has used its retries', async () => {
    const emulator = await start({ partitions: 2 });
    const reader = read(emulator, { startPosition: latestEventPosition });
    await eventually(() => expect(emulator.stats().receivers).toHaveLength(2));
    emulator.faults.rejectAuth(20_000);
    emulator.faults.disconnect();
    // core-amqp treats UnauthorizedError as retryable (rotated keys): it surfaces after the retries, as an AggregateError.
    await eventually(() => expect(reader.errors.length).toBeGreaterThan(0), { timeoutMs: 20_000, intervalMs: 100 });
    const error = reader.errors[0]?.error as Error & { code?: string; errors?: (Error & { code?: string })[] };
    const codes = error.errors ? error.errors.map((e) => e.code) : [error.code];
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['UnauthorizedError']));
    expect(emulator.stats().receivers).toEqual([]);
  });

  it('a single-partition reader started during reject-auth (set over HTTP) gets an unauthorized error', async () => {
    const emulator = await start({ partitions: 1 });
    const response = await fetch(`http://127.0.0.1:${emulator.httpPort}/_emulator/faults`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'reject-auth', durationMs: 20_000 }),
    });
    expect(response.status).toBe(204);
    const reader = collect(emulator.connectionString, {
      partitionId: '0', startPosition: latestEventPosition, clientOptions: { retryOptions: { retryDelayInMs: 200, maxRetries: 2 } },
    });
    defer(() => reader.close());
    await eventually(() => expect(reader.errors.length).toBeGreaterThan(0), { timeoutMs: 15_000, intervalMs: 100 });
    const error = reader.errors[0]?.error as Error & { code?: string; errors?: (Error & { code?: string })[] };
    expect(new Set(error.errors ? error.errors.map((e) => e.code) : [error.code])).toEqual(new Set(['UnauthorizedError']));
  });

  it('put-token answers 401 for a SAS token whose expiry has passed', async () => {
    const emulator = await start({ partitions: 1 });
    const expired = Math.floor(Date.now() / 1000) - 60;
    const endpoint = `sb://127.0.0.1:${emulator.amqpPort}/`;
    const token = `SharedAccessSignature sr=${encodeURIComponent(endpoint)}&sig=c2lnbmF0dXJl&se=${expired}&skn=iothubowner`;
    const client = new EventHubConsumerClient('$Default',
      `Endpoint=${endpoint};SharedAccessSignature=${token};EntityPath=${emulator.hubName};UseDevelopmentEmulator=true`,
      { retryOptions: { maxRetries: 0 } });
    defer(() => client.close());
    await expect(client.getEventHubProperties()).rejects.toMatchObject({ code: 'UnauthorizedError' });
    const valid = new EventHubConsumerClient('$Default', emulator.connectionString);
    defer(() => valid.close());
    expect((await valid.getEventHubProperties()).partitionIds).toEqual(['0']);
  });
});
