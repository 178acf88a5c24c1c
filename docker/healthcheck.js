// The image's HEALTHCHECK: ready on the public port (node:*-slim has no curl or wget).
/* global AbortSignal */
// eslint-disable-next-line no-restricted-syntax -- the container's own port setting
const port = process.env.SERVE_PUBLIC_PORT || '4433';
fetch(`http://127.0.0.1:${port}/health/ready`, { signal: AbortSignal.timeout(2500) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
