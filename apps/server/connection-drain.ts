import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Lets the listeners stop without cutting a request short. From `drain()` on, no new
 * connection is accepted, idle keep-alive connections close at once, and a busy one closes
 * right after the response it is writing (`Connection: close`), so that the listeners close
 * as soon as the last in-flight request has its answer.
 */
export class ConnectionDrain {
  private readonly active = new Map<ServerResponse, Server>();
  private draining = false;

  /** Call before the request handler is attached, so that this listener sees a request first. */
  constructor(private readonly servers: readonly Server[]) {
    for (const server of servers) server.on('request', (req, res) => this.track(server, req, res));
  }

  get inFlight(): number {
    return this.active.size;
  }

  private track(server: Server, _req: IncomingMessage, res: ServerResponse): void {
    this.active.set(res, server);
    if (this.draining && !res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      this.active.delete(res);
      // A response sent before the drain began left its connection open for the next request.
      if (this.draining) setImmediate(() => server.closeIdleConnections());
    });
  }

  /** Resolves once every listener and every connection is closed. */
  async drain(): Promise<void> {
    this.draining = true;
    for (const res of this.active.keys()) if (!res.headersSent) res.setHeader('Connection', 'close');
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      ),
    );
  }
}
