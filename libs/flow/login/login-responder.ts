import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { SessionPresenter, SessionTransport } from '../../session/index.js';
import { ContinuityCookie } from '../settings/continuity-cookie.js';
import { RegistrationResponder } from '../registration/registration-responder.js';
import {
  browserLocationChangeRequired,
  type ClientKind,
  FlowFactory,
  flowExpired,
  FlowHttp,
  FlowResponder,
  type LoginFlowEntity,
  withQuery,
} from '../core/index.js';
import { type LoginOutcome } from './login-flow.service.js';
import { loginFlowJson } from './login-flow.wire.js';

/** Writes a login outcome in the form each client kind expects (the contract's response matrix). */
@Injectable()
export class LoginResponder {
  constructor(
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly factory: FlowFactory,
    private readonly transport: SessionTransport,
    private readonly presenter: SessionPresenter,
    private readonly config: ConfigService,
    private readonly continuity: ContinuityCookie,
    private readonly modules: ModuleRef,
  ) {}

  /** The aal2 login a browser continues with after a first factor, keeping where it was going. */
  private stepUpUrl(flow: LoginFlowEntity): string {
    return withQuery(this.config.url('public', 'self-service/login/browser'), {
      aal: 'aal2',
      ...(flow.returnTo ? { return_to: flow.returnTo } : {}),
    });
  }

  async respond(res: Response, client: ClientKind, outcome: LoginOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'flow':
        return this.http.showFlow('login', res, client, outcome.flow, loginFlowJson);
      case 'already_signed_in':
        if (client === 'browser')
          return this.responder.redirect(res, this.http.returnUrl('login', outcome.flow.returnTo));
        return this.http.showFlow('login', res, client, outcome.flow, loginFlowJson);
      case 'redirect': {
        const { url, continuity } = outcome.redirect;
        if (continuity)
          this.continuity.set(res, continuity.flowId, continuity.nonce, continuity.expiresAt, new Date());
        if (client === 'browser') return this.responder.redirect(res, url);
        throw browserLocationChangeRequired(url);
      }
      case 'converted':
        return this.modules.get(RegistrationResponder).respond(res, client, outcome.outcome);
      case 'expired':
        if (client === 'browser')
          return this.responder.redirect(res, this.factory.uiUrl('login', outcome.replacement.id));
        throw flowExpired(outcome.flow, outcome.replacement, new Date());
      case 'signed_in': {
        const { session, token, flow } = outcome;
        // Browsers and SPAs are sent on; an app is answered the session alone.
        const target = () => this.http.returnUrl('login', flow.returnTo, flow.active ?? undefined);
        if (client !== 'api' && token) this.transport.setCookie(res, token, session.expiresAt);
        if (outcome.secondFactorRequired && client !== 'api') {
          const stepUp = this.stepUpUrl(flow);
          if (client === 'browser') return this.responder.redirect(res, stepUp);
          throw browserLocationChangeRequired(stepUp);
        }
        if (client === 'browser') return this.responder.redirect(res, target());
        const sessionJson = this.presenter.present(session, { admin: false });
        // The app is to run an aal2 login with the token; until then the identity is not shown.
        if (outcome.secondFactorRequired) delete (sessionJson as { identity?: unknown }).identity;
        if (client === 'spa') {
          return this.responder.json(res, 200, {
            session: sessionJson,
            continue_with: [{ action: 'redirect_browser_to', redirect_browser_to: target() }],
          });
        }
        return this.responder.json(res, 200, {
          ...(token ? { session_token: token } : {}),
          session: sessionJson,
          continue_with: [],
        });
      }
    }
  }
}
