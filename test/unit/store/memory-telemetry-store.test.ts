import { MemoryTelemetryStore } from '../../../src/store/memory-telemetry-store.js';
import { FakeClock } from '../../support/fake-clock.js';
import { describeTelemetryStoreContract } from './telemetry-store-contract.js';

describeTelemetryStoreContract('memory', (historyLimit) => Promise.resolve(new MemoryTelemetryStore(historyLimit, new FakeClock())));
