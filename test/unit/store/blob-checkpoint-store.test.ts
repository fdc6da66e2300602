import { createServer, type Server, type Socket } from 'node:net';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/config/clock.js';
import { describeHubError } from '../../../src/hub/describe-hub-error.js';
import { BlobContainer } from '../../../src/store/blob/blob-container.js';
import { BlobGatewayCheckpointStore } from '../../../src/store/blob/blob-checkpoint-store.js';
import { CheckpointStoreError } from '../../../src/store/blob/checkpoint-store-error.js';
import { CheckpointNotWrittenError } from '../../../src/telemetry/checkpoint-not-written.js';
import { withBlobCheckpoints } from '../../../src/store/blob/open-blob-checkpoints.js';
import { redactStorageSecrets } from '../../../src/store/blob/storage-secrets.js';
import { MemoryTelemetryStore } from '../../../src/store/memory-telemetry-store.js';
import { devConnectionString, DEV_ACCOUNT_KEY, freePort, startAzurite, type Azurite } from '../../support/azurite.js';
import { FakeClock } from '../../support/fake-clock.js';
import { describeTelemetryStoreContract, message } from './telemetry-store-contract.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 20_000);
afterAll(() => azurite.stop());

let containers = 0;
const nextContainer = () => `test-${process.pid}-${(containers += 1)}`;
const silent = { info: () => undefined, warn: () => undefined };
const scope = { fullyQualifiedNamespace: 'NS.Example', eventHubName: 'Hub', consumerGroup: '$Default' };
const checkpoint = (partitionId: string, sequenceNumber: number) => ({ ...scope, partitionId, sequenceNumber, offset: String(sequenceNumber * 100) });
const listScope = (store: { listCheckpoints: BlobCheckpointStore['listCheckpoints'] }) =>
  store.listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);

/** A gateway checkpoint store on a fresh container (created), and a raw client of the same container. */
async function open(): Promise<{ store: BlobGatewayCheckpointStore; raw: ContainerClient }> {
  const container = new BlobContainer(azurite.connectionString, nextContainer(), { clock: systemClock, timeoutMs: 5000 });
  await container.ensure();
  return { store: new BlobGatewayCheckpointStore(container), raw: new ContainerClient(azurite.connectionString, container.name) };
}

/** Every blob of the container: name → metadata. */
async function blobs(raw: ContainerClient): Promise<Record<string, Record<string, string>>> {
  const found: Record<string, Record<string, string>> = {};
  for await (const blob of raw.listBlobsFlat({ includeMetadata: true })) found[blob.name] = blob.metadata ?? {};
  return found;
}

describeTelemetryStoreContract('memory engine with Blob checkpoints (Azurite)', (historyLimit) =>
  withBlobCheckpoints(new MemoryTelemetryStore(historyLimit), { connectionString: azurite.connectionString, container: nextContainer(), clock: systemClock, logger: silent }));

describe('Blob checkpoint store on Azurite', () => {
  it("keeps the SDK's blob layout and metadata, which the SDK's own BlobCheckpointStore reads back", async () => {
    const { store, raw } = await open();
    await store.updateCheckpoint(checkpoint('0', 4));
    const [claimed] = await store.claimOwnership([{ ...scope, partitionId: '1', ownerId: 'me' }]);
    await store.markIdle();
    expect(await blobs(raw)).toEqual({
      'ns.example/hub/$default/checkpoint/0': { sequencenumber: '4', offset: '400' },
      'ns.example/hub/$default/ownership/1': { ownerid: 'me' },
      'gateway/idle': {},
    });
    const sdk = new BlobCheckpointStore(raw);
    expect(await listScope(sdk)).toEqual([{ ...checkpoint('0', 4), fullyQualifiedNamespace: 'NS.Example' }]);
    const [owner] = await sdk.listOwnership(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup);
    expect(owner).toMatchObject({ partitionId: '1', ownerId: 'me', lastModifiedTimeInMs: claimed?.lastModifiedTimeInMs });
    await store.release('1');
    expect((await blobs(raw))['ns.example/hub/$default/ownership/1']).toEqual({ ownerid: '' });
  });

  it('never moves a checkpoint back, also over one the SDK wrote', async () => {
    const { store, raw } = await open();
    await new BlobCheckpointStore(raw).updateCheckpoint(checkpoint('0', 10));
    await store.updateCheckpoint(checkpoint('0', 7));
    expect(await listScope(store)).toEqual([checkpoint('0', 10)]);
    await store.updateCheckpoint(checkpoint('0', 11));
    expect(await listScope(store)).toEqual([checkpoint('0', 11)]);
  });

  it('leaves alone an ownership another instance took since', async () => {
    const { store, raw } = await open();
    const [mine] = await store.claimOwnership([{ ...scope, partitionId: '0', ownerId: 'me' }]);
    const [theirs] = await new BlobCheckpointStore(raw).claimOwnership([{ ...scope, partitionId: '0', ownerId: 'other', etag: mine?.etag }]);
    expect(theirs?.ownerId).toBe('other');
    await store.release('0');
    expect((await blobs(raw))['ns.example/hub/$default/ownership/0']).toEqual({ ownerid: 'other' });
  });

  it('lets one of two instances resolve latest under the reopen lease while the other waits, then finds no mark', async () => {
    const first = await open();
    const second = new BlobGatewayCheckpointStore(new BlobContainer(azurite.connectionString, first.raw.containerName, { clock: systemClock, timeoutMs: 5000 }));
    await first.store.markIdle();
    let calls = 0;
    let resolveLatest: (value: ReturnType<typeof checkpoint>[]) => void = () => undefined;
    const latest = () => {
      calls += 1;
      return new Promise<ReturnType<typeof checkpoint>[]>((resolve) => (resolveLatest = resolve));
    };
    const a = first.store.reopenAtLatest(scope, latest, 10_000);
    while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const b = second.reopenAtLatest(scope, latest, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    resolveLatest([checkpoint('0', 40)]);
    expect(await Promise.all([a, b])).toEqual([true, false]);
    expect(calls).toBe(1);
    expect(await listScope(second)).toEqual([checkpoint('0', 40)]);
    expect(Object.keys(await blobs(first.raw)).sort()).toEqual(['gateway/reopen-lock', 'ns.example/hub/$default/checkpoint/0']);
  });

  it('gives up on a reopen lease another holder keeps, after the timeout, with the mark kept', async () => {
    const { store, raw } = await open();
    await store.markIdle();
    const lock = raw.getBlockBlobClient('gateway/reopen-lock');
    await lock.upload('', 0);
    const lease = lock.getBlobLeaseClient();
    await lease.acquireLease(15);
    const started = Date.now();
    await expect(store.reopenAtLatest(scope, () => Promise.resolve([]), 700)).rejects.toThrow(
      `checkpoint store: acquiring the lease of gateway/reopen-lock in container ${raw.containerName} failed: another instance held it for more than 700 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
    await lease.releaseLease();
    expect(await store.reopenAtLatest(scope, () => Promise.resolve([]), 700)).toBe(true);
  });
});

describe('Blob checkpoints with the engine', () => {
  it('stores the messages first: a failed checkpoint write rejects, and rereading from the older checkpoint stores each message once', async () => {
    const name = nextContainer();
    const store = await withBlobCheckpoints(new MemoryTelemetryStore(100), { connectionString: azurite.connectionString, container: name, clock: systemClock, logger: silent });
    const raw = new ContainerClient(azurite.connectionString, name);
    await store.append([1, 2].map((n) => message('a', '0', n)), [checkpoint('0', 2)]);
    // Another holder's lease on the checkpoint blob makes the next write fail (412 LeaseIdMissing).
    const lease = raw.getBlobClient('ns.example/hub/$default/checkpoint/0').getBlobLeaseClient();
    await lease.acquireLease(15);
    const failed = await store.append([3, 4].map((n) => message('a', '0', n)), [checkpoint('0', 4)]).then(() => null, (e: unknown) => e);
    expect(failed).toBeInstanceOf(CheckpointNotWrittenError);
    expect((failed as CheckpointNotWrittenError).cause).toBeInstanceOf(CheckpointStoreError);
    expect((failed as CheckpointNotWrittenError).stored.map((m) => m.sequenceNumber)).toEqual([3, 4]);
    await lease.releaseLease();
    const [resumeAfter] = await listScope(store.checkpointStore);
    expect(resumeAfter?.sequenceNumber).toBe(2);
    const reread = await store.append([3, 4, 5].map((n) => message('a', '0', n)), [checkpoint('0', 5)]);
    expect(reread.map((m) => m.sequenceNumber)).toEqual([5]);
    expect((await store.history('a', { limit: 100 })).map((m) => m.sequenceNumber)).toEqual([5, 4, 3, 2, 1]);
    expect(await listScope(store.checkpointStore)).toEqual([checkpoint('0', 5)]);
    await store.close();
  });
});

describe('Blob checkpoint store failures', () => {
  let silentServer: Server | undefined;
  const sockets: Socket[] = [];
  afterAll(() => {
    for (const socket of sockets) socket.destroy();
    silentServer?.close();
  });

  it('fails a call to a server that never answers once the timeout passes on the clock', async () => {
    silentServer = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silentServer?.listen(0, '127.0.0.1', resolve));
    const port = (silentServer.address() as { port: number }).port;
    const clock = new FakeClock();
    const store = new BlobGatewayCheckpointStore(new BlobContainer(devConnectionString(port), 'silent', { clock, timeoutMs: 3000 }));
    const listed = listScope(store);
    const outcome = listed.then(() => 'resolved', (error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 200));
    clock.advance(2999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock.advance(1);
    expect(await outcome).toBe('checkpoint store: creating container silent failed: no answer within 3000 ms');
  });

  it('fails with a clear, redacted error when the storage is unreachable, which the hub reports as checkpoint_store_error', async () => {
    const store = new BlobGatewayCheckpointStore(new BlobContainer(devConnectionString(await freePort()), 'unreachable', { clock: systemClock, timeoutMs: 5000 }));
    const error = await store.markIdle().then(() => null, (e: unknown) => e as CheckpointStoreError);
    expect(error).toBeInstanceOf(CheckpointStoreError);
    expect(error?.message).toMatch(/^checkpoint store: creating container unreachable failed: .*ECONNREFUSED/);
    expect(error?.message).not.toContain(DEV_ACCOUNT_KEY);
    expect(describeHubError(error)).toEqual({ reason: error?.message, unauthorized: false, kind: 'checkpoint_store_error' });
  });

  it('refuses a connection string the SDK cannot use, naming the key, without its secret', () => {
    const secret = 'c2VjcmV0LWtleS1ub3QtdG8tYmUtbG9nZ2Vk';
    expect(() => new BlobContainer(`AccountName=acc;AccountKey=${secret}`, 'c1x', { clock: systemClock, timeoutMs: 1000 }))
      .toThrow(/^Invalid configuration AZURE_STORAGE_CONNECTION_STRING: /);
    try {
      new BlobContainer(`AccountName=acc;AccountKey=${secret}`, 'c1x', { clock: systemClock, timeoutMs: 1000 });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('redacts account keys, SAS connection strings and SAS signatures', () => {
    expect(redactStorageSecrets('AccountName=a;AccountKey=abc/def==;EndpointSuffix=core.windows.net'))
      .toBe('AccountName=a;AccountKey=***;EndpointSuffix=core.windows.net');
    expect(redactStorageSecrets('BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022&sig=xyz%3D'))
      .toBe('BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=***');
    expect(redactStorageSecrets('GET https://a.blob.core.windows.net/c?sv=2022&sig=xyz%3D&se=1 failed'))
      .toBe('GET https://a.blob.core.windows.net/c?sv=2022&sig=***&se=1 failed');
  });
});
