import { applyDecorators, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../../errors/index.js';
import {
  ApiCookieHeader,
  ApiSessionHeaders,
  ApiSessionTokenHeader,
  SessionService,
  SessionTokenExchanges,
  SessionTransport,
} from '../../session/index.js';
import {
  ApiBrowserLocationChangeResponse,
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiIgnoredQuery,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  ApiSessionTokenExchangeQuery,
  CsrfTokens,
  flowIdParam,
  FlowFactory,
  FlowHttp,
  FlowResponder,
  type RegistrationFlowEntity,
  submittedBody,
  traitFieldKinds,
  wantsJson,
} from '../core/index.js';
import { RegistrationFlowService } from './registration-flow.service.js';
import { RegistrationFlow, SuccessfulNativeRegistration } from './registration-flow.response.dto.js';
import { registrationFlowJson } from './registration-flow.wire.js';
import { RegistrationResponder } from './registration-responder.js';

type Query = Record<string, string | undefined>;

const truthy = (value: string | undefined) => value === 'true' || value === '1';

/** Documents the query both ways of starting a registration flow read, and the contract's other ones. */
const ApiCreateRegistrationFlowQuery = () =>
  applyDecorators(
    ApiReturnToQuery(),
    ApiQuery({
      name: 'identity_schema',
      required: false,
      description: 'The ID of the identity schema to register with; the default schema when left out.',
      schema: { type: 'string' },
    }),
    ApiIgnoredQuery('organization', 'string', 'organizations'),
  );

/** HTTP shape of the registration flow. */
@ApiTags('frontend')
@Controller('self-service/registration')
export class RegistrationFlowController {
  constructor(
    private readonly flows: RegistrationFlowService,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly exchanges: SessionTokenExchanges,
    private readonly csrf: CsrfTokens,
    private readonly factory: FlowFactory,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly registration: RegistrationResponder,
  ) {}

  @Get('browser')
  @ApiOperation({
    operationId: 'createBrowserRegistrationFlow',
    summary: 'Create Registration Flow for Browsers',
  })
  @ApiCreateRegistrationFlowQuery()
  @ApiIgnoredQuery('login_challenge', 'string', 'OAuth2 login challenges')
  @ApiIgnoredQuery('after_verification_return_to', 'string', 'verification flows')
  @ApiCookieHeader()
  @ApiOkResponse({ type: RegistrationFlow, description: 'registrationFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the registration UI with the new flow, or to the return URL when signed in.')
  @ApiErrorResponses()
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const session = await this.sessions.findActive(this.transport.cookieTokenFrom(req));
      if (session && !wantsJson(req))
        return this.responder.redirect(res, this.http.returnUrl('registration', query['return_to']));
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.flows.create({
        type: 'browser',
        requestUrl: this.http.requestUrl(req),
        returnTo: query['return_to'],
        identitySchema: query['identity_schema'],
        session,
        csrfToken,
      });
      if (wantsJson(req)) return this.responder.json(res, 200, registrationFlowJson(flow));
      this.responder.redirect(res, this.factory.uiUrl('registration', flow.id));
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Get('api')
  @ApiOperation({
    operationId: 'createNativeRegistrationFlow',
    summary: 'Create Registration Flow for Native Apps',
  })
  @ApiCreateRegistrationFlowQuery()
  @ApiSessionTokenExchangeQuery()
  @ApiSessionTokenHeader()
  @ApiOkResponse({ type: RegistrationFlow, description: 'registrationFlow' })
  @ApiErrorResponses(400)
  async createApi(@Query() query: Query, @Req() req: Request) {
    const flow = await this.flows.create({
      type: 'api',
      requestUrl: this.http.requestUrl(req),
      returnTo: query['return_to'],
      identitySchema: query['identity_schema'],
      session: (await this.http.sessionFor('api', req)).session,
    });
    if (!truthy(query['return_session_token_exchange_code'])) return registrationFlowJson(flow);
    const code = await this.exchanges.start(flow.id, flow.expiresAt);
    return { ...registrationFlowJson(flow), session_token_exchange_code: code };
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getRegistrationFlow', summary: 'Get Registration Flow' })
  @ApiFlowIdQuery('id', 'registration')
  @ApiCookieHeader()
  @ApiOkResponse({ type: RegistrationFlow, description: 'registrationFlow' })
  @ApiErrorResponses(403, 404, 410)
  async get(@Query('id') id: string | undefined, @Req() req: Request) {
    this.flows.assertEnabled();
    const flow = await this.flows.get(flowIdParam(id));
    return registrationFlowJson(this.http.readable('registration', flow, req, this.flows.isExpired(flow)));
  }

  @Post()
  @ApiOperation({ operationId: 'updateRegistrationFlow', summary: 'Update Registration Flow' })
  @ApiFlowIdQuery('flow', 'registration')
  @ApiSessionHeaders()
  @ApiFlowSubmissionBody('updateRegistrationFlowBody')
  @ApiOkResponse({ type: SuccessfulNativeRegistration, description: 'successfulNativeRegistration' })
  @ApiSeeOtherResponse('Browsers: to the return URL once registered, else back to the registration UI.')
  @ApiResponse({
    status: 400,
    type: RegistrationFlow,
    description: 'registrationFlow, with messages on what to correct',
  })
  @ApiBrowserLocationChangeResponse()
  @ApiErrorResponses(410)
  async submit(
    @Query('flow') id: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let flow: RegistrationFlowEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(id));
      const body = submittedBody(req, traitFieldKinds(this.flows.schemaOf(flow)));
      const client = this.http.checkSubmission(flow, req, res, body, registrationFlowJson);
      if (!client) return;
      const { session } = await this.http.sessionFor(flow.type, req);
      if (session && client === 'browser')
        return this.responder.found(res, this.http.returnUrl('registration', null));
      const outcome = await this.flows.submit(flow, {
        client,
        device: this.transport.deviceFrom(req),
        session,
        body,
      });
      await this.registration.respond(res, client, outcome);
    } catch (error) {
      await this.http.failed('registration', req, res, flow, error, registrationFlowJson);
    }
  }
}
