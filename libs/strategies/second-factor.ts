import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { ApiError } from '../errors/index.js';
import { type FlowContext, type LoginFlowEntity } from '../flow/index.js';
import { aal2Required, type SessionEntity } from '../session/index.js';

/** Form booleans arrive as `true` (JSON) or `"true"` (form posts). */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The session a second factor is checked for. Only an `aal=aal2` login flow takes second
 * factors (null otherwise: the method is not offered there); it needs a signed-in session.
 */
export function secondFactorSession(flow: LoginFlowEntity, ctx: FlowContext): SessionEntity | null {
  if (flow.requestedAal !== 'aal2') return null;
  if (!ctx.session) {
    throw new ApiError(401, {
      id: 'session_aal1_required',
      reason: 'You can not requested a higher AAL (AAL2/AAL3) without an active session.',
      message: 'aal2 and aal3 can only be requested if a session exists already',
    });
  }
  return ctx.session;
}

/** Where a browser goes to raise its session to aal2 (answers that need aal2 carry it). */
@Injectable()
export class StepUp {
  constructor(private readonly config: ConfigService) {}

  required(): ApiError {
    const login = new URL(this.config.url('public', 'self-service/login/browser'));
    login.searchParams.set('aal', 'aal2');
    return aal2Required(login.href);
  }
}
