// Preloads bench/gateway-probe.ts into a gateway that runs compiled JS (`node --import ./bench/gateway-probe-preload.mjs
// dist/server.js`): tsx's scoped `tsImport` compiles only the probe and its imports, not the gateway's modules.
import { tsImport } from 'tsx/esm/api';

await tsImport('./gateway-probe.ts', import.meta.url);
