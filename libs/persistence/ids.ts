import { randomFillSync } from 'node:crypto';

/** The last timestamp and 12-bit sequence this process put in an id (RFC 9562 §6.2, method 1). */
let lastMillis = 0;
let sequence = 0;

/**
 * Random bytes for ids, drawn 256 ids at a time (as Node's `randomUUID` does): one call into
 * OpenSSL, and one crypto job with its async-hooks bookkeeping, per batch instead of per id.
 */
const POOL_IDS = 256;
const pool = Buffer.alloc(16 * POOL_IDS);
let poolOffset = pool.length;

function randomIdBytes(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = Buffer.allocUnsafe(16);
  pool.copy(bytes, 0, poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/** A fresh sequence start: 11 random bits, so at least 2048 ids fit in one millisecond. */
const seedSequence = (random: Buffer): number => ((random[6]! << 8) | random[7]!) & 0x7ff;

/**
 * UUIDv7 (RFC 9562): time-ordered, so keyset pages follow creation order and B-tree inserts
 * stay local, while 62 fresh random bits per id (plus a randomly seeded sequence) keep ids
 * unguessable. Within one process ids are strictly increasing: ids made in the same
 * millisecond, or after the clock stepped back, count up a 12-bit sequence instead of sorting
 * by their random bits.
 */
export function newId(now = Date.now()): string {
  const bytes = randomIdBytes();
  if (now > lastMillis) {
    lastMillis = now;
    sequence = seedSequence(bytes);
  } else if (++sequence > 0xfff) {
    lastMillis += 1;
    sequence = seedSequence(bytes);
  }
  bytes.writeUIntBE(lastMillis, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
