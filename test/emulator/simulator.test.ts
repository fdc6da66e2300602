import { earliestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATED_DEVICE_IDS, startEmulator, startSimulator, type Emulator } from '../../src/emulator/index.js';
import { collect, eventually, type Collected } from './helpers.js';

let emulator: Emulator;
let reader: Collected;

beforeAll(async () => {
  emulator = await startEmulator({ simulate: { intervalMs: 200 } });
  reader = collect(emulator.connectionString, { startPosition: earliestEventPosition });
});
afterAll(async () => {
  await reader.close();
  await emulator.close();
});

function allEventsOf(deviceId: string): ReceivedEventData[] {
  return reader.events
    .filter((e) => e.systemProperties?.['iothub-connection-device-id'] === deviceId)
    .sort((a, b) => a.sequenceNumber - b.sequenceNumber);
}

function eventsOf(deviceId: string): ReceivedEventData[] {
  return allEventsOf(deviceId).filter((e) => e.systemProperties?.['iothub-message-source'] === 'Telemetry');
}

describe('simulated devices', () => {
  it('have the fixed device IDs', () => {
    expect(SIMULATED_DEVICE_IDS).toEqual(['household-meter-01', 'household-meter-02', 'household-meter-03', 'feeder-01']);
  });

  it("household meters' first messages are UCI rows 1, 5001 and 10001, values unchanged", async () => {
    await eventually(() => {
      for (const id of SIMULATED_DEVICE_IDS) expect(eventsOf(id).length).toBeGreaterThanOrEqual(2);
    });
    const [first, second] = eventsOf('household-meter-01');
    // data/uci_...csv rows 1 and 2: 16/12/2006,17:24:00,4.216,0.418,234.840,18.400,... and 17:25:00,5.360,0.436,233.630,23.000
    expect((first?.body as Buffer).toString()).toBe('{"voltage":234.84,"current":18.4,"activePower":4.216,"reactivePower":0.418,"measuredAt":"2006-12-16T17:24:00"}');
    expect((second?.body as Buffer).toString()).toBe('{"voltage":233.63,"current":23,"activePower":5.36,"reactivePower":0.436,"measuredAt":"2006-12-16T17:25:00"}');
    expect(first?.contentType).toBe('application/json');
    expect(first?.systemProperties?.['contentEncoding']).toBe('utf-8');
    expect(first?.systemProperties?.['iothub-message-source']).toBe('Telemetry');
    // Row 5001 (file line 5002): 20/12/2006,04:44:00,0.306,0.142,246.790,1.400;
    // row 10001 (file line 10002): 23/12/2006,16:06:00,4.856,0.580,240.220,20.200
    expect(JSON.parse((eventsOf('household-meter-02')[0]?.body as Buffer).toString())).toEqual({
      voltage: 246.79, current: 1.4, activePower: 0.306, reactivePower: 0.142, measuredAt: '2006-12-20T04:44:00',
    });
    expect(JSON.parse((eventsOf('household-meter-03')[0]?.body as Buffer).toString())).toEqual({
      voltage: 240.22, current: 20.2, activePower: 4.856, reactivePower: 0.58, measuredAt: '2006-12-23T16:06:00',
    });
  });

  it("feeder-01's first messages are the Linc L1/L2/L3 rows joined on time", async () => {
    await eventually(() => expect(eventsOf('feeder-01').length).toBeGreaterThanOrEqual(2));
    const [first, second] = eventsOf('feeder-01');
    // L1 234.267 / L2 233.012 / L3 232.7 at 17:00:00; 233.656 / 232.796 / 232.453 at 17:00:01
    expect((first?.body as Buffer).toString()).toBe('{"voltages":[234.267,233.012,232.7],"measuredAt":"2020-10-17T17:00:00.000Z"}');
    expect((second?.body as Buffer).toString()).toBe('{"voltages":[233.656,232.796,232.453],"measuredAt":"2020-10-17T17:00:01.000Z"}');
  });

  it('each device first sends a deviceConnected event with the hub\'s shape, then its telemetry', async () => {
    await eventually(() => expect(eventsOf('feeder-01').length).toBeGreaterThanOrEqual(1));
    const [connected, telemetry] = allEventsOf('feeder-01');
    expect(connected?.systemProperties?.['iothub-message-source']).toBe('deviceConnectionStateEvents');
    expect(connected?.properties).toEqual({
      hubName: emulator.hubName, deviceId: 'feeder-01', opType: 'deviceConnected',
      'iothub-message-schema': 'deviceConnectionStateNotification', operationTimestamp: expect.stringMatching(/^\d{4}-.*Z$/) as unknown,
    });
    expect(JSON.parse((connected?.body as Buffer).toString())).toEqual({ sequenceNumber: expect.stringMatching(/^[0-9A-F]{64}$/) as unknown });
    expect(telemetry?.systemProperties?.['iothub-message-source']).toBe('Telemetry');
  });

  it('sends one message per device per interval and stops, announcing connect and disconnect', async () => {
    const sent: string[] = [];
    const simulation = startSimulator({
      hubName: 'hub',
      send: (deviceId, _body, options) => {
        sent.push(options?.messageSource === undefined ? deviceId : `${deviceId} ${String(options.properties?.['opType'])}`);
        return Promise.resolve({ partitionId: '0', sequenceNumber: 0, offset: '0', enqueuedTime: new Date() });
      },
    }, { intervalMs: 100 });
    expect(simulation.deviceIds).toEqual([...SIMULATED_DEVICE_IDS]);
    expect(sent).toEqual([...SIMULATED_DEVICE_IDS.map((id) => `${id} deviceConnected`), ...SIMULATED_DEVICE_IDS]);
    await eventually(() => expect(sent.length).toBeGreaterThanOrEqual(12));
    simulation.stop();
    const count = sent.length;
    expect(count % 4).toBe(0);
    expect(sent.slice(-4)).toEqual(SIMULATED_DEVICE_IDS.map((id) => `${id} deviceDisconnected`));
    simulation.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(count);
  });
});
