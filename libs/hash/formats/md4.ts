/*
 * MD4 (RFC 1320), needed only for Kratos' `$hmac-md4$` import format:
 * OpenSSL 3 moved MD4 to the legacy provider, so node:crypto cannot compute it.
 */
const ROUND2_ORDER = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];
const ROUND3_ORDER = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15];
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
] as const;

export function md4(data: Buffer): Buffer {
  const blocks = Math.ceil((data.length + 9) / 64);
  const message = Buffer.alloc(blocks * 64);
  data.copy(message);
  message[data.length] = 0x80;
  message.writeUInt32LE((data.length * 8) >>> 0, message.length - 8);
  message.writeUInt32LE(Math.floor(data.length / 0x20000000), message.length - 4);

  const state = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16);
  for (let offset = 0; offset < message.length; offset += 64) {
    for (let i = 0; i < 16; i++) x[i] = message.readUInt32LE(offset + i * 4);
    const h = [...state];
    for (let step = 0; step < 48; step++) {
      const round = step >> 4;
      const i = step & 15;
      const [a, b, c, d] = [(64 - i) % 4, (65 - i) % 4, (66 - i) % 4, (67 - i) % 4];
      const k = round === 0 ? i : round === 1 ? ROUND2_ORDER[i]! : ROUND3_ORDER[i]!;
      const mixed = mix(round, h[b]!, h[c]!, h[d]!) + x[k]! + [0, 0x5a827999, 0x6ed9eba1][round]!;
      h[a] = rotateLeft((h[a]! + mixed) >>> 0, SHIFTS[round][i & 3]!);
    }
    for (let i = 0; i < 4; i++) state[i] = (state[i]! + h[i]!) >>> 0;
  }
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeUInt32LE(word, i * 4));
  return out;
}

function mix(round: number, b: number, c: number, d: number): number {
  if (round === 0) return (b & c) | (~b & d);
  if (round === 1) return (b & c) | (b & d) | (c & d);
  return b ^ c ^ d;
}

function rotateLeft(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}
