import { afterEach, describe, expect, it } from 'vitest';
import type { HubState } from '../../src/hub/hub-state.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTelemetryStore } from '../../src/store/memory-telemetry-store.js';
import { eventually } from './support/eventually.js';
import { json, removeDir, startGateway, testConfig, type RunningGateway } from './support/gateway.js';
import { logMessages, register } from './support/helpers.js';

describe('two gateways sharing one checkpoint store share the partitions', () => {
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

  /** Partition ID → owner ID of every current ownership (the emulator's namespace is its host, 127.0.0.1). */
  async function owners(store: MemoryTelemetryStore, em: Emulator): Promise<Map<string, string>> {
    const all = await store.checkpointStore.listOwnership('127.0.0.1', em.hubName, '$Default');
    return new Map(all.filter((o) => o.ownerId).map((o) => [o.partitionId, o.ownerId]));
  }

  it('each reads half, both stay ready, and the partitions move to the one left when the other closes', async () => {
    emulator = await startEmulator({ partitions: 4 });
    const store = new MemoryTelemetryStore(1000);
    const appended: string[] = [];
    const append = store.append.bind(store);
    store.append = (messages, checkpoints) => {
      appended.push(...messages.map((m) => `${m.partitionId}:${m.sequenceNumber}`));
      return append(messages, checkpoints);
    };
    const devices = new Map<string, string>();
    for (let i = 0; devices.size < 4; i += 1) {
      const partition = emulator.partitionOf(`share-${i}`);
      if (!devices.has(partition)) devices.set(partition, `share-${i}`);
    }
    const config = () => testConfig({ connectionString: emulator!.connectionString, partitionClaimIntervalS: 1, hubProbeIntervalS: 1 });
    const a = await startGateway(config(), { store });
    gateways.push(a);
    const statesOfA: HubState[] = [];
    a.app.hub.status$.subscribe((s) => statesOfA.push(s.state));
    for (const id of devices.values()) expect((await register(a, id)).status).toBe(202);
    await eventually(async () => expect((await json(fetch(`${a.url}/readyz`))).body.hubState).toBe('connected'));
    expect(new Set((await owners(store, emulator)).values()).size).toBe(1);
    const connectedAt = statesOfA.lastIndexOf('connected');

    const b = await startGateway(config(), { store });
    gateways.push(b);
    const shares = await eventually(async () => {
      const byOwner = new Map<string, string[]>();
      for (const [partition, owner] of await owners(store, emulator!)) byOwner.set(owner, [...(byOwner.get(owner) ?? []), partition]);
      expect([...byOwner.values()].map((p) => p.length)).toEqual([2, 2]);
      return byOwner;
    }, { timeoutMs: 20_000 });
    // The hand-over is over once A's receivers of B's share were detached (B's took them).
    await eventually(() => expect(logMessages(a).filter((m) => m.includes('ownership lost: another reader took it over'))).toHaveLength(2));
    expect(emulator.stats().receivers).toHaveLength(4);
    for (const gw of [a, b]) expect((await json(fetch(`${gw.url}/readyz`))).body).toEqual({ status: 'ready', hubState: 'connected', reason: null });
    const sent: string[] = [];
    const sendAll = async () => {
      for (const [partition, id] of devices) sent.push(`${partition}:${(await emulator!.send(id, JSON.stringify({ n: sent.length }))).sequenceNumber}`);
      await eventually(() => expect([...appended].sort()).toEqual([...sent].sort()));
    };
    await sendAll();
    // Each instance logged the claims of its own partitions; the hand-over is info lines, not warnings.
    const claimed = (gw: RunningGateway) => logMessages(gw).filter((m) => /partition \d+ claimed$/.test(m)).map((m) => /partition (\d+)/.exec(m)?.[1]);
    expect(claimed(b).sort()).toEqual([...(shares.values())].find((p) => p.every((id) => claimed(b).includes(id)))?.sort());
    for (const gw of [a, b]) {
      const levels = gw.lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40);
      expect(levels.map((l) => l.msg)).toEqual([]);
    }

    await b.close();
    await eventually(async () => expect([...(await owners(store, emulator!)).values()]).toHaveLength(4), { timeoutMs: 20_000 });
    expect(new Set((await owners(store, emulator)).values()).size).toBe(1);
    await eventually(() => expect(emulator?.stats().receivers).toHaveLength(4));
    await sendAll();
    expect((await json(fetch(`${a.url}/readyz`))).body).toEqual({ status: 'ready', hubState: 'connected', reason: null });
    // A never left `connected` while B joined, took its share and left.
    expect(statesOfA.slice(connectedAt)).toEqual(['connected']);
    expect(new Set(appended).size).toBe(appended.length);
  }, 60_000);
});
