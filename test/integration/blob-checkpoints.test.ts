import { ContainerClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { devConnectionString, DEV_ACCOUNT_KEY, freePort, startAzurite, type Azurite } from '../support/azurite.js';
import { eventually } from './support/eventually.js';
import { WsClient } from './live-clients.js';
import { json, removeDir, startGateway, testConfig, TEST_API_KEY, type RunningGateway } from './support/gateway.js';
import { logMessages, register } from './support/helpers.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
}, 20_000);
afterAll(() => azurite.stop());

describe('gateway instances with CHECKPOINT_STORE=blob on Azurite', () => {
  let emulator: Emulator | undefined;
  const gateways: RunningGateway[] = [];
  afterEach(async () => {
    for (const gw of gateways.splice(0)) {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
    await emulator?.close();
    emulator = undefined;
  });

  it('split the partitions, hand them over and resume from the Blob checkpoints: every event read once', async () => {
    const em = (emulator = await startEmulator({ partitions: 4 }));
    const container = `split-${process.pid}`;
    const raw = new ContainerClient(azurite.connectionString, container);
    const prefix = `127.0.0.1/${em.hubName.toLowerCase()}/$default`;
    /** Partition → metadata of the blobs of one kind, read from Azurite itself. */
    const read = async (kind: 'ownership' | 'checkpoint') => {
      const found = new Map<string, Record<string, string>>();
      for await (const b of raw.listBlobsFlat({ prefix: `${prefix}/${kind}/`, includeMetadata: true })) found.set(b.name.split('/').at(-1) ?? '', b.metadata ?? {});
      return found;
    };
    const shares = async () => {
      const byOwner = new Map<string, string[]>();
      for (const [p, m] of await read('ownership')) if (m.ownerid) byOwner.set(m.ownerid, [...(byOwner.get(m.ownerid) ?? []), p].sort());
      return byOwner;
    };
    const devices = new Map<string, string>();
    for (let i = 0; devices.size < 4; i += 1) if (!devices.has(em.partitionOf(`blob-${i}`))) devices.set(em.partitionOf(`blob-${i}`), `blob-${i}`);
    const start = async () => {
      const gw = await startGateway(testConfig({
        connectionString: em.connectionString, startPosition: 'earliest', checkpointStore: 'blob',
        azureStorageConnectionString: azurite.connectionString, checkpointContainer: container, partitionClaimIntervalS: 1, hubProbeIntervalS: 1,
      }));
      gateways.push(gw);
      for (const id of devices.values()) expect((await register(gw, id)).status).toBe(202);
      return gw;
    };
    const read$: string[] = [];
    const collect = async (gw: RunningGateway) => {
      for (const id of devices.values()) read$.push(...(await gw.app.store.history(id, { limit: 1000 })).map((m) => `${m.partitionId}:${m.sequenceNumber}`));
    };
    const sent: string[] = [];
    const last = new Map<string, number>();
    /** Sends 2 events to each partition, then waits until the Blob checkpoints are at the last of them. */
    const sendRound = async () => {
      for (let n = 0; n < 2; n += 1) {
        for (const [partition, id] of devices) {
          const { sequenceNumber } = await em.send(id, JSON.stringify({ n: sent.length }));
          sent.push(`${partition}:${sequenceNumber}`);
          last.set(partition, sequenceNumber);
        }
      }
      await eventually(async () => {
        const checkpoints = await read('checkpoint');
        expect([...last].map(([p]) => Number(checkpoints.get(p)?.sequencenumber))).toEqual([...last.values()]);
      }, { timeoutMs: 15_000 });
    };

    /** The partitions an instance reads now, from its log: claimed, and neither lost nor closed since. */
    const reading = (gw: RunningGateway) => {
      const now = new Set<string>();
      for (const m of logMessages(gw)) {
        const [, id, what] = /^hub consumer partition (\d+) (claimed|ownership lost|closed)/.exec(m) ?? [];
        if (id && what === 'claimed') now.add(id);
        else if (id) now.delete(id);
      }
      return [...now].sort();
    };
    /** Waits until the blobs give each instance `counts` partitions and each reads exactly its share (hand-over done). */
    const settled = (gws: RunningGateway[], counts: number[]) => eventually(async () => {
      const now = await shares();
      expect([...now.values()].map((p) => p.length).sort()).toEqual(counts);
      expect(gws.map(reading).sort()).toEqual([...now.values()].sort());
      for (const gw of gws) expect((await json(fetch(`${gw.url}/readyz`))).body.hubState).toBe('connected');
      return now;
    }, { timeoutMs: 20_000 });

    const a = await start();
    const b = await start();
    const split = await settled([a, b], [2, 2]);
    await sendRound();
    // Each instance stored exactly the events of the partitions the blobs say it owns.
    for (const gw of [a, b]) {
      const partitions = new Set<string>();
      for (const id of devices.values()) for (const m of await gw.app.store.history(id, { limit: 1000 })) partitions.add(m.partitionId);
      expect([...split.values()]).toContainEqual([...partitions].sort());
    }

    // B restarts: A takes its partitions from B's checkpoints, then B's new instance takes its share back from A's.
    await collect(b);
    await b.close();
    gateways.splice(gateways.indexOf(b), 1);
    removeDir(b.config.stateDir);
    await settled([a], [4]);
    await sendRound();
    const b2 = await start();
    await settled([a, b2], [2, 2]);
    await sendRound();
    await collect(a);
    await collect(b2);
    expect(read$.sort()).toEqual([...sent].sort());
    expect(new Set(read$).size).toBe(24);
  }, 40_000);
});

describe('a gateway whose Blob checkpoint write fails', () => {
  let emulator: Emulator | undefined;
  let gw: RunningGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    if (gw) removeDir(gw.config.stateDir);
    await emulator?.close();
  });

  it('reports store_error, rereads the partition from the older checkpoint once it can write, and keeps each event once (in history and live)', async () => {
    const em = (emulator = await startEmulator({ partitions: 1 }));
    const container = `fail-${process.pid}`;
    gw = await startGateway(testConfig({
      connectionString: em.connectionString, startPosition: 'earliest', checkpointStore: 'blob', azureStorageConnectionString: azurite.connectionString,
      checkpointContainer: container, defaultDeviceId: 'dev-1', partitionClaimIntervalS: 1, hubProbeIntervalS: 1,
    }));
    const blob = new ContainerClient(azurite.connectionString, container).getBlobClient(`127.0.0.1/${em.hubName.toLowerCase()}/$default/checkpoint/0`);
    const checkpointAt = async () => Number((await blob.getProperties()).metadata?.sequencenumber);
    const seqs = async () => (await gw!.app.store.history('dev-1', { limit: 100 })).map((m) => m.sequenceNumber).reverse();
    const sent: number[] = [];
    const send = async () => sent.push((await em.send('dev-1', JSON.stringify({ n: sent.length }))).sequenceNumber);
    await eventually(async () => expect((await json(fetch(`${gw!.url}/readyz`))).body.hubState).toBe('connected'));
    const live = await WsClient.connect(`${gw.url.replace(/^http/, 'ws')}/api/ws?api_key=${TEST_API_KEY}`);
    live.send({ type: 'subscribe', deviceIds: ['dev-1'] });
    await live.waitFor((m) => m.type === 'subscribed');
    const liveSeqs = () => live.ofType('telemetry').map((m) => Number(String(m.position).split(':')[1]));
    await send();
    await eventually(async () => expect(await checkpointAt().catch(() => NaN)).toBe(sent[0]));
    // Another holder's lease on the checkpoint blob: the next writes fail, after the engine stored the events.
    const lease = blob.getBlobLeaseClient();
    await lease.acquireLease(15);
    await send();
    await send();
    await eventually(async () => {
      const { status, body } = await json(fetch(`${gw!.url}/readyz`));
      expect({ status, reason: body.reason }).toEqual({ status: 503, reason: 'store_error' });
    });
    expect(await seqs()).toEqual(sent);
    expect(await checkpointAt()).toBe(sent[0]);
    await lease.releaseLease();
    await send();
    await eventually(async () => expect(await checkpointAt()).toBe(sent[3]), { timeoutMs: 15_000 });
    await eventually(async () => expect((await json(fetch(`${gw!.url}/readyz`))).body.hubState).toBe('connected'));
    expect(await seqs()).toEqual(sent);
    // Stored without a checkpoint is still live: a subscriber got every event once, in order.
    await eventually(() => expect(liveSeqs()).toEqual(sent));
    live.close();
    // The partition was restarted (claimed again) and reread from the older checkpoint.
    expect(logMessages(gw).filter((m) => m === 'hub consumer partition 0 claimed').length).toBeGreaterThanOrEqual(2);
    expect(gw.lines.join('\n')).toContain('checkpoint store: writing checkpoint');
  }, 30_000);
});

describe('a gateway whose Blob storage is unreachable', () => {
  let emulator: Emulator | undefined;
  const gateways: RunningGateway[] = [];
  afterEach(async () => {
    for (const gw of gateways.splice(0)) {
      await gw.close();
      removeDir(gw.config.stateDir);
    }
    await emulator?.close();
  });

  it('starts, logs a clear error without the key or signature, and answers /readyz 503 checkpoint_store_error', async () => {
    const em = (emulator = await startEmulator({ partitions: 2 }));
    const port = await freePort();
    const sig = 'U2VjcmV0U2lnbmF0dXJlT2ZUaGVUZXN0';
    const forms = [devConnectionString(port), `BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;SharedAccessSignature=sv=2022-11-02&ss=b&srt=co&sp=rwdlc&se=2030-01-01T00:00:00Z&sig=${sig}`];
    for (const azureStorageConnectionString of forms) {
      const gw = await startGateway(testConfig({ connectionString: em.connectionString, checkpointStore: 'blob', azureStorageConnectionString, defaultDeviceId: 'dev-1' }));
      gateways.push(gw);
      await eventually(async () => {
        const { status, body } = await json(fetch(`${gw.url}/readyz`));
        expect({ status, body }).toEqual({ status: 503, body: { status: 'not_ready', hubState: 'error', reason: 'checkpoint_store_error' } });
      }, { timeoutMs: 15_000 });
      const text = gw.lines.join('\n');
      expect(text).toContain(`"component":"store","msg":"checkpoint store: creating container gateway-checkpoints failed: connect ECONNREFUSED 127.0.0.1:${port}; the hub consumer reports it, and every checkpoint call tries again"`);
      expect(text).not.toContain(DEV_ACCOUNT_KEY);
      expect(text).not.toContain(sig);
    }
  }, 40_000);
});
