import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { ApiCookieHeader, SessionTransport } from '../../session/index.js';
import {
  ApiBrowserLocationChangeResponse,
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  type ClientKind,
  clientKind,
  CsrfTokens,
  flowIdParam,
  FlowFactory,
  FlowHttp,
  FlowResponder,
  flowExpired,
  type RecoveryFlowEntity,
  sessionAlreadyAvailable,
  submittedBody,
  wantsJson,
} from '../core/index.js';
import { flowReplaced } from '../verification/verification-flow.controller.js';
import { RecoveryFlowService, type RecoveryOutcome } from './recovery-flow.service.js';
import { RecoveryFlow } from './recovery-flow.response.dto.js';
import { recoveryFlowJson } from './recovery-flow.wire.js';

type Query = Record<string, string | undefined>;

/** HTTP shape of the recovery flow. */
@ApiTags('frontend')
@Controller('self-service/recovery')
export class RecoveryFlowController {
  constructor(
    private readonly flows: RecoveryFlowService,
    private readonly csrf: CsrfTokens,
    private readonly factory: FlowFactory,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly transport: SessionTransport,
  ) {}

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserRecoveryFlow', summary: 'Create Recovery Flow for Browsers' })
  @ApiReturnToQuery()
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the recovery UI with the new flow.')
  @ApiErrorResponses(400)
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      this.flows.assertEnabled();
      const { session } = await this.http.sessionFor('browser', req);
      if (session) {
        if (!wantsJson(req))
          return this.responder.redirect(res, this.http.returnUrl('recovery', query['return_to']));
        throw sessionAlreadyAvailable();
      }
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.flows.create({
        type: 'browser',
        requestUrl: this.http.requestUrl(req),
        returnTo: query['return_to'],
        csrfToken,
      });
      if (wantsJson(req)) return this.responder.json(res, 200, recoveryFlowJson(flow));
      this.responder.redirect(res, this.factory.uiUrl('recovery', flow.id));
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Get('api')
  @ApiOperation({ operationId: 'createNativeRecoveryFlow', summary: 'Create Recovery Flow for Native Apps' })
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow' })
  @ApiErrorResponses(400)
  async createApi(@Req() req: Request) {
    this.flows.assertEnabled();
    if ((await this.http.sessionFor('api', req)).session) throw sessionAlreadyAvailable();
    const flow = await this.flows.create({
      type: 'api',
      requestUrl: this.http.requestUrl(req),
      returnTo: undefined,
    });
    return recoveryFlowJson(flow);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getRecoveryFlow', summary: 'Get Recovery Flow' })
  @ApiFlowIdQuery('id', 'recovery')
  @ApiCookieHeader()
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow' })
  @ApiErrorResponses(404, 410)
  async get(@Query('id') id: string | undefined, @Req() req: Request) {
    const flow = await this.flows.get(flowIdParam(id));
    // Flows an admin created are bound to no browser.
    const bound =
      flow.internalContext?.['skip_csrf'] === true
        ? { ...flow, csrfTokenHash: '', type: 'api' as const }
        : flow;
    this.http.readable('recovery', bound, req, this.flows.isExpired(flow));
    return recoveryFlowJson(flow);
  }

  @Post()
  @ApiOperation({ operationId: 'updateRecoveryFlow', summary: 'Update Recovery Flow' })
  @ApiFlowIdQuery('flow', 'recovery')
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'The token of a recovery link, when the link is followed.',
    schema: { type: 'string' },
  })
  @ApiCookieHeader()
  @ApiFlowSubmissionBody('updateRecoveryFlowBody')
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow' })
  @ApiSeeOtherResponse('Browsers: back to the recovery UI, or once recovered to the settings UI.')
  @ApiResponse({ status: 400, type: RecoveryFlow, description: 'recoveryFlow, with messages' })
  @ApiBrowserLocationChangeResponse()
  @ApiErrorResponses(410)
  async submit(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(query, req, res, submittedBody(req));
  }

  /** The link in a recovery message (`?flow=&token=`). */
  @Get()
  @ApiExcludeEndpoint()
  async follow(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(query, req, res, {});
  }

  private async handle(
    query: Query,
    req: Request,
    res: Response,
    body: Record<string, unknown>,
  ): Promise<void> {
    let flow: RecoveryFlowEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(query['flow']));
      const fromLink = req.method === 'GET';
      if (fromLink && !query['token'])
        throw new ApiError(400, { reason: 'The recovery link is missing its token.' });
      const client =
        fromLink || flow.internalContext?.['skip_csrf'] === true
          ? clientKind(flow.type, req)
          : this.http.checkSubmission(flow, req, res, body, recoveryFlowJson);
      if (!client) return;
      const outcome = await this.flows.submit(flow, {
        body,
        token: query['token'],
        device: this.transport.deviceFrom(req),
        csrfToken: flow.type === 'browser' ? this.csrf.ensure(req, res) : undefined,
      });
      this.respond(res, client, outcome);
    } catch (error) {
      await this.http.failed('recovery', req, res, flow, error, (f) => recoveryFlowJson(f));
    }
  }

  private respond(res: Response, client: ClientKind, outcome: RecoveryOutcome): void {
    switch (outcome.kind) {
      case 'flow':
        if (client === 'browser')
          return this.responder.redirect(res, this.factory.uiUrl('recovery', outcome.flow.id));
        return this.responder.json(res, outcome.status, recoveryFlowJson(outcome.flow));
      case 'expired':
      case 'replaced':
        if (client === 'browser')
          return this.responder.redirect(res, this.factory.uiUrl('recovery', outcome.replacement.id));
        if (outcome.kind === 'expired') throw flowExpired(outcome.flow, outcome.replacement, new Date());
        throw flowReplaced(outcome.replacement.id);
      case 'recovered': {
        const settingsUrl = this.factory.uiUrl('settings', outcome.settings.id);
        if (client !== 'api') this.transport.setCookie(res, outcome.token, outcome.session.expiresAt);
        if (client === 'browser') return this.responder.redirect(res, settingsUrl);
        if (client === 'spa') {
          return this.responder.json(res, 422, {
            error: {
              id: 'browser_location_change_required',
              code: 422,
              status: 'Unprocessable Entity',
              reason: `In order to complete this flow please redirect the browser to: ${settingsUrl}`,
              message: 'browser location change required',
            },
            redirect_browser_to: settingsUrl,
          });
        }
        return this.responder.json(
          res,
          200,
          recoveryFlowJson(outcome.flow, [
            { action: 'set_ory_session_token', ory_session_token: outcome.token },
            { action: 'show_settings_ui', flow: { id: outcome.settings.id, url: settingsUrl } },
          ]),
        );
      }
    }
  }
}
