/*
 * Kratos' identifier similarity rule, reproduced decision for decision so that
 * a password accepted or refused by Kratos is accepted or refused here too.
 * Kratos works on Go strings, which are UTF-8 bytes; the helpers below say
 * where that shows through.
 */

const MIN_LEVENSHTEIN_DISTANCE = 5;
const MAX_COMMON_SUBSTRING_SHARE = 0.5;
/** Kratos skips the check past this many bytes: both algorithms are quadratic. */
const MAX_COMPARED_BYTES = 256;

/**
 * True when the password must be refused for this identifier: after
 * lower-casing, their Levenshtein distance is below 5, or their longest common
 * substring covers more than half of the password's UTF-8 bytes. An empty
 * identifier, or either side longer than 256 bytes, is not compared.
 */
export function isTooSimilarToIdentifier(password: string, identifier: string): boolean {
  if (identifier === '') return false;
  if (utf8Length(identifier) > MAX_COMPARED_BYTES || utf8Length(password) > MAX_COMPARED_BYTES) return false;
  const id = goLowerCase(identifier);
  const pw = goLowerCase(password);
  if (levenshtein(id, pw) < MIN_LEVENSHTEIN_DISTANCE) return true;
  return goLongestCommonSubstring(id, pw) / utf8Length(pw) > MAX_COMMON_SUBSTRING_SHARE;
}

export function utf8Length(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/**
 * Go's strings.ToLower maps each code point on its own (no final-sigma
 * context) with the simple mapping, under which U+0130 becomes a plain "i";
 * JavaScript's full mapping would make it two code points.
 */
export function goLowerCase(value: string): string {
  let lowered = '';
  for (const char of value) lowered += char === '\u0130' ? 'i' : char.toLowerCase();
  return lowered;
}

/** Edit distance over code points, as github.com/arbovm/levenshtein computes it. */
export function levenshtein(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  let previous = Array.from({ length: right.length + 1 }, (_, j) => j);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++) {
      const substitution = previous[j - 1] + (left[i - 1] === right[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[right.length];
}

/**
 * Length, in code points, of the longest common substring as Kratos' lcsLength
 * measures it. That Go loop compares runes but chains a match onto the cell at
 * byte offset (i-1, j-1), which only holds a value when the preceding rune on
 * both sides is a single byte: a run therefore restarts after any non-ASCII
 * character ("äb" against "äb" counts 1, "bä" against "bä" counts 2).
 */
export function goLongestCommonSubstring(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  let longest = 0;
  let previous = new Array<number>(right.length).fill(0);
  for (let i = 0; i < left.length; i++) {
    const current = new Array<number>(right.length).fill(0);
    for (let j = 0; j < right.length; j++) {
      if (left[i] !== right[j]) continue;
      const chains = i > 0 && j > 0 && isSingleByte(left[i - 1]) && isSingleByte(right[j - 1]);
      current[j] = chains ? previous[j - 1] + 1 : 1;
      longest = Math.max(longest, current[j]);
    }
    previous = current;
  }
  return longest;
}

function isSingleByte(char: string): boolean {
  return char.codePointAt(0)! < 0x80;
}
