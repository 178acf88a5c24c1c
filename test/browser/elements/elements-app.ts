import { join } from 'node:path';
import { build } from 'esbuild';
import { serveStatic, type StaticServer } from '../../support/browser-static-server.js';

export const ELEMENTS_PAGES = [
  'login',
  'registration',
  'settings',
  'recovery',
  'verification',
  'welcome',
  'error',
];

/**
 * Bundles the Ory Elements app (React, Elements and its styles) in memory and serves it on a port
 * of its own: every page path gets the same HTML, which names Tessera's public URL.
 */
export async function serveElementsApp(): Promise<StaticServer & { useTessera(url: string): void }> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'app/app.tsx')],
    bundle: true,
    write: false,
    outdir: 'elements-app',
    format: 'esm',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const output = (ext: string) => bundle.outputFiles.find((f) => f.path.endsWith(ext))!.text;
  const documents: Record<string, { body: string; contentType: string }> = {
    '/app.js': { body: output('.js'), contentType: 'text/javascript; charset=utf-8' },
    '/app.css': { body: output('.css'), contentType: 'text/css; charset=utf-8' },
  };
  const server = await serveStatic(documents);
  return {
    ...server,
    /** The HTML is written once Tessera's port is known (Tessera needs the app's URL first). */
    useTessera(url: string) {
      const html =
        '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/app.css">' +
        `<script>window.TESSERA_URL = ${JSON.stringify(url)};</script></head>` +
        '<body><div id="root"></div><script type="module" src="/app.js"></script></body></html>';
      for (const page of ELEMENTS_PAGES)
        documents[`/${page}`] = { body: html, contentType: 'text/html; charset=utf-8' };
    },
  };
}
