import { timingSafeEqual } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { ApiError, ApiErrorResponses } from '../../errors/index.js';
import { ApiCookieHeader, SessionService, SessionTransport } from '../../session/index.js';
import {
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  CsrfTokens,
  FlowResponder,
  ReturnToPolicy,
  wantsJson,
} from '../core/index.js';
import { LogoutFlow, PerformNativeLogoutBody } from './logout.dto.js';

const noSession = () =>
  new ApiError(401, {
    id: 'session_inactive',
    reason: 'No active session was found in this request.',
    message: 'request does not have a valid authentication session',
  });

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Logout for browsers (a logout URL bound to the cookie session) and for apps (token revocation). */
@ApiTags('frontend')
@Controller('self-service/logout')
export class LogoutController {
  constructor(
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly csrf: CsrfTokens,
    private readonly returnTo: ReturnToPolicy,
    private readonly responder: FlowResponder,
    private readonly config: ConfigService,
  ) {}

  @Get('browser')
  @ApiOperation({ operationId: 'createBrowserLogoutFlow', summary: 'Create a Logout URL for Browsers' })
  @ApiCookieHeader()
  @ApiReturnToQuery()
  @ApiOkResponse({ type: LogoutFlow, description: 'logoutFlow' })
  @ApiErrorResponses(400, 401, 500)
  async create(
    @Query('return_to') returnTo: string | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const allowed = this.returnTo.validate(returnTo);
      const token = this.transport.cookieTokenFrom(req);
      if (!(await this.sessions.findActive(token))) throw noSession();
      const logoutToken = this.sessions.logoutTokenFor(token!);
      const url = new URL(this.config.url('public', 'self-service/logout'));
      url.searchParams.set('token', logoutToken);
      if (allowed) url.searchParams.set('return_to', allowed);
      this.responder.json(res, 200, { logout_url: url.href, logout_token: logoutToken });
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Get()
  @ApiOperation({ operationId: 'updateLogoutFlow', summary: 'Update Logout Flow' })
  @ApiQuery({
    name: 'token',
    required: false,
    description: 'The logout token from createBrowserLogoutFlow; without one the answer is a 400.',
    schema: { type: 'string' },
  })
  @ApiReturnToQuery()
  @ApiCookieHeader()
  @ApiNoContentResponse({ description: 'Signed out, for clients that ask for JSON.' })
  @ApiSeeOtherResponse('Signed out: to the return URL, else the default logout return URL.')
  @ApiErrorResponses()
  async logout(
    @Query() query: Record<string, string | undefined>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const logoutToken = query['token'];
      if (!logoutToken) throw new ApiError(400, { reason: 'Please include a token in the URL query.' });
      const target = this.returnTo.validate(query['return_to']);
      const token = this.transport.cookieTokenFrom(req);
      const session = await this.sessions.findActive(token);
      if (!session) throw noSession();
      if (!sameToken(this.sessions.logoutTokenFor(token!), logoutToken)) {
        throw new ApiError(403, {
          reason:
            'Unable to log out because the logout token in the URL query does not match the session cookie.',
        });
      }
      await this.sessions.revoke(session.id);
      this.transport.clearCookie(res);
      this.csrf.regenerate(res);
      if (wantsJson(req)) {
        res.status(204).end();
        return;
      }
      this.responder.redirect(
        res,
        target ??
          this.config.get<string>('selfservice.flows.logout.after.default_browser_return_url') ??
          this.returnTo.defaultReturnUrl(),
      );
    } catch (error) {
      await this.responder.error(req, res, error);
    }
  }

  @Delete('api')
  @HttpCode(204)
  @ApiOperation({ operationId: 'performNativeLogout', summary: 'Perform Logout for Native Apps' })
  @ApiBody({ type: PerformNativeLogoutBody })
  @ApiNoContentResponse({ description: 'The session is revoked.' })
  @ApiErrorResponses(400)
  async logoutApi(@Body() body: unknown): Promise<void> {
    const token = (body as { session_token?: unknown } | null)?.session_token;
    if (typeof token !== 'string' || token === '') {
      throw new ApiError(400, { reason: 'The session_token field is required.' });
    }
    const session = await this.sessions.findActive(token);
    if (!session) {
      throw new ApiError(403, {
        reason: 'The provided Ory Session Token could not be found, is invalid, or otherwise malformed.',
      });
    }
    await this.sessions.revoke(session.id);
  }
}
