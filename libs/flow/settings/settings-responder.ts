import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type IdentityEntity, IdentityPresenter } from '../../identity/index.js';
import {
  browserLocationChangeRequired,
  type ClientKind,
  flowExpired,
  FlowHttp,
  FlowResponder,
  type SettingsFlowEntity,
  wantsJson,
} from '../core/index.js';
import { ContinuityCookie } from './continuity-cookie.js';
import { redirectOf } from './settings-errors.js';
import { SettingsFlowService, type SettingsOutcome } from './settings-flow.service.js';
import { type ContinueWith, settingsFlowJson } from './settings-flow.wire.js';

/** Writes a settings outcome per client kind (the contract's response matrix). */
@Injectable()
export class SettingsResponder {
  constructor(
    private readonly flows: SettingsFlowService,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly identities: IdentityPresenter,
    private readonly continuity: ContinuityCookie,
  ) {}

  /** The flow as the contract's JSON, with the identity it belongs to. */
  json(flow: SettingsFlowEntity, identity: IdentityEntity, continueWith?: ContinueWith[]) {
    return settingsFlowJson(flow, this.identities.present(identity, { admin: false }), continueWith);
  }

  async respond(res: Response, client: ClientKind, outcome: SettingsOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'flow':
        return this.http.showFlow('settings', res, client, outcome.flow, (f) =>
          this.json(f, outcome.identity),
        );
      case 'continue':
        if (client === 'browser') return this.responder.redirect(res, this.flows.uiUrl(outcome.flow.id));
        return this.responder.json(res, 200, this.json(outcome.flow, outcome.identity));
      case 'redirect': {
        const { url, continuity } = outcome.redirect;
        if (continuity)
          this.continuity.set(res, continuity.flowId, continuity.nonce, continuity.expiresAt, new Date());
        if (client === 'browser') return this.responder.redirect(res, url);
        throw browserLocationChangeRequired(url);
      }
      case 'refresh_required':
        this.continuity.set(res, outcome.flow.id, outcome.held.nonce, outcome.held.expiresAt, new Date());
        throw outcome.error;
      case 'expired':
        if (client === 'browser')
          return this.responder.redirect(res, this.flows.uiUrl(outcome.replacement.id));
        throw flowExpired(outcome.flow, outcome.replacement, new Date());
      case 'updated': {
        const { flow, identity, continueWith, verificationUi } = outcome;
        const target = this.flows.successUrl(flow);
        if (client === 'browser' && verificationUi) return this.responder.redirect(res, verificationUi);
        if (client === 'browser') return this.responder.redirect(res, target);
        const next: ContinueWith[] =
          client === 'spa'
            ? [...continueWith, { action: 'redirect_browser_to', redirect_browser_to: target }]
            : continueWith;
        return this.responder.json(res, 200, this.json(flow, identity, next));
      }
    }
  }

  /**
   * A browser that must sign in again (refresh or second factor) is sent to the login flow;
   * JSON clients get the 403 with `redirect_browser_to`; other errors as every flow answers them.
   */
  async error(req: Request, res: Response, error: unknown, flowType?: 'api' | 'browser'): Promise<void> {
    const target = redirectOf(error);
    if (target && flowType !== 'api' && !wantsJson(req)) return this.responder.redirect(res, target);
    await this.responder.error(req, res, error, flowType);
  }
}
