// The typed client in Node: `API_KEY=<key> node examples/client.mjs` on the demo (`npm start`). See README.md.
import WebSocket from 'ws';
import { GatewayClient } from 'iothub-telemetry-gateway/client';

const client = new GatewayClient({ url: 'http://localhost:5000', apiKey: process.env.API_KEY, WebSocket });
client.on('state', (s) => console.log('state', s.state, s.code ?? ''));
client.on('telemetry', (m) => console.log(m.deviceId, m.position, m.enqueuedTime, m.body));
client.on('dropped', (m) => console.log(`${m.count} messages of ${m.deviceId} skipped (too slow)`));
client.on('reset', (m) => console.log(`${m.deviceId}: resume point gone, history follows`));
client.subscribe('household-meter-01');
client.connect();
