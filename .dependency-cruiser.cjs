// Layering of src/: data flows one way, and imports follow it (lower layers never import higher ones).
//   root files (app.ts, server.ts, banner.ts)
//   routes → plugins → live → devices | hub | store → telemetry → config | schemas
// Same-layer imports are allowed (without cycles). Type-only imports count. The emulator is a separate program: it
// imports nothing from the gateway, and the gateway imports only its index.ts.
const layers = [
  ['config', 'schemas'],
  ['telemetry'],
  ['devices', 'hub', 'store'],
  ['live'],
  ['plugins'],
  ['routes'],
];
const folder = (names) => `^src/(${names.join('|')})/`;
const ROOT_FILE = '^src/[^/]+\\.ts$';

const upward = layers.slice(0, -1).map((names, i) => ({
  name: `no-upward-from-${names.join('-')}`,
  comment: `${names.join('/')} may import only ${layers.slice(0, i + 1).flat().join(', ')}`,
  severity: 'error',
  from: { path: folder(names) },
  to: { path: [folder(layers.slice(i + 1).flat()), ROOT_FILE] },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'emulator-stands-alone',
      comment: 'the emulator imports nothing from the gateway',
      severity: 'error',
      from: { path: '^src/emulator/' },
      to: { path: '^src/', pathNot: '^src/emulator/' },
    },
    {
      name: 'gateway-uses-emulator-index-only',
      comment: 'the gateway imports the emulator only through src/emulator/index.ts',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/emulator/' },
      to: { path: '^src/emulator/', pathNot: '^src/emulator/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
