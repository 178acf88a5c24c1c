import { describe, expect, it } from 'vitest';
import { type ConfigService } from '../../config/index.js';
import { type Clock } from '../../persistence/index.js';
import { type OneTimeCodeEntity, type OneTimeCodeKind } from './one-time-code.entity.js';
import { type OneTimeCodeRepository } from './one-time-code.repository.js';
import { OneTimeCodes, secretExpiresAt, sixDigitCode } from './one-time-codes.js';

/** The repository's contract in memory: the SQL behind it is covered by the e2e suites. */
class MemoryCodes {
  rows: OneTimeCodeEntity[] = [];
  async insert(row: OneTimeCodeEntity) {
    this.rows.push({ ...row });
  }
  async usable(flowId: string, kind: OneTimeCodeKind, now: Date) {
    return this.rows.filter((r) => r.flowId === flowId && r.kind === kind && !r.usedAt && r.expiresAt > now);
  }
  async markUsed(id: string, now: Date) {
    const row = this.rows.find((r) => r.id === id && !r.usedAt);
    if (!row) return false;
    row.usedAt = now;
    return true;
  }
  async invalidate(flowId: string, kind: OneTimeCodeKind, now: Date) {
    for (const r of this.rows) if (r.flowId === flowId && r.kind === kind && !r.usedAt) r.usedAt = now;
  }
}

function setup(secret = 'a-secret-of-sixteen-chars') {
  const store = new MemoryCodes();
  let now = new Date('2026-01-01T00:00:00Z');
  const clock = { now: () => now } as Clock;
  const lifespans: Record<string, number> = { 'selfservice.methods.code.config.lifespan': 15 * 60_000 };
  const config = {
    get: (path: string) => (path === 'secrets.default' ? [secret] : undefined),
    duration: (path: string) => lifespans[path] ?? 60 * 60_000,
  } as unknown as ConfigService;
  const codes = new OneTimeCodes(store as unknown as OneTimeCodeRepository, config, clock);
  return { store, codes, config, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

const FLOW = '0190a3c4-0000-7000-8000-000000000001';
const OTHER = '0190a3c4-0000-7000-8000-000000000002';
const target = { address: 'a@example.org', via: 'email' as const, identityId: 'id-1' };
const inAnHour = () => new Date('2026-01-01T01:00:00Z');

describe('OneTimeCodes', () => {
  it('makes six-digit codes, leading zeros kept, spread over the range', () => {
    const codes = Array.from({ length: 2000 }, sixDigitCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(codes.some((c) => c.startsWith('0'))).toBe(true);
  });

  it('ends a code after methods.code.config.lifespan, a link after its own, never after the flow', async () => {
    const { store, codes, config, advance } = setup();
    const code = await codes.issue('recovery_code', FLOW, target, inAnHour());
    expect(store.rows[0]!.expiresAt).toEqual(new Date('2026-01-01T00:15:00Z'));
    await codes.issue('recovery_link', OTHER, target, inAnHour());
    expect(store.rows[1]!.expiresAt).toEqual(inAnHour());
    advance(15 * 60_000 + 1);
    expect(await codes.redeem('recovery_code', FLOW, code)).toBeNull();
    const start = new Date('2026-01-01T00:00:00Z');
    expect(secretExpiresAt(config, 'code', start, new Date('2026-01-01T00:05:00Z'))).toEqual(
      new Date('2026-01-01T00:05:00Z'),
    );
  });

  it('stores only a keyed hash, redeems a code once, and never for another flow or purpose', async () => {
    const { store, codes } = setup();
    const code = await codes.issue('recovery_code', FLOW, target, inAnHour());
    expect(store.rows[0]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(store.rows)).not.toContain(`"${code}"`);
    expect(await codes.redeem('recovery_code', OTHER, code)).toBeNull();
    expect(await codes.redeem('verification_code', FLOW, code)).toBeNull();
    expect((await codes.redeem('recovery_code', FLOW, code))?.identityId).toBe('id-1');
    expect(await codes.redeem('recovery_code', FLOW, code)).toBeNull();
  });

  it('a new code replaces the unused earlier ones', async () => {
    const { codes } = setup();
    const first = await codes.issue('login_code', FLOW, target, inAnHour());
    const second = await codes.issue('login_code', FLOW, target, inAnHour());
    if (first !== second) expect(await codes.redeem('login_code', FLOW, first)).toBeNull();
    expect(await codes.redeem('login_code', FLOW, second)).not.toBeNull();
  });

  it('gives each address of a batch its own code: the code redeemed names its address, and ends the rest', async () => {
    const { codes } = setup();
    const addresses = ['a@example.org', 'b@example.org', 'c@example.org'].map((address) => ({
      address,
      via: 'email' as const,
      identityId: null,
    }));
    const [a, b, c] = await codes.issueEach('registration_code', FLOW, addresses, inAnHour());
    expect(new Set([a, b, c]).size).toBe(3);
    expect((await codes.redeem('registration_code', FLOW, b!))?.address).toBe('b@example.org');
    expect(await codes.redeem('registration_code', FLOW, a!)).toBeNull();
    expect(await codes.redeem('registration_code', FLOW, c!)).toBeNull();
  });

  it("lives until its flow expires, not the method's lifespan, when issued for the flow's lifespan", async () => {
    const { store, codes, advance } = setup();
    const code = await codes.issue('recovery_code', FLOW, target, inAnHour(), 'flow');
    expect(store.rows[0]!.expiresAt).toEqual(inAnHour());
    advance(59 * 60_000);
    expect(await codes.redeem('recovery_code', FLOW, code)).not.toBeNull();
  });

  it('expired codes do not work', async () => {
    const { codes, advance } = setup();
    const code = await codes.issue('verification_code', FLOW, target, inAnHour());
    advance(60 * 60_000);
    expect(await codes.redeem('verification_code', FLOW, code)).toBeNull();
  });

  it('link tokens are long and random', async () => {
    const { codes } = setup();
    const token = await codes.issue('recovery_link', FLOW, target, inAnHour());
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await codes.redeem('recovery_link', FLOW, token)).not.toBeNull();
  });

  it('the hash depends on the secret', async () => {
    const a = setup('first-secret-0123456789');
    const b = setup('other-secret-0123456789');
    const code = await a.codes.issue('recovery_code', FLOW, target, inAnHour());
    b.store.rows = a.store.rows.map((r) => ({ ...r }));
    expect(await b.codes.redeem('recovery_code', FLOW, code)).toBeNull();
  });
});
