import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorResponses } from '../../../errors/index.js';
import {
  ApiBrowserLocationChangeResponse,
  ApiSeeOtherResponse,
  type ClientKind,
  CsrfTokens,
  FlowHttp,
  FlowResponder,
  type LoginFlowEntity,
  loginFlowJson,
  LoginResponder,
  RegistrationResponder,
  submittedBody,
} from '../../../flow/index.js';
import { SessionService, SessionTransport } from '../../../session/index.js';
import { OidcProviders } from '../oidc-providers.js';
import { CreateFedcmFlowResponseDto, UpdateFedcmFlowBodyDto } from './fedcm.dto.js';
import { FedcmService } from './fedcm.service.js';

/** FedCM's two calls: HTTP shape only, the FedCM service does the work. 404 while oidc is off. */
@ApiTags('frontend')
@Controller('self-service/fed-cm')
export class FedcmController {
  constructor(
    private readonly providers: OidcProviders,
    private readonly fedcm: FedcmService,
    private readonly csrf: CsrfTokens,
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly http: FlowHttp,
    private readonly responder: FlowResponder,
    private readonly logins: LoginResponder,
    private readonly registrations: RegistrationResponder,
  ) {}

  @Get('parameters')
  @ApiOperation({
    operationId: 'createFedcmFlow',
    summary: 'Get FedCM Parameters',
    description:
      'The FedCM providers (social sign-in providers with a `fedcm_config_url` that take ID tokens), each with a nonce for `navigator.credentials.get`, and the CSRF token to submit the result with.',
  })
  @ApiOkResponse({ type: CreateFedcmFlowResponseDto, description: 'createFedcmFlowResponse' })
  @ApiErrorResponses(400)
  async parameters(@Req() req: Request, @Res() res: Response): Promise<void> {
    try {
      if (!this.providers.enabled) throw new ApiError(404);
      const csrfToken = this.csrf.ensure(req, res);
      const providers = await this.fedcm.parameters({
        csrfToken,
        requestUrl: this.http.requestUrl(req),
        session: await this.sessions.findActive(this.transport.cookieTokenFrom(req)),
      });
      this.responder.json(res, 200, { providers, csrf_token: this.csrf.mask(csrfToken) });
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Post('token')
  @ApiOperation({
    operationId: 'updateFedcmFlow',
    summary: 'Submit a FedCM token',
    description:
      "Submits the token `navigator.credentials.get` returned for parameters from `GET /self-service/fed-cm/parameters`: it is verified as an ID token of that provider with that nonce, then the person signs in (or up) as after the provider's callback.",
  })
  @ApiExtraModels(UpdateFedcmFlowBodyDto)
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ schema: { $ref: getSchemaPath(UpdateFedcmFlowBodyDto) }, required: true })
  @ApiOkResponse({
    schema: { $ref: getSchemaPath('successfulNativeLogin') },
    description: 'successfulNativeLogin',
  })
  @ApiSeeOtherResponse('Browsers: to the return URL once signed in, else back to the login UI.')
  @ApiResponse({
    status: 400,
    schema: { $ref: getSchemaPath('loginFlow') },
    description: 'loginFlow, with messages on what went wrong',
  })
  @ApiBrowserLocationChangeResponse()
  @ApiErrorResponses(410)
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    let client: ClientKind = 'spa';
    try {
      if (!this.providers.enabled) throw new ApiError(404);
      const body = submittedBody(req);
      const outcome = await this.fedcm.submit({
        body,
        client: (flow: LoginFlowEntity) => {
          const kind = this.http.checkSubmission(flow, req, res, body, loginFlowJson);
          client = kind ?? 'spa';
          return client;
        },
        session: await this.sessions.findActive(this.transport.cookieTokenFrom(req)),
        device: this.transport.deviceFrom(req),
      });
      switch (outcome.kind) {
        case 'login':
          return await this.logins.respond(res, client, outcome.outcome);
        case 'registration':
          return await this.registrations.respond(res, client, outcome.outcome);
        case 'flow':
          return this.http.showFlow('login', res, client, outcome.flow, loginFlowJson);
      }
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }
}
