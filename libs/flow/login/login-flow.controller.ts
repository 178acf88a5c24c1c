import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { SessionService, SessionTransport } from '../../session/index.js';
import {
  LoginFlowEntity,
  browserOnApiFlow,
  clientKind,
  CsrfTokens,
  expiredOnRead,
  flowIdParam,
  FlowFactory,
  FlowResponder,
  submittedBody,
  wantsJson,
} from '../core/index.js';
import { LoginFlowService } from './login-flow.service.js';
import { LoginResponder } from './login-responder.js';
import { loginFlowJson } from './login-flow.wire.js';

type Query = Record<string, string | undefined>;

const truthy = (value: string | undefined) => value === 'true' || value === '1';
const aalOf = (value: string | undefined): 'aal1' | 'aal2' =>
  value?.toLowerCase() === 'aal2' ? 'aal2' : 'aal1';

/** HTTP shape of the login flow: parse, hand to the flow service, answer per client kind. */
@ApiTags('frontend')
@Controller('self-service/login')
export class LoginFlowController {
  constructor(
    private readonly flows: LoginFlowService,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly csrf: CsrfTokens,
    private readonly factory: FlowFactory,
    private readonly responder: FlowResponder,
    private readonly login: LoginResponder,
    private readonly config: ConfigService,
  ) {}

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserLoginFlow', summary: 'Create Login Flow for Browsers' })
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const session = await this.sessions.findActive(this.transport.cookieTokenFrom(req));
      const refresh = truthy(query['refresh']);
      const aal = aalOf(query['aal']);
      if (session && !refresh && !(aal === 'aal2' && session.aal !== 'aal2') && !wantsJson(req)) {
        return this.responder.redirect(res, this.login.returnUrl(query['return_to']));
      }
      const csrfToken = this.csrf.ensure(req, res);
      const flow = await this.flows.create({
        type: 'browser',
        requestUrl: this.requestUrl(req),
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
  async createApi(@Query() query: Query, @Req() req: Request) {
    const token = req.header('x-session-token') ?? undefined;
    const session = await this.sessions.findActive(token);
    const flow = await this.flows.create({
      type: 'api',
      requestUrl: this.requestUrl(req),
      returnTo: query['return_to'],
      refresh: truthy(query['refresh']),
      aal: aalOf(query['aal']),
      session,
    });
    return loginFlowJson(flow);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getLoginFlow', summary: 'Get Login Flow' })
  async get(@Query('id') id: string | undefined, @Req() req: Request) {
    const flow = await this.flows.get(flowIdParam(id));
    if (flow.type === 'browser') this.csrf.verifyCookieOnly(req, flow.csrfTokenHash);
    if (this.flows.isExpired(flow)) {
      throw expiredOnRead(
        flow,
        this.config.url('public', `self-service/login/${flow.type === 'api' ? 'api' : 'browser'}`),
      );
    }
    return loginFlowJson(flow);
  }

  @Post()
  @ApiOperation({ operationId: 'updateLoginFlow', summary: 'Submit a Login Flow' })
  async submit(
    @Query('flow') id: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let flow: LoginFlowEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(id));
      const body = submittedBody(req);
      const client = clientKind(flow.type, req);
      if (flow.type === 'browser') this.csrf.verify(req, flow.csrfTokenHash, body['csrf_token']);
      else if (browserOnApiFlow(req.header('origin'), req.header('cookie'))) {
        return this.login.apiFlowFromBrowser(res, flow);
      }
      const token = flow.type === 'api' ? req.header('x-session-token') : this.transport.cookieTokenFrom(req);
      const session = await this.sessions.findActive(token ?? undefined);
      const outcome = await this.flows.submit(flow, {
        client,
        device: this.transport.deviceFrom(req),
        session,
        body,
      });
      await this.login.respond(res, client, outcome);
    } catch (error) {
      await this.login.failed(req, res, flow, error);
    }
  }

  private requestUrl(req: Request): string {
    return this.config.url('public', req.originalUrl.replace(/^\//, ''));
  }
}
