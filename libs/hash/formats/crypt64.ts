/** The crypt(3) alphabet: unlike base64 it starts with `./` and the digits. */
export const CRYPT64_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * crypt(3) encodes digests in groups of three bytes taken in an
 * algorithm-specific order, least significant six bits first. `groups` lists
 * those byte indexes; -1 stands for a zero byte that pads the last group.
 */
export function encodeCrypt64(digest: Buffer, groups: readonly (readonly number[])[]): string {
  let out = '';
  for (const group of groups) {
    const [b2, b1, b0] = group.map((i) => (i < 0 ? 0 : digest[i]!));
    let word = (b2! << 16) | (b1! << 8) | b0!;
    const chars = group.filter((i) => i >= 0).length + 1;
    for (let n = 0; n < chars; n++) {
      out += CRYPT64_ALPHABET[word & 0x3f];
      word >>>= 6;
    }
  }
  return out;
}
