import { createHash } from 'node:crypto';
import { HttpTimeoutError, outboundFetch } from '../../../http-client/index.js';
import { HibpRange, HibpRangeCache } from './hibp-range.cache.js';

export interface HibpClientOptions {
  /** Host and optional port of the Pwned Passwords range API. */
  host: string;
  scheme?: 'https' | 'http';
  timeoutMs: number;
  cacheMaxPrefixes?: number;
  cacheTtlMs?: number;
  /** How long a range API that could not be reached is not asked again. */
  unreachableBackoffMs?: number;
  now?: () => number;
}

export type BreachLookup = { ok: true; breaches: number } | { ok: false; reason: string };

const DEFAULT_CACHE_MAX_PREFIXES = 1000;
const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
const DEFAULT_UNREACHABLE_BACKOFF_MS = 30_000;
/** A padded range is about 40 KB; anything far larger is not the range API. */
const MAX_RANGE_BYTES = 1024 * 1024;
const UNCHECKED = 'it could not be checked against known data breaches';

type RangeFetch = { ok: true; range: HibpRange } | { ok: false; reason: string; unreachable?: boolean };

/**
 * Have I Been Pwned's k-anonymity range API: only the first five hex digits
 * of the password's SHA-1 leave the process, and the API pads its answer so
 * that its size says nothing about the range either. Neither the password nor
 * its hash is logged or put into a failure reason.
 *
 * An API that cannot be reached (no route out, a firewall that drops packets, a
 * resolver that does not answer) is not asked again for `unreachableBackoffMs`:
 * lookups in that time fail at once with the same reason, so one sign-up waits
 * for the timeout instead of every sign-up and password change.
 */
export class HibpClient {
  private readonly cache: HibpRangeCache;
  private readonly inFlight = new Map<string, Promise<RangeFetch>>();
  private readonly now: () => number;
  private unreachable?: { until: number; reason: string };

  constructor(private readonly options: HibpClientOptions) {
    this.now = options.now ?? Date.now;
    this.cache = new HibpRangeCache({
      maxPrefixes: options.cacheMaxPrefixes ?? DEFAULT_CACHE_MAX_PREFIXES,
      ttlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      now: this.now,
    });
  }

  /** How many breaches the password appears in (0 when none), or why that could not be found out. */
  async lookup(password: string): Promise<BreachLookup> {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const prefix = hash.slice(0, 5);
    const cached = this.cache.get(prefix);
    if (cached) return { ok: true, breaches: cached.count(hash.slice(5)) };
    if (this.unreachable && this.now() < this.unreachable.until) {
      return { ok: false, reason: this.unreachable.reason };
    }
    const fetched = await this.fetchOnce(prefix);
    if (fetched.ok) return { ok: true, breaches: fetched.range.count(hash.slice(5)) };
    return { ok: false, reason: fetched.reason };
  }

  /** Concurrent lookups of one prefix share a request; only successful answers are cached. */
  private fetchOnce(prefix: string): Promise<RangeFetch> {
    const pending = this.inFlight.get(prefix);
    if (pending) return pending;
    const request = this.fetchRange(prefix)
      .then((result) => {
        if (result.ok) {
          this.cache.set(prefix, result.range);
          this.unreachable = undefined;
        } else if (result.unreachable) {
          const backoff = this.options.unreachableBackoffMs ?? DEFAULT_UNREACHABLE_BACKOFF_MS;
          this.unreachable = { until: this.now() + backoff, reason: result.reason };
        }
        return result;
      })
      .finally(() => this.inFlight.delete(prefix));
    this.inFlight.set(prefix, request);
    return request;
  }

  private async fetchRange(prefix: string): Promise<RangeFetch> {
    const url = `${this.options.scheme ?? 'https'}://${this.options.host}/range/${prefix}`;
    let body: string | null;
    try {
      const response = await outboundFetch(url, {
        headers: { 'Add-Padding': 'true', 'User-Agent': 'Tessera password policy' },
        timeoutMs: this.options.timeoutMs,
      });
      if (response.status !== 200) {
        await response.body?.cancel();
        return failure(`the breach database answered with HTTP status ${response.status}`);
      }
      body = await readCapped(response, MAX_RANGE_BYTES);
    } catch (error) {
      const timedOut = error instanceof HttpTimeoutError;
      return {
        ...failure(
          timedOut ? 'the breach database did not answer in time' : 'the breach database is unreachable',
        ),
        unreachable: true,
      };
    }
    const counts = body === null ? null : parseRange(body);
    return counts
      ? { ok: true, range: HibpRange.fromCounts(counts) }
      : failure('the breach database sent a malformed answer');
  }
}

function failure(detail: string): { ok: false; reason: string } {
  return { ok: false, reason: `${UNCHECKED} (${detail})` };
}

/**
 * `SUFFIX:COUNT` lines. As in Kratos, a line without a count counts once
 * (the API has been seen to omit it) and thousands separators are tolerated,
 * but a count that is not a number discards the whole answer.
 */
export function parseRange(body: string): Array<[string, number]> | null {
  const counts: Array<[string, number]> = [];
  for (const row of body.split('\n')) {
    const line = row.trim();
    if (line === '') continue;
    const parts = line.split(':');
    if (parts.length !== 2) {
      counts.push([parts[0].toUpperCase(), 1]);
      continue;
    }
    const digits = parts[1].trim().replaceAll(',', '');
    if (!/^\d+$/.test(digits)) return null;
    counts.push([parts[0].trim().toUpperCase(), Number(digits)]);
  }
  return counts;
}

async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
