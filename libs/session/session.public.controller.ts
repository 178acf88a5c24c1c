import { All, Controller, Delete, Get, HttpCode, Param, Query, Req, Res } from '@nestjs/common';
import {
  ApiExcludeEndpoint,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConfigService } from '../config/index.js';
import { ApiError, ApiErrorResponses } from '../errors/index.js';
import { isUuid } from '../persistence/index.js';
import { aal2Required } from './session-aal.js';
import { type SessionEntity } from './session.entity.js';
import { ApiSessionHeaders, ApiSessionIdParam, ApiSessionPageQuery } from './session.openapi.js';
import { SessionPresenter } from './session.presenter.js';
import { DeleteMySessionsCount, Session } from './session.response.dto.js';
import { SessionService } from './session.service.js';
import { SessionTokenizer } from './session-tokenizer.js';
import { SessionTransport } from './session-transport.js';
import { pageParams } from './session-pages.js';

type Query = Record<string, string | string[] | undefined>;

const EMPTY = 'Empty responses are sent when, for example, resources are deleted.';

/** whoami and the caller's own sessions, on the public port. */
@ApiTags('frontend')
@Controller('sessions')
export class SessionPublicController {
  constructor(
    private readonly sessions: SessionService,
    private readonly transport: SessionTransport,
    private readonly presenter: SessionPresenter,
    private readonly config: ConfigService,
    private readonly tokenizer: SessionTokenizer,
  ) {}

  /**
   * The current session, if its AAL satisfies `session.whoami.required_aal`; else 403. Every
   * route here goes through it, as in Kratos: an aal1 session of an identity with a second factor
   * may neither see nor end the identity's other sessions.
   */
  private async sufficient(req: Request): Promise<SessionEntity> {
    const session = await this.current(req);
    if (await this.sessions.satisfiesWhoamiAal(session)) return session;
    const login = new URL(this.config.url('public', 'self-service/login/browser'));
    login.searchParams.set('aal', 'aal2');
    const returnTo = req.query['return_to'];
    if (typeof returnTo === 'string' && returnTo) login.searchParams.set('return_to', returnTo);
    throw aal2Required(login.href);
  }

  private async current(req: Request): Promise<SessionEntity> {
    const session = await this.sessions.findActive(this.transport.tokenFrom(req));
    if (!session) {
      throw new ApiError(401, {
        reason: 'No valid session credentials found in the request.',
        message: 'request does not have a valid authentication session',
        extra: { CredentialsMissing: !this.transport.tokenFrom(req) },
      });
    }
    return session;
  }

  @Get('whoami')
  @ApiOperation({ operationId: 'toSession', summary: 'Check Who the Current HTTP Session Belongs To' })
  @ApiSessionHeaders()
  @ApiQuery({
    name: 'tokenize_as',
    required: false,
    description:
      "The name of a `session.whoami.tokenizer.templates` entry: the session is also answered as a JWT, signed with that template's key, in `tokenized`. An unknown name is a 400.",
    schema: { type: 'string' },
  })
  @ApiOkResponse({
    type: Session,
    description: 'session; the identity ID is also sent as X-Kratos-Authenticated-Identity-Id',
  })
  @ApiErrorResponses(401, 403)
  async whoami(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.anyMethodWhoami(req, res);
  }

  /** Kratos answers whoami on every method (proxies forward the original one); only GET is documented. */
  @All('whoami')
  @ApiExcludeEndpoint()
  async anyMethodWhoami(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const session = await this.sufficient(req);
    const body = this.presenter.present(session, { admin: false });
    // Go's Query().Get: the first value when the parameter is repeated.
    const raw = req.query['tokenize_as'];
    const template = Array.isArray(raw) ? raw[0] : raw;
    // Kratos tokenizes before it answers anything else: a failure leaves no identity header.
    const tokenized =
      typeof template === 'string' && template !== ''
        ? await this.tokenizer.tokenize(template, session, body)
        : undefined;
    res.setHeader('X-Kratos-Authenticated-Identity-Id', session.identityId);
    return tokenized === undefined ? body : { ...body, tokenized };
  }

  @Get()
  @ApiOperation({ operationId: 'listMySessions', summary: 'Get My Active Sessions' })
  @ApiSessionPageQuery({ maxPageSize: 500, deprecatedPages: true })
  @ApiSessionHeaders()
  @ApiOkResponse({
    type: [Session],
    description: 'The active sessions other than the current one; the total is in X-Total-Count.',
  })
  @ApiErrorResponses(400, 401)
  async listMine(@Req() req: Request, @Query() query: Query, @Res({ passthrough: true }) res: Response) {
    const session = await this.sufficient(req);
    const { pageSize, offset } = pageParams(query, 500);
    const page = await this.sessions.list({
      identityId: session.identityId,
      active: true,
      exceptId: session.id,
      pageSize,
      offset,
    });
    res.setHeader('X-Total-Count', String(page.total));
    return page.sessions.map((s) => this.presenter.present(s, { admin: false }));
  }

  @Delete()
  @ApiOperation({ operationId: 'disableMyOtherSessions', summary: 'Disable my other sessions' })
  @ApiSessionHeaders()
  @ApiOkResponse({ type: DeleteMySessionsCount, description: 'deleteMySessionsCount' })
  @ApiErrorResponses(400, 401)
  async revokeOthers(@Req() req: Request) {
    const session = await this.sufficient(req);
    return { count: await this.sessions.revokeOthers(session.identityId, session.id) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'disableMySession', summary: 'Disable one of my sessions' })
  @ApiSessionIdParam()
  @ApiSessionHeaders()
  @ApiNoContentResponse({ description: EMPTY })
  @ApiErrorResponses(400, 401)
  async revokeOne(@Req() req: Request, @Param('id') id: string): Promise<void> {
    const session = await this.sufficient(req);
    if (!isUuid(id)) throw new ApiError(400, { reason: 'The session id is not a valid UUID.' });
    if (id === session.id) {
      throw new ApiError(400, {
        reason: 'You tried to revoke the current session. Use the logout flow instead.',
      });
    }
    const target = await this.sessions.get(id).catch(() => null);
    if (target && target.identityId === session.identityId) await this.sessions.revoke(id);
  }
}
