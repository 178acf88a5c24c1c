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
import { ApiErrorResponses, ApiError } from '../../errors/index.js';
import { ApiCookieHeader, SessionTransport } from '../../session/index.js';
import {
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  clientKind,
  CsrfTokens,
  flowIdParam,
  FlowFactory,
  FlowHttp,
  FlowResponder,
  flowExpired,
  submittedBody,
  type VerificationFlowEntity,
  wantsJson,
} from '../core/index.js';
import { VerificationFlowService, type VerificationOutcome } from './verification-flow.service.js';
import { VerificationFlow } from './verification-flow.response.dto.js';
import { verificationFlowJson } from './verification-flow.wire.js';

type Query = Record<string, string | undefined>;

const ApiTokenQuery = () =>
  ApiQuery({
    name: 'token',
    required: false,
    description: 'The token of a verification link, when the link is followed.',
    schema: { type: 'string' },
  });

/** HTTP shape of the verification flow. */
@ApiTags('frontend')
@Controller('self-service/verification')
export class VerificationFlowController {
  constructor(
    private readonly flows: VerificationFlowService,
    private readonly csrf: CsrfTokens,
    private readonly factory: FlowFactory,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly transport: SessionTransport,
  ) {}

  @Get('browser')
  @ApiOperation({
    operationId: 'createBrowserVerificationFlow',
    summary: 'Create Verification Flow for Browser Clients',
  })
  @ApiReturnToQuery()
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the verification UI with the new flow.')
  @ApiErrorResponses()
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      this.flows.assertEnabled();
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.flows.create({
        type: 'browser',
        requestUrl: this.http.requestUrl(req),
        returnTo: query['return_to'],
        csrfToken,
      });
      if (wantsJson(req)) return this.responder.json(res, 200, verificationFlowJson(flow));
      this.responder.redirect(res, this.factory.uiUrl('verification', flow.id));
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Get('api')
  @ApiOperation({
    operationId: 'createNativeVerificationFlow',
    summary: 'Create Verification Flow for Native Apps',
  })
  @ApiReturnToQuery()
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow' })
  @ApiErrorResponses(400)
  async createApi(@Query() query: Query, @Req() req: Request) {
    const flow = await this.flows.create({
      type: 'api',
      requestUrl: this.http.requestUrl(req),
      returnTo: query['return_to'],
    });
    return verificationFlowJson(flow);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getVerificationFlow', summary: 'Get Verification Flow' })
  @ApiFlowIdQuery('id', 'verification')
  @ApiCookieHeader()
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow' })
  @ApiErrorResponses(403, 404)
  async get(@Query('id') id: string | undefined, @Req() req: Request) {
    const flow = await this.flows.get(flowIdParam(id));
    // Flows the server started (after registration) are bound to no browser.
    if (flow.internalContext?.['skip_csrf'] === true) {
      return verificationFlowJson(
        this.http.readable(
          'verification',
          { ...flow, csrfTokenHash: '', type: 'api' },
          req,
          this.flows.isExpired(flow),
        ) && flow,
      );
    }
    return verificationFlowJson(this.http.readable('verification', flow, req, this.flows.isExpired(flow)));
  }

  @Post()
  @ApiOperation({ operationId: 'updateVerificationFlow', summary: 'Complete Verification Flow' })
  @ApiFlowIdQuery('flow', 'verification')
  @ApiTokenQuery()
  @ApiCookieHeader()
  @ApiFlowSubmissionBody('updateVerificationFlowBody')
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow' })
  @ApiSeeOtherResponse('Browsers: back to the verification UI.')
  @ApiResponse({ status: 400, type: VerificationFlow, description: 'verificationFlow, with messages' })
  @ApiErrorResponses(410)
  async submit(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(query, req, res, submittedBody(req));
  }

  /** The link in a message: `token` completes a link flow, `code` fills the code into the form. */
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
    let flow: VerificationFlowEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(query['flow']));
      const fromLink = req.method === 'GET';
      if (fromLink && !query['token'] && !query['code'])
        throw new ApiError(400, { reason: 'The verification link is missing its token or code.' });
      const client =
        fromLink || flow.internalContext?.['skip_csrf'] === true
          ? clientKind(flow.type, req)
          : this.http.checkSubmission(flow, req, res, body, verificationFlowJson);
      if (!client) return;
      if (fromLink && query['code'] && !query['token']) {
        const prefilled = await this.flows.prefill(flow, query['code']);
        if (client === 'browser') {
          return this.responder.redirect(res, this.factory.uiUrl('verification', prefilled.id));
        }
        return this.responder.json(res, 200, verificationFlowJson(prefilled));
      }
      const outcome = await this.flows.submit(flow, {
        body,
        token: query['token'],
        ip: this.transport.deviceFrom(req).ipAddress,
      });
      this.respond(res, client, outcome);
    } catch (error) {
      await this.http.failed('verification', req, res, flow, error, verificationFlowJson);
    }
  }

  private respond(res: Response, client: ReturnType<typeof clientKind>, outcome: VerificationOutcome): void {
    if (outcome.kind === 'flow') {
      if (client === 'browser')
        return this.responder.redirect(res, this.factory.uiUrl('verification', outcome.flow.id));
      return this.responder.json(res, outcome.status, verificationFlowJson(outcome.flow));
    }
    if (client === 'browser')
      return this.responder.redirect(res, this.factory.uiUrl('verification', outcome.replacement.id));
    if (outcome.kind === 'expired') throw flowExpired(outcome.flow, outcome.replacement, new Date());
    throw flowReplaced(outcome.replacement.id);
  }
}

/** 410 for a retry of a completed flow: a fresh flow carries the message. */
export function flowReplaced(useFlowId: string): ApiError {
  return new ApiError(410, {
    id: 'self_service_flow_replaced',
    reason: 'The flow has been replaced by a new flow. Use the new flow instead.',
    message: 'self-service flow replaced',
    extra: { use_flow_id: useFlowId },
  });
}
