import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** Where the docs live: the UI at `/docs`, the OpenAPI document at `/docs/json` (and `/docs/yaml`). */
export const DOCS_PREFIX = '/docs';

/** The version both documents give (package.json's). */
export const API_VERSION = '0.1.0';

/** The API-key security requirements of a protected operation: header `X-API-Key` or query `api_key`. */
const API_KEY_SECURITY: Array<Record<string, string[]>> = [{ apiKeyHeader: [] }, { apiKeyQuery: [] }];

/**
 * OpenAPI 3.1 from the route schemas (@fastify/swagger, collects every route registered after it: register it before
 * the routes), and the docs UI (@fastify/swagger-ui, files served from node_modules, no CDN) at {@link DOCS_PREFIX}
 * with the document at `/docs/json`. Operations of routes marked `config.public` get `security: []`, every other one
 * the API key (header or query), as the auth hook decides; routes with `schema.hide` are left out. The UI's routes are
 * public (they hold no data) and run under the gateway's CSP unchanged (no inline script or style).
 */
export const apiDocsPlugin = fp(
  async function apiDocs(app) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'IoT Hub telemetry gateway',
          version: API_VERSION,
          description: 'REST API of the gateway. The WebSocket and SSE protocols: `/docs/asyncapi.json` (AsyncAPI 3).',
        },
        components: {
          securitySchemes: {
            apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
            apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key' },
          },
        },
      },
      transform: ({ schema, url, route }) => {
        const security = route.config?.public === true ? [] : API_KEY_SECURITY;
        return { schema: { ...schema, security }, url };
      },
    });
    await app.register(async (docs) => {
      docs.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      // BaseLayout: no top bar, whose logo is an SVG with an inline <style> the CSP refuses (and whose URL field
      // would load other documents). No `staticCSP`: the UI keeps the gateway's policy unchanged.
      await docs.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { layout: 'BaseLayout' } });
    });
  },
  { name: 'api-docs', fastify: '5.x', dependencies: ['security-headers', 'auth'] },
);
