import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Response } from 'express';
import { IdentityPresenter } from '../../identity/index.js';
import { SessionPresenter, SessionTransport } from '../../session/index.js';
import {
  browserLocationChangeRequired,
  type ClientKind,
  FlowFactory,
  flowExpired,
  FlowHttp,
  FlowResponder,
} from '../core/index.js';
import { ContinuityCookie } from '../settings/continuity-cookie.js';
import { LoginResponder } from '../login/login-responder.js';
import { type RegistrationOutcome } from './registration-flow.service.js';
import { registrationFlowJson } from './registration-flow.wire.js';

/** Writes a registration outcome per client kind (the contract's response matrix). */
@Injectable()
export class RegistrationResponder {
  constructor(
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly factory: FlowFactory,
    private readonly transport: SessionTransport,
    private readonly sessions: SessionPresenter,
    private readonly identities: IdentityPresenter,
    private readonly continuity: ContinuityCookie,
    private readonly modules: ModuleRef,
  ) {}

  async respond(res: Response, client: ClientKind, outcome: RegistrationOutcome): Promise<void> {
    if (outcome.kind === 'flow')
      return this.http.showFlow('registration', res, client, outcome.flow, registrationFlowJson);
    if (outcome.kind === 'redirect') {
      const { url, continuity } = outcome.redirect;
      if (continuity)
        this.continuity.set(res, continuity.flowId, continuity.nonce, continuity.expiresAt, new Date());
      if (client === 'browser') return this.responder.redirect(res, url);
      throw browserLocationChangeRequired(url);
    }
    if (outcome.kind === 'converted')
      return this.modules.get(LoginResponder).respond(res, client, outcome.outcome);
    if (outcome.kind === 'expired') {
      if (client === 'browser')
        return this.responder.redirect(res, this.factory.uiUrl('registration', outcome.replacement.id));
      throw flowExpired(outcome.flow, outcome.replacement, new Date());
    }
    const { flow, identity, session, token } = outcome;
    const target = this.http.returnUrl('registration', flow.returnTo, flow.active ?? undefined);
    if (client !== 'api' && session && token) this.transport.setCookie(res, token, session.expiresAt);
    const verifications = outcome.verifications.map((started) => ({
      action: 'show_verification_ui',
      flow: {
        id: started.flowId,
        verifiable_address: started.address,
        url: this.factory.uiUrl('verification', started.flowId),
      },
    }));
    if (client === 'browser') {
      const first = outcome.verifications[0];
      if (outcome.showVerificationUi && first)
        return this.responder.redirect(res, this.factory.uiUrl('verification', first.flowId));
      return this.responder.redirect(res, target);
    }
    const body = {
      identity: this.identities.present(identity, { admin: false }),
      ...(session ? { session: this.sessions.present(session, { admin: false }) } : {}),
    };
    if (client === 'spa') {
      return this.responder.json(res, 200, {
        ...body,
        continue_with: [...verifications, { action: 'redirect_browser_to', redirect_browser_to: target }],
      });
    }
    return this.responder.json(res, 200, {
      ...body,
      ...(token ? { session_token: token } : {}),
      continue_with: [
        ...(token ? [{ action: 'set_ory_session_token', ory_session_token: token }] : []),
        ...verifications,
      ],
    });
  }
}
