import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PwnedRangeServer {
  /** For `SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_HOST`. */
  host: string;
  /** Request paths in arrival order, to check that only hash prefixes left the server. */
  requests: string[];
  close(): Promise<void>;
}

export const sha1Hex = (password: string) =>
  createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();

/**
 * A local stand-in for the Pwned Passwords range API (`GET /range/<5 hex>` → `SUFFIX:COUNT`
 * lines), so no test reaches the internet. `breached` maps passwords to their breach counts;
 * every answer is padded with zero-count lines as the real API does.
 */
export async function startPwnedRangeServer(breached: Record<string, number>): Promise<PwnedRangeServer> {
  const byPrefix = new Map<string, string[]>();
  for (const [password, count] of Object.entries(breached)) {
    const hash = sha1Hex(password);
    const lines = byPrefix.get(hash.slice(0, 5)) ?? [];
    lines.push(`${hash.slice(5)}:${count}`);
    byPrefix.set(hash.slice(0, 5), lines);
  }
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const match = /^\/range\/([0-9A-F]{5})$/i.exec(req.url ?? '');
    if (req.method !== 'GET' || !match) {
      res.writeHead(404).end();
      return;
    }
    const padding = Array.from({ length: 5 }, (_, i) => `${String(i).repeat(35)}:0`);
    const lines = [...(byPrefix.get(match[1]!.toUpperCase()) ?? []), ...padding];
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(lines.join('\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
