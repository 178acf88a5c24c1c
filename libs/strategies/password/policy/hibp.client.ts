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
  now?: () => number;
}

export type BreachLookup = { ok: true; breaches: number } | { ok: false; reason: string };

const DEFAULT_CACHE_MAX_PREFIXES = 1000;
const DEFAULT_CACHE_TTL_MS = 60 * 60 * 1000;
/** A padded range is about 40 KB; anything far larger is not the range API. */
const MAX_RANGE_BYTES = 1024 * 1024;
const UNCHECKED = 'it could not be checked against known data breaches';

type RangeFetch = { ok: true; range: HibpRange } | { ok: false; reason: string };

/**
 * Have I Been Pwned's k-anonymity range API: only the first five hex digits
 * of the password's SHA-1 leave the process, and the API pads its answer so
 * that its size says nothing about the range either. Neither the password nor
 * its hash is logged or put into a failure reason.
 */
export class HibpClient {
  private readonly cache: HibpRangeCache;
  private readonly inFlight = new Map<string, Promise<RangeFetch>>();

  constructor(private readonly options: HibpClientOptions) {
    this.cache = new HibpRangeCache({
      maxPrefixes: options.cacheMaxPrefixes ?? DEFAULT_CACHE_MAX_PREFIXES,
      ttlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      now: options.now ?? Date.now,
    });
  }

  /** How many breaches the password appears in (0 when none), or why that could not be found out. */
  async lookup(password: string): Promise<BreachLookup> {
    const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
    const prefix = hash.slice(0, 5);
    const cached = this.cache.get(prefix);
    if (cached) return { ok: true, breaches: cached.count(hash.slice(5)) };
    const fetched = await this.fetchOnce(prefix);
    return fetched.ok ? { ok: true, breaches: fetched.range.count(hash.slice(5)) } : fetched;
  }

  /** Concurrent lookups of one prefix share a request; only successful answers are cached. */
  private fetchOnce(prefix: string): Promise<RangeFetch> {
    const pending = this.inFlight.get(prefix);
    if (pending) return pending;
    const request = this.fetchRange(prefix)
      .then((result) => {
        if (result.ok) this.cache.set(prefix, result.range);
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
      return failure(
        timedOut ? 'the breach database did not answer in time' : 'the breach database is unreachable',
      );
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
