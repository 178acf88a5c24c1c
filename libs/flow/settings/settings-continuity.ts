import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { SecretCipher } from '../../hash/index.js';
import { type SessionEntity } from '../../session/index.js';
import { Clock, Database } from '../../persistence/index.js';
import { FlowRepository, SettingsFlowEntity, sha256 } from '../core/index.js';

const KEY = 'pending_change';
/** Kratos' settings continuity containers live 15 minutes. */
const LIFESPAN_MS = 15 * 60_000;

interface PendingChange {
  session_id: string;
  /** SHA-256 of the nonce in the submitting browser's continuity cookie. */
  nonce_hash: string;
  expires_at: string;
  /** The submitted body, sealed under a context that includes the nonce: it may hold a new password. */
  sealed: string;
}

/** What the submitting browser is given to carry: the nonce in its continuity cookie. */
export interface HeldChange {
  nonce: string;
  expiresAt: Date;
}

/**
 * Carries a browser's privileged settings change across the refresh login it had to do first
 * (Kratos' continuity container). The submission is kept on the flow, encrypted and bound to the
 * flow, the session and a nonce that only the submitting browser holds (in its
 * `ory_kratos_continuity` cookie): another browser with the same session cookie, such as the
 * victim that signs in again after an attacker submitted a change with a stolen cookie, cannot
 * apply it. Single use: the first privileged return of this session removes it, applied or not;
 * it expires after 15 minutes, or with the flow. Sealed with `secrets.cipher`, or the cookie
 * secrets when no cipher secret is set (browser flows always have those).
 */
@Injectable()
export class SettingsContinuity {
  private readonly cipher: SecretCipher;
  private readonly flows: FlowRepository<SettingsFlowEntity>;

  constructor(
    config: ConfigService,
    db: Database,
    private readonly clock: Clock,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([
      ...secrets('secrets.cipher'),
      ...secrets('secrets.cookie'),
      ...secrets('secrets.default'),
    ]);
    this.flows = new FlowRepository(db, SettingsFlowEntity);
  }

  /** Keeps `body` on the flow (not yet saved: the caller saves the flow). */
  hold(flow: SettingsFlowEntity, session: SessionEntity, body: Record<string, unknown>): HeldChange {
    const { csrf_token: _csrf, ...change } = body;
    const nonce = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const expiresAt = new Date(Math.min(now + LIFESPAN_MS, flow.expiresAt.getTime()));
    const pending: PendingChange = {
      session_id: session.id,
      nonce_hash: sha256(nonce),
      expires_at: expiresAt.toISOString(),
      sealed: this.cipher.encrypt(JSON.stringify(change), context(flow, session, nonce)),
    };
    flow.internalContext = { ...(flow.internalContext ?? {}), [KEY]: pending };
    return { nonce, expiresAt };
  }

  /**
   * The held change, if this session holds one on the flow and `nonce` is the one its browser was
   * given. Whatever the nonce, the change is removed from the flow (compare-and-set, so that two
   * requests racing for it cannot both apply it): a browser of this session that comes back
   * without the cookie spends it.
   */
  async take(
    flow: SettingsFlowEntity,
    session: SessionEntity,
    nonce: string | undefined,
  ): Promise<Record<string, unknown> | null> {
    const current = flow.internalContext;
    const pending = current?.[KEY] as PendingChange | undefined;
    if (!pending || pending.session_id !== session.id) return null;
    const { [KEY]: _taken, ...rest } = current!;
    const next = Object.keys(rest).length ? rest : null;
    if (!(await this.flows.swapInternalContext(flow.id, current, next))) return null;
    flow.internalContext = next;
    if (!nonce || !sameHash(sha256(nonce), pending.nonce_hash)) return null;
    if (!(new Date(pending.expires_at) > this.clock.now())) return null;
    try {
      return JSON.parse(this.cipher.decrypt(pending.sealed, context(flow, session, nonce))) as Record<
        string,
        unknown
      >;
    } catch {
      return null;
    }
  }
}

function sameHash(a: string, b: string | undefined): boolean {
  return typeof b === 'string' && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function context(flow: SettingsFlowEntity, session: SessionEntity, nonce: string): string {
  return `settings-continuity:${flow.id}:${session.id}:${nonce}`;
}
