import { describe, expect, it } from 'vitest';
import { DiscoveredDevices } from '../../src/devices/discovered-devices.js';

const at = (s: number): string => `2026-01-01T00:00:0${s}.000Z`;

describe('discovered devices', () => {
  it('past the limit forgets the device seen least recently, wherever it was first seen', () => {
    const devices = new DiscoveredDevices(3);
    devices.record({ deviceId: 'a', enqueuedTime: at(1) });
    devices.record({ deviceId: 'b', enqueuedTime: at(2) });
    devices.record({ deviceId: 'c', enqueuedTime: at(3) });
    devices.record({ deviceId: 'a', enqueuedTime: at(4) }); // a moves from the oldest end to the newest
    devices.record({ deviceId: 'c', enqueuedTime: at(5) }); // the newest seen again: stays newest
    devices.record({ deviceId: 'd', enqueuedTime: at(6) }); // over the limit: b goes
    expect(devices.list()).toEqual([
      { deviceId: 'd', lastSeen: at(6), messageCount: 1 },
      { deviceId: 'c', lastSeen: at(5), messageCount: 2 },
      { deviceId: 'a', lastSeen: at(4), messageCount: 2 },
    ]);
    devices.record({ deviceId: 'e', enqueuedTime: at(7) }); // then a, now the least recently seen
    devices.record({ deviceId: 'b', enqueuedTime: at(8) }); // then c: b is new again
    expect(devices.list().map((d) => [d.deviceId, d.messageCount])).toEqual([['b', 1], ['e', 1], ['d', 1]]);
  });

  it('keeps the latest enqueued time when messages arrive out of order, and lists copies', () => {
    const devices = new DiscoveredDevices(1);
    devices.record({ deviceId: 'a', enqueuedTime: at(5) });
    devices.record({ deviceId: 'a', enqueuedTime: at(2) });
    const [first] = devices.list();
    expect(first).toEqual({ deviceId: 'a', lastSeen: at(5), messageCount: 2 });
    first!.messageCount = 99;
    expect(devices.list()).toEqual([{ deviceId: 'a', lastSeen: at(5), messageCount: 2 }]);
  });
});
