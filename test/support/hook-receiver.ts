import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Reply {
  status?: number;
  body?: unknown;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** A local web hook target: records every request; answers per path (default 200 `{}`). */
export interface HookReceiver {
  url: string;
  calls: ReceivedCall[];
  callsTo(path: string): ReceivedCall[];
  /** The JSON body of the last call to `path` (fails the test when there is none). */
  lastJson(path: string): Record<string, unknown>;
  reply(path: string, answer: Reply | ((call: ReceivedCall, n: number) => Reply)): void;
  /** Waits until `path` was called `count` times (or throws after `timeoutMs`). */
  waitFor(path: string, count?: number, timeoutMs?: number): Promise<ReceivedCall[]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const calls: ReceivedCall[] = [];
  const replies = new Map<string, Reply | ((call: ReceivedCall, n: number) => Reply)>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const call = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      calls.push(call);
      const configured = replies.get(path) ?? {};
      const n = calls.filter((c) => c.path === path).length;
      const reply = typeof configured === 'function' ? configured(call, n) : configured;
      const send = () => {
        if (res.destroyed) return;
        const body =
          reply.body === undefined
            ? '{}'
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const callsTo = (path: string) => calls.filter((c) => c.path === path);
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo,
    lastJson(path) {
      const last = callsTo(path).at(-1);
      if (!last) throw new Error(`no call to ${path}; calls: ${calls.map((c) => c.path).join(', ')}`);
      return JSON.parse(last.body) as Record<string, unknown>;
    },
    reply(path, answer) {
      replies.set(path, answer);
    },
    async waitFor(path, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (callsTo(path).length < count) {
        if (Date.now() > deadline)
          throw new Error(`${path} was called ${callsTo(path).length} times, not ${count}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return callsTo(path);
    },
    reset() {
      calls.length = 0;
      replies.clear();
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
