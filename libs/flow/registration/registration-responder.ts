import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { toApiError } from '../../errors/index.js';
import { IdentityPresenter } from '../../identity/index.js';
import { SessionPresenter, SessionTransport } from '../../session/index.js';
import { Text } from '../../text/index.js';
import {
  addUiMessage,
  type ClientKind,
  clientKind,
  FlowFactory,
  flowExpired,
  FlowResponder,
  type RegistrationFlowEntity,
  ReturnToPolicy,
} from '../core/index.js';
import { type RegistrationOutcome } from './registration-flow.service.js';
import { registrationFlowJson } from './registration-flow.wire.js';

/** Writes a registration outcome per client kind (the contract's response matrix). */
@Injectable()
export class RegistrationResponder {
  constructor(
    private readonly responder: FlowResponder,
    private readonly factory: FlowFactory,
    private readonly transport: SessionTransport,
    private readonly sessions: SessionPresenter,
    private readonly identities: IdentityPresenter,
    private readonly returnTo: ReturnToPolicy,
    private readonly config: ConfigService,
  ) {}

  returnUrl(flowReturnTo: string | null | undefined, method?: string): string {
    if (flowReturnTo && this.returnTo.isAllowed(flowReturnTo))
      return new URL(flowReturnTo, this.returnTo.defaultReturnUrl()).href;
    return (
      (method &&
        this.config.get<string>(
          `selfservice.flows.registration.after.${method}.default_browser_return_url`,
        )) ||
      this.config.get<string>('selfservice.flows.registration.after.default_browser_return_url') ||
      this.returnTo.defaultReturnUrl()
    );
  }

  showFlow(res: Response, client: ClientKind, flow: RegistrationFlowEntity): void {
    if (client === 'browser')
      return this.responder.redirect(res, this.factory.uiUrl('registration', flow.id));
    this.responder.json(res, 400, registrationFlowJson(flow));
  }

  async respond(res: Response, client: ClientKind, outcome: RegistrationOutcome): Promise<void> {
    if (outcome.kind === 'flow') return this.showFlow(res, client, outcome.flow);
    if (outcome.kind === 'expired') {
      if (client === 'browser')
        return this.responder.redirect(res, this.factory.uiUrl('registration', outcome.replacement.id));
      throw flowExpired(outcome.flow, outcome.replacement, new Date());
    }
    const { flow, identity, session, token } = outcome;
    const target = this.returnUrl(flow.returnTo, flow.active ?? undefined);
    if (client !== 'api' && session && token) this.transport.setCookie(res, token, session.expiresAt);
    if (client === 'browser') return this.responder.redirect(res, target);
    const body = {
      identity: this.identities.present(identity, { admin: false }),
      ...(session ? { session: this.sessions.present(session, { admin: false }) } : {}),
    };
    if (client === 'spa') {
      return this.responder.json(res, 200, {
        ...body,
        continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: target }],
      });
    }
    return this.responder.json(res, 200, {
      ...body,
      ...(token ? { session_token: token } : {}),
      continue_with: token ? [{ action: 'set_ory_session_token', ory_session_token: token }] : [],
    });
  }

  apiFlowFromBrowser(res: Response, flow: RegistrationFlowEntity): void {
    addUiMessage(
      flow.ui,
      Text.reason(
        'The API flow was initiated from a browser (it sent an Origin header or cookies). Use the browser flow instead.',
      ),
    );
    this.responder.json(res, 400, registrationFlowJson(flow));
  }

  async failed(
    req: Request,
    res: Response,
    flow: RegistrationFlowEntity | undefined,
    error: unknown,
  ): Promise<void> {
    const apiError = toApiError(error);
    if (flow && apiError?.code === 400 && !apiError.init.id) {
      addUiMessage(flow.ui, Text.reason(apiError.init.reason ?? apiError.message));
      return this.showFlow(res, clientKind(flow.type, req), flow);
    }
    await this.responder.error(req, res, error);
  }
}
