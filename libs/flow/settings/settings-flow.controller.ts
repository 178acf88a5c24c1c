import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses, toApiError } from '../../errors/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { IdentitySchemaRegistry } from '../../schema/index.js';
import {
  ApiCookieHeader,
  ApiSessionTokenHeader,
  SessionService,
  SessionTransport,
} from '../../session/index.js';
import {
  ApiBrowserLocationChangeResponse,
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  CsrfTokens,
  flowIdParam,
  FlowHttp,
  FlowResponder,
  type SettingsFlowEntity,
  submittedBody,
  traitFieldKinds,
  wantsJson,
} from '../core/index.js';
import { ContinuityCookie } from './continuity-cookie.js';
import { SettingsFlow } from './settings-flow.response.dto.js';
import { SettingsFlowService } from './settings-flow.service.js';
import { SettingsResponder } from './settings-responder.js';

type Query = Record<string, string | undefined>;

/** HTTP shape of the settings flow: every route needs the session of the flow's identity. */
@ApiTags('frontend')
@Controller('self-service/settings')
export class SettingsFlowController {
  constructor(
    private readonly flows: SettingsFlowService,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly csrf: CsrfTokens,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly settings: SettingsResponder,
    private readonly schemas: IdentitySchemaRegistry,
    private readonly continuity: ContinuityCookie,
  ) {}

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserSettingsFlow', summary: 'Create Settings Flow for Browsers' })
  @ApiReturnToQuery()
  @ApiCookieHeader()
  @ApiOkResponse({ type: SettingsFlow, description: 'settingsFlow, for clients that ask for JSON' })
  @ApiSeeOtherResponse('To the settings UI with the new flow, or to sign in first.')
  @ApiErrorResponses(400, 401, 403)
  async createBrowser(@Query() query: Query, @Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      const session = await this.sessions.findActive(this.transport.cookieTokenFrom(req));
      const requestUrl = this.http.requestUrl(req);
      if (!session && !wantsJson(req)) return this.responder.redirect(res, this.flows.signInUrl(requestUrl));
      const { flow, identity } = await this.flows.create({
        type: 'browser',
        requestUrl,
        returnTo: query['return_to'],
        session,
        csrfToken: session ? this.csrf.ensure(req, res) : undefined,
      });
      if (wantsJson(req)) return this.responder.json(res, 200, this.settings.json(flow, identity));
      this.responder.redirect(res, this.flows.uiUrl(flow.id));
    } catch (error) {
      await this.settings.error(req, res, error, 'browser');
    }
  }

  @Get('api')
  @ApiOperation({ operationId: 'createNativeSettingsFlow', summary: 'Create Settings Flow for Native Apps' })
  @ApiSessionTokenHeader()
  @ApiOkResponse({ type: SettingsFlow, description: 'settingsFlow' })
  @ApiErrorResponses(400)
  async createApi(@Req() req: Request) {
    const { flow, identity } = await this.flows.create({
      type: 'api',
      requestUrl: this.http.requestUrl(req),
      returnTo: undefined,
      session: (await this.http.sessionFor('api', req)).session,
    });
    return this.settings.json(flow, identity);
  }

  @Get('flows')
  @ApiOperation({ operationId: 'getSettingsFlow', summary: 'Get Settings Flow' })
  @ApiFlowIdQuery('id', 'settings')
  @ApiSessionTokenHeader()
  @ApiCookieHeader()
  @ApiOkResponse({ type: SettingsFlow, description: 'settingsFlow' })
  @ApiErrorResponses(401, 403, 404, 410)
  async get(@Query('id') id: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const flow = await this.flows.get(flowIdParam(id));
    const session = await this.sessions.findActive(this.transport.tokenFrom(req));
    if (!session && !wantsJson(req)) return this.responder.found(res, this.flows.loginUiUrl());
    const identity = await this.flows.authorize(flow, session);
    this.http.readable('settings', flow, req, this.flows.isExpired(flow));
    this.responder.json(res, 200, this.settings.json(flow, identity));
  }

  /**
   * Where a re-authenticated browser is sent back to (`return_to` of the refresh login): the change
   * it was asked to sign in again for is applied, then on to where a saved flow goes; otherwise to
   * the flow's UI.
   */
  @Get()
  @ApiExcludeEndpoint()
  async resume(
    @Query('flow') id: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const flow = await this.flows.get(flowIdParam(id));
      const session = await this.sessions.findActive(this.transport.cookieTokenFrom(req));
      const continuityNonce = this.continuity.nonceFor(req, flow.id);
      if (session?.identityId === flow.identityId) {
        const identity = await this.flows.authorize(flow, session);
        // Back signed in anew, the browser spends its cookie, whatever happens next.
        if (continuityNonce && this.flows.isPrivileged(session)) this.continuity.clear(res);
        const device = this.transport.deviceFrom(req);
        const outcome = await this.flows.resume(flow, { session, identity, device, continuityNonce });
        if (outcome) return await this.settings.respond(res, 'browser', outcome);
      }
      this.responder.redirect(res, this.flows.uiUrl(flow.id));
    } catch (error) {
      await this.settings.error(req, res, error, 'browser');
    }
  }

  @Post()
  @ApiOperation({ operationId: 'updateSettingsFlow', summary: 'Complete Settings Flow' })
  @ApiFlowIdQuery('flow', 'settings')
  @ApiSessionTokenHeader()
  @ApiCookieHeader()
  @ApiFlowSubmissionBody('updateSettingsFlowBody')
  @ApiOkResponse({ type: SettingsFlow, description: 'settingsFlow' })
  @ApiSeeOtherResponse(
    'Browsers: to the return URL once saved, back to the settings UI, or to sign in again.',
  )
  @ApiResponse({
    status: 400,
    type: SettingsFlow,
    description: 'settingsFlow, with messages on what to correct',
  })
  @ApiBrowserLocationChangeResponse()
  @ApiErrorResponses(401, 403, 410)
  async submit(
    @Query('flow') id: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    let flow: SettingsFlowEntity | undefined;
    let identity: IdentityEntity | undefined;
    try {
      flow = await this.flows.get(flowIdParam(id));
      // As Kratos: the session may come from the cookie or the X-Session-Token, whatever the flow type.
      const session = await this.sessions.findActive(this.transport.tokenFrom(req));
      if (!session && flow.type === 'browser' && !wantsJson(req))
        return this.responder.found(res, this.flows.loginUiUrl());
      identity = await this.flows.authorize(flow, session);
      const shown = identity;
      const schema = this.schemas.find(identity.schemaId) ?? this.schemas.getDefault();
      const body = submittedBody(req, traitFieldKinds(schema));
      const client = this.http.checkSubmission(flow, req, res, body, (f) => this.settings.json(f, shown));
      if (!client) return;
      const outcome = await this.flows.submit(flow, {
        client,
        device: this.transport.deviceFrom(req),
        session: session!,
        identity,
        body,
      });
      await this.settings.respond(res, client, outcome);
    } catch (error) {
      const shown = identity;
      const apiError = toApiError(error);
      if (flow && shown && apiError?.code === 400 && !apiError.init.id)
        return this.http.failed('settings', req, res, flow, error, (f) => this.settings.json(f, shown));
      await this.settings.error(req, res, error, flow?.type);
    }
  }
}
