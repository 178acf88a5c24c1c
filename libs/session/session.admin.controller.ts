import { Controller, Delete, Get, HttpCode, Param, Patch, Query, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError, ApiErrorResponses } from '../errors/index.js';
import { IdentityService } from '../identity/index.js';
import { isUuid } from '../persistence/index.js';
import { pageParams } from './session-pages.js';
import {
  ApiActiveQuery,
  ApiExpandQuery,
  ApiIdentityIdParam,
  ApiSessionIdParam,
  ApiSessionPageQuery,
} from './session.openapi.js';
import { SessionPresenter } from './session.presenter.js';
import { Session } from './session.response.dto.js';
import { SessionService } from './session.service.js';

type Query = Record<string, string | string[] | undefined>;

const EMPTY = 'Empty responses are sent when, for example, resources are deleted.';

function uuidParam(id: string, what = 'session'): string {
  if (!isUuid(id)) throw new ApiError(400, { reason: `The ${what} id is not a valid UUID.` });
  return id;
}

function activeFilter(query: Query): boolean | undefined {
  const value = Array.isArray(query['active']) ? query['active'][0] : query['active'];
  if (value === undefined || value === '') return undefined;
  if (value !== 'true' && value !== 'false')
    throw new ApiError(400, { reason: 'The active parameter must be true or false.' });
  return value === 'true';
}

/** Case-insensitive, as in Kratos: Ory's SDKs and the contract's own example send `Identity`. */
function expandOf(query: Query): { expandIdentity: boolean; expandDevices: boolean } {
  const raw = query['expand'];
  const values = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => v.split(','))
    .map((v) => v.toLowerCase());
  const unknown = values.find((v) => v !== 'identity' && v !== 'devices');
  if (unknown) throw new ApiError(400, { reason: `The expand value "${unknown}" is not known.` });
  return { expandIdentity: values.includes('identity'), expandDevices: values.includes('devices') };
}

function nextPageLink(
  req: Request,
  pageSize: number,
  offset: number,
  count: number,
  total: number,
): string | undefined {
  if (offset + count >= total) return undefined;
  const token = Buffer.from(JSON.stringify({ offset: String(offset + pageSize), v: 2 })).toString(
    'base64url',
  );
  return `<${req.path}?page_size=${pageSize}&page_token=${token}>; rel="next"`;
}

/** The admin session API. */
@ApiTags('identity')
@Controller('admin')
export class SessionAdminController {
  constructor(
    private readonly sessions: SessionService,
    private readonly identities: IdentityService,
    private readonly presenter: SessionPresenter,
  ) {}

  @Get('sessions')
  @ApiOperation({ operationId: 'listSessions', summary: 'List All Sessions' })
  @ApiSessionPageQuery({ maxPageSize: 1000, deprecatedPages: false })
  @ApiActiveQuery()
  @ApiExpandQuery()
  @ApiOkResponse({
    type: [Session],
    description: 'A page of sessions; the next page is in the Link header, the total in X-Total-Count.',
  })
  @ApiErrorResponses(400)
  async list(@Query() query: Query, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { pageSize, offset } = pageParams(query);
    const expand = expandOf(query);
    const page = await this.sessions.list({ active: activeFilter(query), pageSize, offset });
    const next = nextPageLink(req, pageSize, offset, page.sessions.length, page.total);
    if (next) res.setHeader('Link', next);
    res.setHeader('X-Total-Count', String(page.total));
    return page.sessions.map((s) => this.presenter.present(s, { admin: true, ...expand }));
  }

  @Get('sessions/:id')
  @ApiOperation({ operationId: 'getSession', summary: 'Get Session' })
  @ApiExpandQuery()
  @ApiSessionIdParam()
  @ApiOkResponse({ type: Session, description: 'session' })
  @ApiErrorResponses(400)
  async get(@Param('id') id: string, @Query() query: Query) {
    const expand = expandOf(query);
    return this.presenter.present(await this.sessions.get(uuidParam(id)), { admin: true, ...expand });
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ operationId: 'disableSession', summary: 'Deactivate a Session' })
  @ApiSessionIdParam()
  @ApiNoContentResponse({ description: EMPTY })
  @ApiErrorResponses(400, 401)
  async disable(@Param('id') id: string): Promise<void> {
    await this.sessions.get(uuidParam(id));
    await this.sessions.revoke(id);
  }

  @Patch('sessions/:id/extend')
  @ApiOperation({ operationId: 'extendSession', summary: 'Extend a Session' })
  @ApiSessionIdParam()
  @ApiOkResponse({ type: Session, description: 'session' })
  @ApiNoContentResponse({ description: 'Not sent: the extended session is always answered with 200.' })
  @ApiErrorResponses(400, 404)
  async extend(@Param('id') id: string) {
    return this.presenter.present(await this.sessions.extend(uuidParam(id)), { admin: true });
  }

  @Get('identities/:id/sessions')
  @ApiOperation({ operationId: 'listIdentitySessions', summary: 'List an Identity’s Sessions' })
  @ApiSessionPageQuery({ maxPageSize: 500, deprecatedPages: true })
  @ApiIdentityIdParam()
  @ApiActiveQuery()
  @ApiOkResponse({ type: [Session], description: 'A page of sessions; the total is in X-Total-Count.' })
  @ApiErrorResponses(400, 404)
  async listForIdentity(
    @Param('id') id: string,
    @Query() query: Query,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.identities.get(uuidParam(id, 'identity'));
    const { pageSize, offset } = pageParams(query, 500);
    const page = await this.sessions.list({ identityId: id, active: activeFilter(query), pageSize, offset });
    res.setHeader('X-Total-Count', String(page.total));
    return page.sessions.map((s) => this.presenter.present(s, { admin: true }));
  }

  @Delete('identities/:id/sessions')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteIdentitySessions',
    summary: 'Delete & Invalidate an Identity’s Sessions',
  })
  @ApiIdentityIdParam()
  @ApiNoContentResponse({ description: EMPTY })
  @ApiErrorResponses(400, 401, 404)
  async deleteForIdentity(@Param('id') id: string): Promise<void> {
    await this.identities.get(uuidParam(id, 'identity'));
    await this.sessions.deleteByIdentity(id);
  }
}
