import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { ApiCookieHeader } from '../../session/index.js';
import { ApiLinkTokenQuery, CodeFlowController } from '../codes/code-flow.controller.js';
import { type CodeSubmission } from '../codes/code-flow.service.js';
import {
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  type ClientKind,
  submittedBody,
  type VerificationFlowEntity,
} from '../core/index.js';
import { VerificationFlowService } from './verification-flow.service.js';
import { VerificationFlow } from './verification-flow.response.dto.js';

type Query = Record<string, string | undefined>;

/** HTTP shape of the verification flow. */
@ApiTags('frontend')
@Controller('self-service/verification')
export class VerificationFlowController extends CodeFlowController<VerificationFlowEntity> {
  constructor(private readonly flows: VerificationFlowService) {
    super(flows);
  }

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
    await this.createBrowserFlow(query, req, res);
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
    return this.createNativeFlow(req, query['return_to']);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getVerificationFlow', summary: 'Get Verification Flow' })
  @ApiFlowIdQuery('id', 'verification')
  @ApiCookieHeader()
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow' })
  @ApiErrorResponses(403, 404)
  async get(
    @Query('id') id: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.getFlow(id, req, res);
  }

  @Post()
  @ApiOperation({ operationId: 'updateVerificationFlow', summary: 'Complete Verification Flow' })
  @ApiFlowIdQuery('flow', 'verification')
  @ApiLinkTokenQuery('verification')
  @ApiCookieHeader()
  @ApiFlowSubmissionBody('updateVerificationFlowBody')
  @ApiOkResponse({ type: VerificationFlow, description: 'verificationFlow' })
  @ApiSeeOtherResponse('Browsers: back to the verification UI.')
  @ApiResponse({ status: 400, type: VerificationFlow, description: 'verificationFlow, with messages' })
  @ApiErrorResponses(410)
  async submit(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.handle(query, req, res, submittedBody(req));
  }

  protected async followLink(
    flow: VerificationFlowEntity,
    query: Query,
    client: ClientKind,
    res: Response,
  ): Promise<boolean> {
    if (query['token']) return false;
    if (!query['code'])
      throw new ApiError(400, { reason: 'The verification link is missing its token or code.' });
    this.show(res, client, await this.flows.prefill(flow, query['code']), 200);
    return true;
  }

  protected submission(
    _flow: VerificationFlowEntity,
    query: Query,
    req: Request,
    _res: Response,
    body: Record<string, unknown>,
  ): CodeSubmission {
    return { body, token: query['token'], device: this.transport.deviceFrom(req) };
  }

  /** Verification has no outcome beyond the flow itself. */
  protected respondDone(_res: Response, _client: ClientKind, outcome: never): never {
    return outcome;
  }
}
