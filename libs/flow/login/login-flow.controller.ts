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
  type LoginFlowEntity,
  submittedBody,
  wantsJson,
} from '../core/index.js';
import { LoginFlowService } from './login-flow.service.js';
import { LoginFlow, SuccessfulNativeLogin } from './login-flow.response.dto.js';
import { loginFlowJson } from './login-flow.wire.js';
import { LoginResponder } from './login-responder.js';

type Query = Record<string, string | undefined>;

const truthy = (value: string | undefined) => value === 'true' || value === '1';
const aalOf = (value: string | undefined): 'aal1' | 'aal2' =>
  value?.toLowerCase() === 'aal2' ? 'aal2' : 'aal1';

/** Documents the query both ways of starting a login flow read, and the contract's other ones. */
const ApiCreateLoginFlowQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'refresh',
      required: false,
      description: 'Sign in again even though a session exists, e.g. before a sensitive change.',
      schema: { type: 'boolean' },
    }),
    ApiQuery({
      name: 'aal',
      required: false,
      description: 'The assurance level to reach: `aal1` (the default) or `aal2`.',
      schema: { type: 'string' },
    }),
    ApiReturnToQuery(),
    ApiIgnoredQuery('organization', 'string', 'organizations'),
    ApiIgnoredQuery('via', 'string', 'codes sent for a second factor'),
    ApiIgnoredQuery('identity_schema', 'string', 'identity schemas chosen per login flow'),
  );

/** HTTP shape of the login flow: parse, hand to the flow service, answer per client kind. */
@ApiTags('frontend')
@Controller('self-service/login')
export class LoginFlowController {
  constructor(
    private readonly flows: LoginFlowService,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly exchanges: SessionTokenExchanges,
    private readonly csrf: CsrfTokens,
    private readonly factory: FlowFactory,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly login: LoginResponder,
  ) {}

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserLoginFlow', summary: 'Create Login Flow for Browsers' })
  @ApiCreateLoginFlowQuery()
  @ApiIgnoredQuery('login_challenge', 'string', 'OAuth2 login challenges')
  @ApiCookieHeader()
  @ApiOkResponse({ type: LoginFlow, description: 'loginFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the login UI with the new flow, or to the return URL when already signed in.')
  @ApiErrorResponses(400)
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const session = await this.sessions.findActive(this.transport.cookieTokenFrom(req));
      const refresh = truthy(query['refresh']);
      const aal = aalOf(query['aal']);
      if (session && !refresh && !(aal === 'aal2' && session.aal !== 'aal2') && !wantsJson(req)) {
        return this.responder.redirect(res, this.http.returnUrl('login', query['return_to']));
      }
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.flows.create({
        type: 'browser',
        requestUrl: this.http.requestUrl(req),
        returnTo: query['return_to'],
        refresh,
        aal,
        session,
        csrfToken,
      });
      if (wantsJson(req)) return this.responder.json(res, 200, loginFlowJson(flow));
      this.responder.redirect(res, this.factory.uiUrl('login', flow.id));
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Get('api')
  @ApiOperation({ operationId: 'createNativeLoginFlow', summary: 'Create Login Flow for Native Apps' })
  @ApiCreateLoginFlowQuery()
  @ApiSessionTokenExchangeQuery()
  @ApiSessionTokenHeader()
  @ApiOkResponse({ type: LoginFlow, description: 'loginFlow' })
  @ApiErrorResponses(400)
  async createApi(@Query() query: Query, @Req() req: Request) {
    const flow = await this.flows.create({
      type: 'api',
      requestUrl: this.http.requestUrl(req),
      returnTo: query['return_to'],
      refresh: truthy(query['refresh']),
      aal: aalOf(query['aal']),
      session: (await this.http.sessionFor('api', req)).session,
    });
    if (!truthy(query['return_session_token_exchange_code'])) return loginFlowJson(flow);
    const code = await this.exchanges.start(flow.id, flow.expiresAt);
    return { ...loginFlowJson(flow), session_token_exchange_code: code };
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getLoginFlow', summary: 'Get Login Flow' })
  @ApiFlowIdQuery('id', 'login')
  @ApiCookieHeader()
  @ApiOkResponse({ type: LoginFlow, description: 'loginFlow' })
  @ApiErrorResponses(403, 404, 410)
  async get(@Query('id') id: string | undefined, @Req() req: Request) {
    const flow = await this.flows.get(flowIdParam(id));
    return loginFlowJson(this.http.readable('login', flow, req, this.flows.isExpired(flow)));
  }

  @Post()
  @ApiOperation({ operationId: 'updateLoginFlow', summary: 'Submit a Login Flow' })
  @ApiFlowIdQuery('flow', 'login')
  @ApiSessionHeaders()
  @ApiFlowSubmissionBody('updateLoginFlowBody')
  @ApiOkResponse({ type: SuccessfulNativeLogin, description: 'successfulNativeLogin' })
  @ApiSeeOtherResponse('Browsers: to the return URL once signed in, else back to the login UI.')
  @ApiResponse({ status: 400, type: LoginFlow, description: 'loginFlow, with messages on what to correct' })
  @ApiBrowserLocationChangeResponse()
  @ApiErrorResponses(410)
  async submit(
    @Query('flow') id: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let flow: LoginFlowEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(id));
      const body = submittedBody(req);
      const client = this.http.checkSubmission(flow, req, res, body, loginFlowJson);
      if (!client) return;
      const { session, token } = await this.http.sessionFor(flow.type, req);
      const outcome = await this.flows.submit(flow, {
        client,
        device: this.transport.deviceFrom(req),
        session,
        token,
        body,
      });
      await this.login.respond(res, client, outcome);
    } catch (error) {
      await this.http.failed('login', req, res, flow, error, loginFlowJson);
    }
  }
}
