import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`: the page's origin as the browser sends it. */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves fixed documents by path on a port of its own, standing in for an SPA's host. The path
 * is matched without its query string; anything else is 404.
 */
export async function serveStatic(
  documents: Record<string, { body: string; contentType: string }>,
  port = 0,
): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://static.invalid').pathname;
    const document = documents[path];
    if (!document) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res
      .writeHead(200, { 'Content-Type': document.contentType, 'Cache-Control': 'no-store' })
      .end(document.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
