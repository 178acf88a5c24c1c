import { Injectable } from '@nestjs/common';
import { type AfterRegistration, type FlowHook } from '../flow/index.js';
import { SessionService } from '../session/index.js';

/** `session`: signs the newly registered identity in. */
@Injectable()
export class SessionIssuerHook implements FlowHook {
  readonly name = 'session';

  constructor(private readonly sessions: SessionService) {}

  async afterRegistration(context: AfterRegistration): Promise<void> {
    context.issued = await this.sessions.issue(
      context.identity,
      { method: context.method, aal: 'aal1', ...(context.provider ? { provider: context.provider } : {}) },
      context.device,
    );
  }
}
