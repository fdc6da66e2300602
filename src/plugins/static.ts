import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** The repository's folder: the nearest one above this file with a `package.json`. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** uPlot's `dist/` folder, resolved through Node's module resolution (no CDN: the dashboard works offline). */
function uplotRoot(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('uplot/dist/uPlot.min.css'));
}

/** csv-stringify's browser build (`dist/esm`, no imports of its own): the dashboard's CSV writer. */
function csvStringifyRoot(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('csv-stringify')), '..', 'esm');
}

/**
 * Serves the dashboard with @fastify/static: `public/` at `/` (index.html at `/`), uPlot's `dist/` at
 * `/vendor/uplot/`, csv-stringify's browser build at `/vendor/csv-stringify/`, and the built client's modules
 * (`client/dist/*.js`, from `npm run build`; its declarations get no route) at `/vendor/client/`. Public (no key): these files hold no data; the
 * dashboard asks for the key itself. One route per
 * file found at start (`wildcard: false`), marked public by an `onRoute` hook of this plugin's own scope, so any other
 * path stays an unmatched, key-protected one.
 */
export default fp(
  async function staticPlugin(app) {
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await files.register(fastifyStatic, { root: join(repoRoot(), 'public'), prefix: '/', index: ['index.html'], wildcard: false, cacheControl: false });
      await files.register(fastifyStatic, { root: uplotRoot(), prefix: '/vendor/uplot/', wildcard: false, decorateReply: false });
      await files.register(fastifyStatic, { root: csvStringifyRoot(), prefix: '/vendor/csv-stringify/', wildcard: false, decorateReply: false });
      const client = join(repoRoot(), 'client', 'dist');
      if (existsSync(client)) {
        await files.register(fastifyStatic, {
          root: client, prefix: '/vendor/client/', wildcard: false, decorateReply: false, cacheControl: false,
          globIgnore: ['**/*.d.ts', 'schemas/**'], allowedPath: (path) => /^\/[\w-]+\.js$/.test(path),
        });
      }
    });
  },
  { name: 'gateway-static', fastify: '5.x' },
);
