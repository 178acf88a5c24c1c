import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { ApiCookieHeader } from '../../session/index.js';
import { ApiLinkTokenQuery, CodeFlowController } from '../codes/code-flow.controller.js';
import { codeFlowJson } from '../codes/code-flow.wire.js';
import {
  ApiBrowserLocationChangeResponse,
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  type ClientKind,
  FlowFactory,
  type RecoveryFlowEntity,
  submittedBody,
} from '../core/index.js';
import { type Recovered, RecoveryFlowService, type SubmitRecovery } from './recovery-flow.service.js';
import { RecoveryFlow } from './recovery-flow.response.dto.js';

type Query = Record<string, string | undefined>;

/** HTTP shape of the recovery flow. */
@ApiTags('frontend')
@Controller('self-service/recovery')
export class RecoveryFlowController extends CodeFlowController<
  RecoveryFlowEntity,
  Recovered,
  SubmitRecovery
> {
  protected override readonly signedOutOnly = true;

  constructor(
    flows: RecoveryFlowService,
    private readonly factory: FlowFactory,
  ) {
    super(flows);
  }

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserRecoveryFlow', summary: 'Create Recovery Flow for Browsers' })
  @ApiReturnToQuery()
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the recovery UI with the new flow.')
  @ApiErrorResponses(400)
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.createBrowserFlow(query, req, res);
  }

  @Get('api')
  @ApiOperation({ operationId: 'createNativeRecoveryFlow', summary: 'Create Recovery Flow for Native Apps' })
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow' })
  @ApiErrorResponses(400)
  async createApi(@Req() req: Request) {
    return this.createNativeFlow(req, undefined);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getRecoveryFlow', summary: 'Get Recovery Flow' })
  @ApiFlowIdQuery('id', 'recovery')
  @ApiCookieHeader()
  @ApiOkResponse({ type: RecoveryFlow, description: 'recoveryFlow' })
  @ApiErrorResponses(404, 410)
  async get(
    @Query('id') id: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.getFlow(id, req, res);
  }

  @Post()
  @ApiOperation({ operationId: 'updateRecoveryFlow', summary: 'Update Recovery Flow' })
  @ApiFlowIdQuery('flow', 'recovery')
  @ApiLinkTokenQuery('recovery')
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

  protected async followLink(_flow: RecoveryFlowEntity, query: Query): Promise<boolean> {
    if (!query['token']) throw new ApiError(400, { reason: 'The recovery link is missing its token.' });
    return false;
  }

  protected submission(
    flow: RecoveryFlowEntity,
    query: Query,
    req: Request,
    res: Response,
    body: Record<string, unknown>,
  ): SubmitRecovery {
    return {
      body,
      token: query['token'],
      device: this.transport.deviceFrom(req),
      csrfToken: flow.type === 'browser' ? this.csrf.ensure(req, res) : undefined,
    };
  }

  /**
   * Signed in: browsers go to the settings UI (or straight to `return_to` when the flow was started
   * with `skip_settings`), SPAs are told to go there, apps get the token.
   */
  protected respondDone(res: Response, client: ClientKind, outcome: Recovered): void {
    const settingsUrl = this.factory.uiUrl('settings', outcome.settings.id);
    if (client !== 'api') this.transport.setCookie(res, outcome.token, outcome.session.expiresAt);
    const skip = outcome.flow.internalContext?.['skip_settings'] === true && outcome.flow.returnTo;
    const next = skip ? outcome.flow.returnTo! : settingsUrl;
    if (client === 'browser') return this.responder.redirect(res, next);
    if (client === 'spa') {
      return this.responder.json(res, 422, {
        error: {
          id: 'browser_location_change_required',
          code: 422,
          status: 'Unprocessable Entity',
          reason: `In order to complete this flow please redirect the browser to: ${next}`,
          message: 'browser location change required',
        },
        redirect_browser_to: next,
      });
    }
    return this.responder.json(
      res,
      200,
      codeFlowJson(outcome.flow, [
        { action: 'set_ory_session_token', ory_session_token: outcome.token },
        { action: 'show_settings_ui', flow: { id: outcome.settings.id, url: settingsUrl } },
      ]),
    );
  }
}
