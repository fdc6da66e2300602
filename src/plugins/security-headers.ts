import helmet from '@fastify/helmet';
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

/**
 * Security headers on every answer (@fastify/helmet, in `onRequest`, so errors and refusals carry them too): the
 * {@link CONTENT_SECURITY_POLICY}, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
 * `X-Frame-Options: DENY`, and helmet's other defaults except HSTS (the gateway speaks plain HTTP; HSTS is for the
 * TLS front that serves it). Register it first, so every later refusal carries them.
 */
export const securityHeadersPlugin = fp(
  async function securityHeaders(app) {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: { ...CONTENT_SECURITY_POLICY } },
      referrerPolicy: { policy: 'no-referrer' },
      xFrameOptions: { action: 'deny' },
      strictTransportSecurity: false,
    });
  },
  { name: 'security-headers', fastify: '5.x' },
);
