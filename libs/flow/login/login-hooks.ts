import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { type SessionEntity, SessionService } from '../../session/index.js';

interface HookConfig {
  hook: string;
}

/** After-login hooks from `selfservice.flows.login.after[.<method>].hooks`. */
@Injectable()
export class LoginHooks {
  constructor(
    private readonly config: ConfigService,
    private readonly sessions: SessionService,
  ) {}

  private hooks(method: string): string[] {
    const perMethod = this.config.get<HookConfig[]>(`selfservice.flows.login.after.${method}.hooks`);
    const global = this.config.get<HookConfig[]>('selfservice.flows.login.after.hooks') ?? [];
    return (perMethod ?? global).map((h) => h.hook);
  }

  async afterLogin(method: string, session: SessionEntity): Promise<void> {
    if (this.hooks(method).includes('revoke_active_sessions')) {
      await this.sessions.revokeOthers(session.identityId, session.id);
    }
  }
}
