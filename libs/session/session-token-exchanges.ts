import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigService } from '../config/index.js';
import { SecretCipher } from '../hash/index.js';
import { Clock, Database, newId } from '../persistence/index.js';
import { SessionTokenExchangeEntity } from './session-token-exchange.entity.js';

/** A completed exchange waits this long for the app to fetch its token. */
export const EXCHANGE_LIFESPAN_MS = 30 * 60_000;
const CONTEXT = 'session-token-exchange';

/** SHA-512 (base64url) of an exchange code: the form in which both codes are stored and compared. */
export function exchangeCodeHash(code: string): string {
  return createHash('sha512').update(code).digest('base64url');
}

/** Constant-time equality of two hashes in their stored form. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const newCode = () => randomBytes(32).toString('base64url');

/**
 * Kratos' session token exchange for native apps: the init code is shown once when the flow is
 * created, the return-to code once in the callback's redirect; the pair, presented together,
 * yields the session token once. Codes are kept only as hashes, the token only sealed.
 */
@Injectable()
export class SessionTokenExchanges {
  private readonly cipher: SecretCipher;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    config: ConfigService,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]);
  }

  private get rows() {
    return this.db.repository(SessionTokenExchangeEntity);
  }

  /** Opens an exchange for a new native flow; returns the init code (never stored). */
  async start(flowId: string, flowExpiresAt: Date): Promise<string> {
    const code = newCode();
    const now = this.clock.now();
    await this.rows.insert({
      id: newId(),
      flowId,
      initCodeHash: exchangeCodeHash(code),
      returnToCodeHash: null,
      sessionId: null,
      sealedSessionToken: null,
      expiresAt: flowExpiresAt,
      createdAt: now,
      updatedAt: now,
    });
    return code;
  }

  /** The init-code hash of the flow's exchange, null when the flow has none. */
  async initCodeHashOf(flowId: string): Promise<string | null> {
    const row = await this.rows.findOne({ where: { flowId } });
    return row ? row.initCodeHash : null;
  }

  /** A login↔registration conversion: the exchange follows the user to the new flow. */
  async move(fromFlowId: string, toFlowId: string, toExpiresAt: Date): Promise<void> {
    await this.rows.update(
      { flowId: fromFlowId },
      { flowId: toFlowId, expiresAt: toExpiresAt, updatedAt: this.clock.now() },
    );
  }

  /**
   * The flow signed someone in: keep the token sealed and return the return-to code (shown once,
   * in the redirect to the app). Null when the flow has no exchange.
   */
  async complete(flowId: string, sessionId: string, sessionToken: string): Promise<string | null> {
    const row = await this.rows.findOne({ where: { flowId } });
    if (!row) return null;
    const code = newCode();
    const now = this.clock.now();
    await this.rows.update(
      { id: row.id },
      {
        returnToCodeHash: exchangeCodeHash(code),
        sessionId,
        sealedSessionToken: this.cipher.encrypt(sessionToken, `${CONTEXT}:${row.id}`),
        expiresAt: new Date(now.getTime() + EXCHANGE_LIFESPAN_MS),
        updatedAt: now,
      },
    );
    return code;
  }

  /**
   * The session token for the pair, once: the row is deleted by the call that finds it. Null for an
   * unknown pair, an exchange whose callback has not completed, or an expired one.
   */
  async redeem(initCode: string, returnToCode: string): Promise<string | null> {
    const initHash = exchangeCodeHash(initCode);
    const returnHash = exchangeCodeHash(returnToCode);
    const candidates = await this.rows.find({ where: { initCodeHash: initHash } });
    const now = this.clock.now();
    const row = candidates.find(
      (r) =>
        sameHash(r.initCodeHash, initHash) &&
        r.returnToCodeHash !== null &&
        sameHash(r.returnToCodeHash, returnHash),
    );
    if (!row || !row.sealedSessionToken) return null;
    const deleted = await this.rows.delete({ id: row.id, returnToCodeHash: row.returnToCodeHash! });
    // A concurrent redeem of the same pair took it first.
    if (deleted.affected === 0) return null;
    if (!(row.expiresAt > now)) return null;
    return this.cipher.decrypt(row.sealedSessionToken, `${CONTEXT}:${row.id}`);
  }
}
