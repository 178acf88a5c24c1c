import { isIP } from 'node:net';

/** The names Express' `trust proxy` (proxy-addr) knows for address ranges. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function validEntry(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `serve.public.trusted_proxies`: the reverse proxies whose `X-Forwarded-For` names the client.
 * Each entry is an address, a CIDR range, or loopback, linklocal or uniquelocal.
 */
export function trustedProxyProblems(entries: unknown): string[] {
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((entry) => typeof entry !== 'string' || !validEntry(entry))
    .map(
      (entry) =>
        `serve.public.trusted_proxies: ${JSON.stringify(entry)} is not an IP address, a CIDR range, or one of loopback, linklocal, uniquelocal`,
    );
}
