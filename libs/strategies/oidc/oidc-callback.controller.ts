import { All, Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../errors/index.js';
import {
  ContinuityCookie,
  FlowFactory,
  FlowResponder,
  LoginResponder,
  RegistrationResponder,
  SettingsResponder,
  submittedBody,
  withQuery,
} from '../../flow/index.js';
import { SessionService, SessionTransport } from '../../session/index.js';
import { OidcCallback } from './oidc-callback.service.js';
import { OidcProviders } from './oidc-providers.js';

/** Query values as single strings (a repeated parameter keeps its first value). */
function queryOf(req: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URL(req.originalUrl, 'http://x').searchParams) query[key] ??= value;
  return query;
}

/**
 * The provider's redirect target (not in the contract, as in Kratos): HTTP shape only, the
 * callback service does the work. No CSRF token (the provider cannot send one): the sealed state
 * and the continuity cookie bind the answer to the browser that started.
 */
@ApiExcludeController()
@Controller('self-service/methods/oidc')
export class OidcCallbackController {
  constructor(
    private readonly providers: OidcProviders,
    private readonly callbacks: OidcCallback,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly continuity: ContinuityCookie,
    private readonly responder: FlowResponder,
    private readonly factory: FlowFactory,
    private readonly logins: LoginResponder,
    private readonly registrations: RegistrationResponder,
    private readonly settings: SettingsResponder,
  ) {}

  @Get('callback')
  callbackWithoutProvider(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(undefined, req, res);
  }

  @Get('callback/:provider')
  callback(@Param('provider') provider: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(provider, req, res);
  }

  /** form_post providers (Apple): the same callback as a GET, with the form fields as query. */
  @All('callback/:provider')
  formPost(@Param('provider') provider: string, @Req() req: Request, @Res() res: Response): void {
    if (req.method !== 'POST' || !this.providers.enabled) throw new ApiError(404);
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries(submittedBody(req))) {
      if (typeof value === 'string') fields[key] = value;
    }
    const target = this.providers.redirectUri(this.providers.get(provider));
    this.responder.found(res, withQuery(target, { ...queryOf(req), ...fields }));
  }

  private async handle(provider: string | undefined, req: Request, res: Response): Promise<void> {
    try {
      if (!this.providers.enabled) throw new ApiError(404);
      const outcome = await this.callbacks.handle({
        ...(provider !== undefined ? { providerInUrl: provider } : {}),
        query: queryOf(req),
        nonceFor: (flowId) => this.continuity.nonceFor(req, flowId),
        session: await this.sessions.findActive(this.transport.cookieTokenFrom(req)),
        device: this.transport.deviceFrom(req),
      });
      switch (outcome.kind) {
        case 'error':
          return await this.responder.error(req, res, outcome.error, 'browser');
        case 'redirect':
          return this.responder.redirect(res, outcome.url);
        case 'flow':
          return this.showFlow(res, outcome.flowKind, outcome.flow.id);
        case 'login':
          return await this.logins.respond(res, 'browser', outcome.outcome);
        case 'settings':
          return await this.settings.respond(res, 'browser', outcome.outcome);
        case 'registration':
          // Kratos sends a browser back to the registration UI with a 302 after a flow error.
          if (outcome.outcome.kind === 'flow')
            return this.showFlow(res, 'registration', outcome.outcome.flow.id);
          return await this.registrations.respond(res, 'browser', outcome.outcome);
      }
    } catch (error) {
      await this.responder.error(req, res, error, 'browser');
    }
  }

  private showFlow(res: Response, kind: 'login' | 'registration' | 'settings', flowId: string): void {
    const url = this.factory.uiUrl(kind, flowId);
    if (kind === 'registration') return this.responder.found(res, url);
    this.responder.redirect(res, url);
  }
}
