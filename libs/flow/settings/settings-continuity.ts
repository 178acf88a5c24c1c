import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { SecretCipher } from '../../hash/index.js';
import { type SessionEntity } from '../../session/index.js';
import { Database } from '../../persistence/index.js';
import { FlowRepository, SettingsFlowEntity } from '../core/index.js';

const KEY = 'pending_change';

interface PendingChange {
  session_id: string;
  /** The submitted body, sealed: it may hold a new password. */
  sealed: string;
}

/**
 * Carries a browser's privileged settings change across the refresh login it had to do first
 * (Kratos' continuity container): the submission is kept, encrypted and bound to the flow and the
 * session, in the flow's `internal_context`; when the re-authenticated browser comes back to the
 * flow, it is applied once. Sealed with `secrets.cipher`, or the cookie secrets when no cipher
 * secret is set (browser flows always have those).
 */
@Injectable()
export class SettingsContinuity {
  private readonly cipher: SecretCipher;
  private readonly flows: FlowRepository<SettingsFlowEntity>;

  constructor(config: ConfigService, db: Database) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([
      ...secrets('secrets.cipher'),
      ...secrets('secrets.cookie'),
      ...secrets('secrets.default'),
    ]);
    this.flows = new FlowRepository(db, SettingsFlowEntity);
  }

  /** Keeps `body` on the flow (not yet saved: the caller saves the flow). */
  hold(flow: SettingsFlowEntity, session: SessionEntity, body: Record<string, unknown>): void {
    const { csrf_token: _csrf, ...change } = body;
    const pending: PendingChange = {
      session_id: session.id,
      sealed: this.cipher.encrypt(JSON.stringify(change), context(flow, session)),
    };
    flow.internalContext = { ...(flow.internalContext ?? {}), [KEY]: pending };
  }

  /**
   * The held change, if this session holds one on the flow, removed from the flow by
   * compare-and-set so that two requests racing for it cannot both apply it.
   */
  async take(flow: SettingsFlowEntity, session: SessionEntity): Promise<Record<string, unknown> | null> {
    const current = flow.internalContext;
    const pending = current?.[KEY] as PendingChange | undefined;
    if (!pending || pending.session_id !== session.id) return null;
    const { [KEY]: _taken, ...rest } = current!;
    const next = Object.keys(rest).length ? rest : null;
    if (!(await this.flows.swapInternalContext(flow.id, current, next))) return null;
    flow.internalContext = next;
    try {
      return JSON.parse(this.cipher.decrypt(pending.sealed, context(flow, session))) as Record<
        string,
        unknown
      >;
    } catch {
      return null;
    }
  }
}

function context(flow: SettingsFlowEntity, session: SessionEntity): string {
  return `settings-continuity:${flow.id}:${session.id}`;
}
