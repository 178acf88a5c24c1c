/**
 * Breach counts of one 5-hex-digit range, kept as `\nSUFFIX:COUNT` lines in a
 * single string: a range holds about a thousand hashes, and a string of them
 * costs a byte per character where a Map of them would cost roughly ten times
 * as much.
 */
export class HibpRange {
  private constructor(private readonly lines: string) {}

  /** Entries with a zero count are the padding the API adds on request, not breaches. */
  static fromCounts(counts: Iterable<readonly [suffix: string, count: number]>): HibpRange {
    let lines = '';
    for (const [suffix, count] of counts) if (count > 0) lines += `\n${suffix}:${count}`;
    return new HibpRange(`${lines}\n`);
  }

  /** The breach count of a 35-hex-digit upper-case suffix, 0 when it is not listed. */
  count(suffix: string): number {
    const key = `\n${suffix}:`;
    const at = this.lines.indexOf(key);
    if (at < 0) return 0;
    const start = at + key.length;
    return Number(this.lines.slice(start, this.lines.indexOf('\n', start)));
  }
}

export interface HibpRangeCacheOptions {
  maxPrefixes: number;
  ttlMs: number;
  now: () => number;
}

/** Least-recently-used ranges are evicted first; every range expires ttlMs after it was fetched. */
export class HibpRangeCache {
  private readonly entries = new Map<string, { range: HibpRange; expiresAt: number }>();

  constructor(private readonly options: HibpRangeCacheOptions) {}

  get(prefix: string): HibpRange | undefined {
    const entry = this.entries.get(prefix);
    if (!entry) return undefined;
    this.entries.delete(prefix);
    if (entry.expiresAt <= this.options.now()) return undefined;
    this.entries.set(prefix, entry);
    return entry.range;
  }

  set(prefix: string, range: HibpRange): void {
    this.entries.delete(prefix);
    this.entries.set(prefix, { range, expiresAt: this.options.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxPrefixes) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
