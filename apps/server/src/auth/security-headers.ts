import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Response headers of every reply (API, web app, errors), set by @fastify/helmet. The CSP allows
 * only Glaze's own scripts (the Vite build has no inline script), no framing (clickjacking), and
 * inline styles, which Glide Data Grid sets on its cells and overlays. `upgrade-insecure-requests`
 * is left out: Glaze is often served over plain http on 127.0.0.1, where it would break every load.
 */
export const securityHeaders: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      scriptSrcAttr: ["'none'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  // X-Frame-Options for browsers without frame-ancestors; nosniff and the rest are helmet's defaults.
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  // HSTS is the TLS-terminating proxy's decision (a max-age pins the host to https for a year).
  strictTransportSecurity: false,
};
