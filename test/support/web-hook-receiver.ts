import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  idempotencyKey: string | undefined;
  at: number;
}

/** `answer`: reply with this status; `hold`: keep the request open, never reply. */
export type ReceiverMode = { answer: number } | 'hold';

/**
 * A real HTTP server standing in for a web hook receiver. It records every request (also the held
 * ones, once their body has arrived) and can be told to answer a status or to hold requests open.
 */
export class WebHookReceiver {
  readonly calls: ReceivedCall[] = [];
  mode: ReceiverMode = { answer: 200 };
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on `port` (0: any free one). */
  static async start(port = 0): Promise<WebHookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const receiver = new WebHookReceiver(server, (server.address() as AddressInfo).port);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      void receiver.handle(request, response);
    });
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Calls counted once per idempotency key, as a receiver that honours the key would. */
  distinctKeys(): string[] {
    return [...new Set(this.calls.map((call) => call.idempotencyKey ?? ''))];
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const key = request.headers['idempotency-key'];
    this.calls.push({
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      idempotencyKey: Array.isArray(key) ? key[0] : key,
      at: Date.now(),
    });
    if (this.mode === 'hold') {
      this.held.add(response);
      response.on('close', () => this.held.delete(response));
      return;
    }
    response.writeHead(this.mode.answer).end();
  }

  async close(): Promise<void> {
    for (const response of this.held) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
