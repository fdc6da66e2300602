import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import fp from 'fastify-plugin';

/**
 * The dashboard's Content Security Policy: scripts, styles, images and connections from its own origin only (CSP
 * Level 3 `'self'` also matches `ws://` to the same host and port, so the WebSocket passes), no inline script or
 * style, no plugins, no `<base>`, and no framing by anyone. Without `upgrade-insecure-requests` (helmet's default
 * would turn `ws://` into `wss://` on a plain-HTTP gateway).
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'], // the page's empty `data:` favicon
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
};

/** @fastify/helmet's options for the gateway (see {@link securityHeadersPlugin}). */
const HELMET_OPTIONS = {
  contentSecurityPolicy: { useDefaults: false, directives: { ...CONTENT_SECURITY_POLICY } },
  referrerPolicy: { policy: 'no-referrer' },
  xFrameOptions: { action: 'deny' },
  strictTransportSecurity: false,
} as const;

/**
 * The headers @fastify/helmet sets with {@link HELMET_OPTIONS}, read once from a throwaway app: its hook runs helmet's
 * middleware anew on every request (parsing the policy each time), and with a static policy and no nonces that yields
 * the same headers every time. @returns lower-case header names and their values.
 */
export async function helmetHeaders(): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, HELMET_OPTIONS);
  probe.get('/', (_request, reply) => reply.send(reply.raw.getHeaders()));
  try {
    const response = await probe.inject({ method: 'GET', url: '/' });
    return response.json<Record<string, string>>();
  } finally {
    await probe.close();
  }
}

/**
 * Security headers on every answer, in `onRequest`, so errors and refusals carry them too: the headers of
 * @fastify/helmet ({@link helmetHeaders}, computed once at start) — the {@link CONTENT_SECURITY_POLICY},
 * `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`, and helmet's other
 * defaults except HSTS (the gateway speaks plain HTTP; HSTS is for the TLS front that serves it). Register it first,
 * so every later refusal carries them.
 */
export const securityHeadersPlugin = fp(
  async function securityHeaders(app) {
    const headers = await helmetHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
