const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * The longest duration Go's time.ParseDuration accepts (2^63-1 ns, about 292 years): Kratos
 * refuses anything longer, and so do we, before a date built from it leaves what a Date holds.
 */
export const MAX_DURATION_MS = 9_223_372_036_854;

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;

/** Parses a Go duration string ("1h", "15m", "1h30m", "500ms") into milliseconds. */
export function parseDuration(text: string): number {
  const input = text.trim();
  if (input === '0') return 0;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < input.length) {
    const start = PART.lastIndex;
    const match = PART.exec(input);
    if (!match || match.index !== start) throw new Error(`invalid duration "${text}"`);
    total += Number(match[1]) * (UNIT_MS[match[2]!] ?? 0);
  }
  if (input.length === 0) throw new Error('invalid duration ""');
  if (!(total <= MAX_DURATION_MS)) throw new Error(`invalid duration "${text}": out of range`);
  return Math.round(total);
}

const SIZE_UNIT: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** Parses a byte size as Kratos' config writes it ("128MB", "19MB"); units are binary. */
export function parseByteSize(text: string): number {
  const match = /^(\d+)(B|KB|MB|GB|TB)$/.exec(text.trim());
  if (!match) throw new Error(`invalid byte size "${text}"`);
  return Number(match[1]) * SIZE_UNIT[match[2]!]!;
}
