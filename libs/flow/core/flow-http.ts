import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { toApiError } from '../../errors/index.js';
import { type SessionEntity, SessionService, SessionTransport } from '../../session/index.js';
import { Text } from '../../text/index.js';
import { type ClientKind, clientKind } from './client-kind.js';
import { CsrfTokens } from './csrf.js';
import { type FlowKind, FlowFactory } from './flow-factory.js';
import { browserOnApiFlow, expiredOnRead } from './flow-expiry.js';
import { FlowResponder } from './flow-responder.js';
import { type SelfServiceFlow } from './flow.entity.js';
import { ReturnToPolicy } from './return-to.js';
import { addUiMessage } from './ui.js';

/** How a flow kind renders itself as the contract's JSON. */
export type FlowJson<T extends SelfServiceFlow> = (flow: T) => unknown;

/**
 * The HTTP steps every flow shares: reading a flow, the checks before a submission, showing the
 * flow again, where browsers go afterwards, and how errors during a submission are answered.
 */
@Injectable()
export class FlowHttp {
  constructor(
    private readonly csrf: CsrfTokens,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly factory: FlowFactory,
    private readonly responder: FlowResponder,
    private readonly returnTo: ReturnToPolicy,
    private readonly config: ConfigService,
  ) {}

  requestUrl(req: Request): string {
    return this.config.url('public', req.originalUrl.replace(/^\//, ''));
  }

  /**
   * `GET …/flows?id=`: browser flows only for the browser they belong to, with a token masked for
   * it; 410 once expired.
   */
  readable<T extends SelfServiceFlow>(
    kind: FlowKind,
    flow: T,
    req: Request,
    expired: boolean,
    boundNow?: string,
  ): T {
    // `boundNow`: the token of the browser the caller just bound the flow to (and gave the cookie).
    if (flow.type === 'browser')
      this.csrf.present(flow, boundNow ?? this.csrf.verifyCookieOnly(req, flow.csrfTokenHash));
    if (expired) {
      const restart = new URL(this.config.url('public', `self-service/${kind}/${flow.type}`));
      if (flow.returnTo && flow.type === 'browser') restart.searchParams.set('return_to', flow.returnTo);
      throw expiredOnRead(flow, restart.href);
    }
    return flow;
  }

  /** The session a flow request carries: the token for API flows, the cookie for browser flows. */
  async sessionFor(
    type: 'api' | 'browser',
    req: Request,
  ): Promise<{ session: SessionEntity | null; token?: string }> {
    const token =
      (type === 'api' ? req.header('x-session-token') : this.transport.cookieTokenFrom(req)) ?? undefined;
    return { session: await this.sessions.findActive(token), token };
  }

  /**
   * CSRF for browser flows; for API flows, refuses browsers (an Origin header or cookies), which
   * must use browser flows. Returns null when it already answered.
   */
  checkSubmission<T extends SelfServiceFlow>(
    flow: T,
    req: Request,
    res: Response,
    body: Record<string, unknown>,
    json: FlowJson<T>,
  ): ClientKind | null {
    if (flow.type === 'browser') {
      this.csrf.present(flow, this.csrf.verify(req, flow.csrfTokenHash, body['csrf_token']));
    } else if (browserOnApiFlow(req.header('origin'), req.header('cookie'))) {
      addUiMessage(
        flow.ui,
        Text.reason(
          'The API flow was initiated from a browser (it sent an Origin header or cookies). Use the browser flow instead.',
        ),
      );
      this.responder.json(res, 400, json(flow));
      return null;
    }
    return clientKind(flow.type, req);
  }

  /** The flow again, with its messages: JSON 400 for apps and SPAs, 303 to the UI for browsers. */
  showFlow<T extends SelfServiceFlow>(
    kind: FlowKind,
    res: Response,
    client: ClientKind,
    flow: T,
    json: FlowJson<T>,
  ): void {
    if (client === 'browser') return this.responder.redirect(res, this.factory.uiUrl(kind, flow.id));
    this.responder.json(res, 400, json(flow));
  }

  /** Where a browser goes after a flow: its return_to, else the method's, the flow's, the global default. */
  returnUrl(kind: FlowKind, flowReturnTo: string | null | undefined, method?: string): string {
    if (flowReturnTo && this.returnTo.isAllowed(flowReturnTo)) {
      return new URL(flowReturnTo, this.returnTo.defaultReturnUrl()).href;
    }
    return (
      (method &&
        this.config.get<string>(`selfservice.flows.${kind}.after.${method}.default_browser_return_url`)) ||
      this.config.get<string>(`selfservice.flows.${kind}.after.default_browser_return_url`) ||
      this.returnTo.defaultReturnUrl()
    );
  }

  /** A plain 400 during a submission becomes a message on the flow; anything else is an error. */
  async failed<T extends SelfServiceFlow>(
    kind: FlowKind,
    req: Request,
    res: Response,
    flow: T | undefined,
    error: unknown,
    json: FlowJson<T>,
  ): Promise<void> {
    const apiError = toApiError(error);
    if (flow && apiError?.code === 400 && !apiError.init.id) {
      addUiMessage(flow.ui, Text.reason(apiError.init.reason ?? apiError.message));
      return this.showFlow(kind, res, clientKind(flow.type, req), flow, json);
    }
    await this.responder.error(req, res, error, flow?.type);
  }
}
