import { Injectable } from '@nestjs/common';
import { type AfterLogin, type FlowHook } from '../flow/index.js';
import { SessionService } from '../session/index.js';

/** `revoke_active_sessions`: a new sign-in ends every other session of the identity. */
@Injectable()
export class SessionRevokerHook implements FlowHook {
  readonly name = 'revoke_active_sessions';

  constructor(private readonly sessions: SessionService) {}

  async afterLogin(context: AfterLogin): Promise<void> {
    await this.sessions.revokeOthers(context.session.identityId, context.session.id);
  }
}
