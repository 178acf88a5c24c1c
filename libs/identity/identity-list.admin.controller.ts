import { Body, Controller, Get, Patch, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { batchCreate } from './identity-batch.js';
import { keysetLinkHeader, parseIncludeCredential, parseListQuery } from './identity-list.query.js';
import { IdentityPresenter } from './identity.presenter.js';
import { IdentityService } from './identity.service.js';

type Query = Record<string, string | string[] | undefined>;

/** The admin identity API over many identities: list pages and batch creation. */
@ApiTags('identity')
@Controller('admin/identities')
export class IdentityListAdminController {
  constructor(
    private readonly identities: IdentityService,
    private readonly presenter: IdentityPresenter,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'listIdentities', summary: 'List Identities' })
  @ApiQuery({ name: 'per_page', required: false, type: Number })
  @ApiQuery({ name: 'page', required: false, type: Number })
  @ApiQuery({ name: 'page_size', required: false, type: Number })
  @ApiQuery({ name: 'page_token', required: false, type: String })
  @ApiQuery({ name: 'consistency', required: false, type: String })
  @ApiQuery({ name: 'ids', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'credentials_identifier', required: false, type: String })
  @ApiQuery({ name: 'preview_credentials_identifier_similar', required: false, type: String })
  @ApiQuery({ name: 'include_credential', required: false, isArray: true, type: String })
  @ApiQuery({ name: 'organization_id', required: false, type: String })
  async list(@Query() query: Query, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const include = parseIncludeCredential(query);
    const parsed = parseListQuery(query);
    const { identities, total } = await this.identities.list(parsed);
    if (parsed.page !== undefined) {
      res.setHeader('X-Total-Count', String(total ?? 0));
    } else {
      const last = identities.length === parsed.pageSize ? identities.at(-1)?.id : undefined;
      res.setHeader('Link', keysetLinkHeader(req.path, query, parsed.pageSize, last));
    }
    return identities.map((identity) =>
      this.presenter.present(identity, { admin: true, includeCredentials: include }),
    );
  }

  @Patch()
  @ApiOperation({ operationId: 'batchPatchIdentities', summary: 'Create multiple identities' })
  batch(@Body() body: unknown) {
    return batchCreate(this.identities, body);
  }
}
