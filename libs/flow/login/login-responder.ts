import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { toApiError } from '../../errors/index.js';
import { SessionPresenter, SessionTransport } from '../../session/index.js';
import { Text } from '../../text/index.js';
import {
  addUiMessage,
  type ClientKind,
  clientKind,
  FlowFactory,
  flowExpired,
  FlowResponder,
  type LoginFlowEntity,
  ReturnToPolicy,
} from '../core/index.js';
import { type LoginOutcome } from './login-flow.service.js';
import { loginFlowJson } from './login-flow.wire.js';

/** Writes a login outcome in the form each client kind expects (the contract's response matrix). */
@Injectable()
export class LoginResponder {
  constructor(
    private readonly responder: FlowResponder,
    private readonly factory: FlowFactory,
    private readonly transport: SessionTransport,
    private readonly presenter: SessionPresenter,
    private readonly returnTo: ReturnToPolicy,
    private readonly config: ConfigService,
  ) {}

  /** Where a browser goes after signing in: the flow's return_to, else the configured defaults. */
  returnUrl(flowReturnTo: string | null | undefined, method?: string): string {
    if (flowReturnTo && this.returnTo.isAllowed(flowReturnTo))
      return new URL(flowReturnTo, this.returnTo.defaultReturnUrl()).href;
    return (
      (method &&
        this.config.get<string>(`selfservice.flows.login.after.${method}.default_browser_return_url`)) ||
      this.config.get<string>('selfservice.flows.login.after.default_browser_return_url') ||
      this.returnTo.defaultReturnUrl()
    );
  }

  private showFlow(res: Response, client: ClientKind, flow: LoginFlowEntity): void {
    if (client === 'browser') return this.responder.redirect(res, this.factory.uiUrl('login', flow.id));
    this.responder.json(res, 400, loginFlowJson(flow));
  }

  async respond(res: Response, client: ClientKind, outcome: LoginOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'flow':
        return this.showFlow(res, client, outcome.flow);
      case 'already_signed_in':
        if (client === 'browser') return this.responder.redirect(res, this.returnUrl(outcome.flow.returnTo));
        return this.showFlow(res, client, outcome.flow);
      case 'expired':
        if (client === 'browser')
          return this.responder.redirect(res, this.factory.uiUrl('login', outcome.replacement.id));
        throw flowExpired(outcome.flow, outcome.replacement, new Date());
      case 'signed_in': {
        const { session, token, flow } = outcome;
        const target = this.returnUrl(flow.returnTo, flow.active ?? undefined);
        if (client !== 'api' && token) this.transport.setCookie(res, token, session.expiresAt);
        if (client === 'browser') return this.responder.redirect(res, target);
        const sessionJson = this.presenter.present(session, { admin: false });
        if (client === 'spa') {
          return this.responder.json(res, 200, {
            session: sessionJson,
            continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: target }],
          });
        }
        return this.responder.json(res, 200, {
          ...(token ? { session_token: token } : {}),
          session: sessionJson,
          continue_with: null,
        });
      }
    }
  }

  apiFlowFromBrowser(res: Response, flow: LoginFlowEntity): void {
    addUiMessage(
      flow.ui,
      Text.reason(
        'The API flow was initiated from a browser (it sent an Origin header or cookies). Use the browser flow instead.',
      ),
    );
    this.responder.json(res, 400, loginFlowJson(flow));
  }

  /** Errors: a 400 during a submit becomes a flow message; the rest go out as errors. */
  async failed(
    req: Request,
    res: Response,
    flow: LoginFlowEntity | undefined,
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
