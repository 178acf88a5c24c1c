import { Injectable } from '@nestjs/common';
import { type AfterLogin, type AfterRecovery, type AfterSettings, type FlowHook } from '../flow/index.js';
import { SessionService } from '../session/index.js';

/**
 * `revoke_active_sessions`: a new sign-in, or a settings change (e.g. a new password), ends every
 * other session of the identity.
 */
@Injectable()
export class SessionRevokerHook implements FlowHook {
  readonly name = 'revoke_active_sessions';

  constructor(private readonly sessions: SessionService) {}

  async afterLogin(context: AfterLogin): Promise<void> {
    await this.sessions.revokeOthers(context.session.identityId, context.session.id);
  }

  /** After recovery the recovered identity's other sessions end (the account may have been taken over). */
  async afterRecovery(context: AfterRecovery): Promise<void> {
    await this.sessions.revokeOthers(context.identity.id, context.session.id);
  }

  async afterSettings(context: AfterSettings): Promise<void> {
    await this.sessions.revokeOthers(context.identity.id, context.session.id);
  }
}
